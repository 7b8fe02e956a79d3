import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { changedBy, recordChange } from "../audit/record.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, locale, parseInput, slug } from "../validation.js";
import { StoreSettingsFields } from "./settings-service.js";

export const DEFAULT_STORE_SLUG = "default";

/** The store every seed-002 request without a store-bound key works on; created on first start. */
export async function ensureDefaultStore(prisma: Db): Promise<string> {
  // ON CONFLICT DO NOTHING, then read: two instances starting at the same moment both succeed.
  await prisma.store.createMany({ data: [{ slug: DEFAULT_STORE_SLUG, name: "Default store" }], skipDuplicates: true });
  const store = await prisma.store.findUniqueOrThrow({ where: { slug: DEFAULT_STORE_SLUG }, select: { id: true } });
  return store.id;
}

/**
 * Stores are the projects of seed 003 (`/projects/{slug}/...`) and the tenants of every other surface.
 * A platform-wide key (the bootstrap key) with `stores:manage` manages every store; a key bound to a
 * store only ever sees and changes its own, and cannot create stores.
 */
export function storeVisibility(scope: Pick<Scope, "actor" | "storeId">): Prisma.StoreWhereInput {
  return isPlatformWide(scope) ? {} : { id: scope.storeId };
}

function isPlatformWide({ actor }: Pick<Scope, "actor">): boolean {
  return actor.kind === "apiKey" && actor.storeId === null;
}

const StoreFields = z.object({ name: z.string().trim().min(1).max(200), slug, defaultLocale: locale });
export const CreateStoreInput = StoreFields.extend(StoreSettingsFields.shape).partial({ defaultLocale: true });
export const UpdateStoreInput = StoreFields.extend(StoreSettingsFields.shape).partial();

/** Creates a store (its slug is its project slug); then create its keys with createApiKey's storeId. */
export async function createStore(scope: Scope, input: unknown) {
  if (!isPlatformWide(scope)) throw new ForbiddenError("Only a platform-wide key can create stores.");
  const data = parseInput(CreateStoreInput, input);
  return withPrismaErrors("store", () =>
    scope.prisma.$transaction(async (tx) => {
      const store = await tx.store.create({ data });
      await recordChange(tx, {
        ...changedBy(scope),
        storeId: store.id,
        event: "stores.create",
        entityType: "store",
        entityId: store.id,
        after: store,
      });
      return store;
    }),
  );
}

/** Changes a store's name, slug, locale or settings; the default store keeps its slug (start-up finds it by it). */
export async function updateStore(scope: Scope, id: string, input: unknown) {
  const data = parseInput(UpdateStoreInput, input);
  if (!isUuid(id)) throw new NotFoundError("Store", id);
  return withPrismaErrors("store", () =>
    scope.prisma.$transaction(async (tx) => {
      const before = await tx.store.findFirst({ where: { AND: [{ id }, storeVisibility(scope)] } });
      if (!before) throw new NotFoundError("Store", id);
      if (before.slug === DEFAULT_STORE_SLUG && data.slug !== undefined && data.slug !== before.slug) {
        throw ValidationError.field("slug", "immutable", "The default store's slug cannot change.");
      }
      const after = await tx.store.update({ where: { id }, data });
      await recordChange(tx, {
        ...changedBy(scope),
        storeId: id,
        event: "stores.update",
        entityType: "store",
        entityId: id,
        before,
        after,
      });
      return after;
    }),
  );
}

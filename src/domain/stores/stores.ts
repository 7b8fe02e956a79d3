import type { Prisma } from "../../infra/db.js";

export const DEFAULT_STORE_SLUG = "default";

/** The store every seed-002 request without a store-bound key works on; created on first start. */
export async function ensureDefaultStore(prisma: Prisma): Promise<string> {
  const store = await prisma.store.upsert({
    where: { slug: DEFAULT_STORE_SLUG },
    create: { slug: DEFAULT_STORE_SLUG, name: "Default store" },
    update: {},
    select: { id: true },
  });
  return store.id;
}

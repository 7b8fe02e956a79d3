import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { requireCustomer } from "../customers/customers.js";
import { NotFoundError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";

// A shopper's favorites (seed 004's customer list): products they keep, newest first. Only products
// the shopper can see (active) can be added, and only active ones are listed, so a product taken off
// the shelf disappears from the list without losing the row (it comes back if it is published again).

export const FavoriteInput = z.object({ entityId: z.string().min(1) });

/** Where a customer's visible favorites are: their own rows, of active entities of their store. */
export function favoritesWhere(storeId: string): Prisma.FavoriteWhereInput {
  return { storeId, entity: { status: "active" } };
}

async function activeEntity(scope: Scope, entityId: string) {
  const entity = isUuid(entityId)
    ? await scope.prisma.catalogEntity.findFirst({
        where: { id: entityId, storeId: scope.storeId, status: "active" },
        select: { id: true },
      })
    : null;
  if (!entity) throw new NotFoundError("CatalogEntity", entityId);
  return entity.id;
}

/** Adds a product to the signed-in customer's favorites; adding it again changes nothing (idempotent). */
export async function addFavorite(scope: Scope, input: unknown): Promise<{ entityId: string; createdAt: Date }> {
  const customerId = requireCustomer(scope);
  const { entityId } = parseInput(FavoriteInput, input);
  await activeEntity(scope, entityId);
  return scope.prisma.$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: two concurrent adds make one row and neither fails.
    const inserted = await tx.$executeRaw`
      INSERT INTO "favorite" ("customerId", "entityId", "storeId") VALUES (${customerId}::uuid, ${entityId}::uuid, ${scope.storeId}::uuid)
      ON CONFLICT DO NOTHING`;
    const row = await tx.favorite.findUniqueOrThrow({ where: { customerId_entityId: { customerId, entityId } } });
    if (inserted > 0) {
      await recordChange(tx, {
        ...changedBy(scope),
        event: "favorites.add",
        entityType: "catalog_entity",
        entityId,
        after: { customerId, entityId },
      });
    }
    return { entityId, createdAt: row.createdAt };
  });
}

/**
 * Removes a product from the customer's favorites. Idempotent like adding: removing one that is not
 * (or no longer) there answers the same, so a client retrying a DELETE never sees an error for it.
 */
export async function removeFavorite(scope: Scope, input: unknown): Promise<{ entityId: string }> {
  const customerId = requireCustomer(scope);
  const { entityId } = parseInput(FavoriteInput, input);
  if (!isUuid(entityId)) throw new NotFoundError("CatalogEntity", entityId);
  return scope.prisma.$transaction(async (tx) => {
    const { count } = await tx.favorite.deleteMany({ where: { customerId, entityId, storeId: scope.storeId } });
    if (count > 0) {
      await recordChange(tx, {
        ...changedBy(scope),
        event: "favorites.remove",
        entityType: "catalog_entity",
        entityId,
        before: { customerId, entityId },
      });
    }
    return { entityId };
  });
}

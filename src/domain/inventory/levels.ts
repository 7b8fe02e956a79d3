import { type InventoryLevel, Prisma } from "../../generated/prisma/client.js";
import { requireEntity } from "../catalog/entities.js";
import { NotFoundError, ValidationError } from "../errors.js";
import { ownEntityWhere } from "../marketplace/vendor-scope.js";
import type { Scope } from "../scope.js";

/**
 * A Prisma transaction client. Stock functions take one so they run inside their caller's
 * transaction (a checkout reserves, creates the order and charges in one).
 */
export type Tx = Prisma.TransactionClient;

/** Upper bound of one level's on-hand stock: keeps `onHand + quantity` inside PostgreSQL's int4. */
export const MAX_STOCK = 1_000_000_000;

/** Where a stock level lives: an entity (or one of its variants) in one warehouse. */
export interface StockTarget {
  entityId: string;
  variantId: string | null;
  warehouseId: string;
}

/** The unique key of a level stores '' for "no variant", since NULLs never collide in a unique index. */
export function variantKeyOf(variantId: string | null | undefined): string {
  return variantId ?? "";
}

export function availableOf(level: Pick<InventoryLevel, "onHand" | "reserved">): number {
  return level.onHand - level.reserved;
}

export async function requireWarehouse(db: Pick<Tx, "warehouse">, storeId: string, id: string) {
  const warehouse = await db.warehouse.findFirst({ where: { id, storeId } });
  if (!warehouse) throw new NotFoundError("Warehouse", id);
  return warehouse;
}

/**
 * The entity must be in the caller's store (404), the variant too (404) and it must be one of the
 * entity's variants (422: the request names a real variant, just the wrong one).
 */
export async function requireStockOwner(scope: Scope, target: { entityId: string; variantId: string | null }) {
  await requireEntity(scope, target.entityId);
  if (!target.variantId) return;
  const variant = await scope.prisma.variant.findFirst({
    where: { id: target.variantId, storeId: scope.storeId, entity: ownEntityWhere(scope.actor) },
    select: { entityId: true },
  });
  if (!variant) throw new NotFoundError("Variant", target.variantId);
  if (variant.entityId !== target.entityId) {
    throw ValidationError.field("variantId", "not_in_entity", "The variant does not belong to this entity.");
  }
}

/** Creates the (empty) level if it does not exist yet; racing creators both succeed. */
export async function ensureLevel(tx: Tx, target: StockTarget): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO inventory_level (id, "entityId", "variantId", "warehouseId", "variantKey", "onHand", reserved, "updatedAt")
    VALUES (gen_random_uuid(), ${target.entityId}::uuid, ${target.variantId}::uuid, ${target.warehouseId}::uuid,
            ${variantKeyOf(target.variantId)}, 0, 0, now())
    ON CONFLICT ("entityId", "variantKey", "warehouseId") DO NOTHING`;
}

/** SQL condition selecting the level of a target (alias-free, for single-table statements). */
export function levelKey(target: StockTarget): Prisma.Sql {
  return Prisma.sql`"entityId" = ${target.entityId}::uuid AND "variantKey" = ${variantKeyOf(target.variantId)}
    AND "warehouseId" = ${target.warehouseId}::uuid`;
}

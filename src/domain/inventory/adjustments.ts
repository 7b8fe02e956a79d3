import { z } from "zod";
import type { InventoryLevel } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { ConflictError, InsufficientStockError } from "../errors.js";
import type { Scope } from "../scope.js";
import { parseInput, uuid } from "../validation.js";
import {
  availableOf,
  ensureLevel,
  levelKey,
  MAX_STOCK,
  requireStockOwner,
  requireWarehouse,
  type StockTarget,
  type Tx,
} from "./levels.js";
import { watchLowStock } from "./low-stock.js";

/**
 * How each adjustment type changes onHand:
 * - restock, return: onHand += quantity (quantity >= 1);
 * - sale, damage: onHand -= quantity (quantity >= 1), refused while it would take onHand below
 *   `reserved`, i.e. available below zero (reserved stock is promised to someone);
 * - correction: onHand = quantity, absolute (quantity >= 0), e.g. after a physical count; the ledger
 *   records the difference. Refused the same way when the count is below what is reserved (release the
 *   reservations first); the error's `requested` is then the reduction the correction asked for.
 */
export const ADJUSTMENT_TYPES = ["restock", "sale", "return", "damage", "correction"] as const;
export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number];

export const AdjustInventoryInput = z
  .object({
    entityId: uuid,
    variantId: uuid.nullish(),
    warehouseId: uuid,
    type: z.enum(ADJUSTMENT_TYPES),
    quantity: z.number().int().max(MAX_STOCK),
    reason: z.string().trim().max(500).nullish(),
  })
  .superRefine((data, ctx) => {
    // The lower bound depends on the type: a correction may count zero, a movement must move something.
    const min = data.type === "correction" ? 0 : 1;
    if (typeof data.quantity === "number" && data.quantity < min) {
      ctx.addIssue({
        code: "custom",
        path: ["quantity"],
        message: min ? "must be at least 1" : "must not be negative",
      });
    }
  });

export interface StockChange {
  type: AdjustmentType;
  quantity: number;
  reason?: string | null;
  reference?: string | null;
}

/** Validates the request, then applies it in one transaction with its ledger row. */
export async function adjustInventory(scope: Scope, input: unknown): Promise<InventoryLevel> {
  const data = parseInput(AdjustInventoryInput, input);
  const target: StockTarget = {
    entityId: data.entityId,
    variantId: data.variantId ?? null,
    warehouseId: data.warehouseId,
  };
  await requireStockOwner(scope, target);
  await requireWarehouse(scope.prisma, scope.storeId, target.warehouseId);
  return scope.prisma.$transaction(async (tx) => {
    const announceLowStock = await watchLowStock(tx, scope.storeId, [target]);
    const level = await adjustStock(tx, target, data);
    await announceLowStock();
    await recordChange(tx, {
      ...changedBy(scope),
      event: "inventory.afterAdjust",
      entityType: "inventory_level",
      entityId: level.id,
      after: { ...level, available: level.onHand - level.reserved },
      data: {
        ...target,
        type: data.type,
        quantity: data.quantity,
        onHand: level.onHand,
        reserved: level.reserved,
        available: level.onHand - level.reserved,
      },
    });
    return level;
  });
}

/**
 * Changes one level's onHand (creating the level if needed) and writes the InventoryAdjustment
 * ledger row, inside the caller's transaction. The target must already be validated.
 */
export async function adjustStock(tx: Tx, target: StockTarget, change: StockChange): Promise<InventoryLevel> {
  await ensureLevel(tx, target);
  const { level, delta } =
    change.type === "correction" ? await setOnHand(tx, target, change.quantity) : await moveOnHand(tx, target, change);
  await tx.inventoryAdjustment.create({
    data: {
      levelId: level.id,
      type: change.type,
      delta,
      reason: change.reason ?? null,
      reference: change.reference ?? null,
    },
  });
  return level;
}

/** restock/return add, sale/damage subtract: one conditional UPDATE, so the guard and the write are one step. */
async function moveOnHand(tx: Tx, target: StockTarget, change: StockChange) {
  const adds = change.type === "restock" || change.type === "return";
  const delta = adds ? change.quantity : -change.quantity;
  const [level] = adds
    ? await tx.$queryRaw<InventoryLevel[]>`
        UPDATE inventory_level SET "onHand" = "onHand" + ${change.quantity}::int, "updatedAt" = now()
        WHERE ${levelKey(target)} AND "onHand" + ${change.quantity}::int <= ${MAX_STOCK}::int
        RETURNING *`
    : await tx.$queryRaw<InventoryLevel[]>`
        UPDATE inventory_level SET "onHand" = "onHand" - ${change.quantity}::int, "updatedAt" = now()
        WHERE ${levelKey(target)} AND "onHand" - reserved >= ${change.quantity}::int
        RETURNING *`;
  if (level) return { level, delta };
  if (adds) throw new ConflictError(`On-hand stock cannot exceed ${MAX_STOCK}.`, "quantity");
  const current = await findLevel(tx, target);
  throw new InsufficientStockError(
    target.entityId,
    target.variantId,
    change.quantity,
    current ? availableOf(current) : 0,
  );
}

/**
 * A correction sets an absolute count, so it needs the previous onHand for the ledger's delta: the
 * row is locked first (FOR UPDATE), so nothing changes between the read and the write.
 */
async function setOnHand(tx: Tx, target: StockTarget, count: number) {
  const [current] = await tx.$queryRaw<
    InventoryLevel[]
  >`SELECT * FROM inventory_level WHERE ${levelKey(target)} FOR UPDATE`;
  if (!current) throw new Error("inventory level vanished inside its transaction");
  if (count < current.reserved) {
    throw new InsufficientStockError(target.entityId, target.variantId, current.onHand - count, availableOf(current));
  }
  const [level] = await tx.$queryRaw<InventoryLevel[]>`
    UPDATE inventory_level SET "onHand" = ${count}::int, "updatedAt" = now() WHERE id = ${current.id}::uuid RETURNING *`;
  return { level: level!, delta: count - current.onHand };
}

async function findLevel(tx: Tx, target: StockTarget): Promise<InventoryLevel | undefined> {
  const [level] = await tx.$queryRaw<InventoryLevel[]>`SELECT * FROM inventory_level WHERE ${levelKey(target)}`;
  return level;
}

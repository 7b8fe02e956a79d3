import { queueWebhooks } from "../webhooks/dispatch.js";
import type { Tx } from "./levels.js";

/** An item whose stock may go down: an entity, or one of its variants. */
export interface StockItem {
  entityId: string;
  variantId: string | null;
}

/**
 * The per-item threshold of `inventory.low` (seed 003): `metadata.lowStockThreshold` of the variant, else
 * of its entity, a whole number >= 0. Items without one are never announced.
 */
export const LOW_STOCK_THRESHOLD_KEY = "lowStockThreshold";

function thresholdOf(metadata: unknown): number | null {
  const value = (metadata as Record<string, unknown> | null)?.[LOW_STOCK_THRESHOLD_KEY];
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

const keyOf = (item: StockItem) => `${item.entityId}:${item.variantId ?? ""}`;

/** Available stock (on hand - reserved, over every warehouse) of each item that has any level. */
async function availability(tx: Tx, items: readonly StockItem[]): Promise<Map<string, number>> {
  const rows = await tx.inventoryLevel.groupBy({
    by: ["entityId", "variantKey"],
    where: { entityId: { in: [...new Set(items.map((i) => i.entityId))] } },
    _sum: { onHand: true, reserved: true },
  });
  return new Map(rows.map((r) => [`${r.entityId}:${r.variantKey}`, (r._sum.onHand ?? 0) - (r._sum.reserved ?? 0)]));
}

/**
 * Watches items whose stock a change in this transaction may lower: call before the change, and the
 * returned function after it. Every item that had a threshold and went from at or above it to below it
 * is announced as `inventory.low` through the webhook outbox of the same transaction. Costs one query
 * when no item has a threshold.
 */
export async function watchLowStock(
  tx: Tx,
  storeId: string,
  items: readonly StockItem[],
): Promise<() => Promise<void>> {
  items = [...new Map(items.map((item) => [keyOf(item), item])).values()];
  const entities = items.length
    ? await tx.catalogEntity.findMany({
        where: { storeId, id: { in: [...new Set(items.map((i) => i.entityId))] } },
        select: {
          id: true,
          metadata: true,
          variants: {
            where: { id: { in: items.flatMap((i) => (i.variantId ? [i.variantId] : [])) } },
            select: { id: true, sku: true, metadata: true },
          },
        },
      })
    : [];
  const watched = items.flatMap((item) => {
    const entity = entities.find((e) => e.id === item.entityId);
    const variant = entity?.variants.find((v) => v.id === item.variantId);
    const threshold = (variant && thresholdOf(variant.metadata)) ?? (entity ? thresholdOf(entity.metadata) : null);
    return threshold === null ? [] : [{ ...item, sku: variant?.sku ?? null, threshold }];
  });
  if (watched.length === 0) return async () => {};
  const before = await availability(tx, watched);
  return async () => {
    const after = await availability(tx, watched);
    for (const item of watched) {
      const was = before.get(keyOf(item));
      const now = after.get(keyOf(item));
      if (was === undefined || now === undefined || !(was >= item.threshold && now < item.threshold)) continue;
      await queueWebhooks(tx, {
        type: "inventory.low",
        storeId,
        at: new Date().toISOString(),
        data: {
          entityId: item.entityId,
          variantId: item.variantId,
          sku: item.sku,
          available: now,
          threshold: item.threshold,
        },
      });
    }
  };
}

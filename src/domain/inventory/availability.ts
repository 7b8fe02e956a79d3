import { z } from "zod";
import type { InventoryLevel } from "../../generated/prisma/client.js";
import { vendorOf } from "../auth/actor.js";
import { entityWhere } from "../catalog/entities.js";
import type { Scope } from "../scope.js";
import { parseInput, uuid } from "../validation.js";
import { availableOf } from "./levels.js";

export const MAX_CHECKED_ENTITIES = 100;

const CheckInput = z.object({ entityIds: z.array(uuid).min(1).max(MAX_CHECKED_ENTITIES) });

export interface StockTotals {
  onHand: number;
  reserved: number;
  available: number;
}

export interface EntityAvailability extends StockTotals {
  entityId: string;
  /** Every level of the entity: one per warehouse and variant. */
  levels: InventoryLevel[];
  /** One per variant of the entity (zero when it has no stock anywhere), totals across warehouses. */
  variants: (StockTotals & { variantId: string })[];
}

function total(levels: readonly InventoryLevel[]): StockTotals {
  const onHand = levels.reduce((sum, l) => sum + l.onHand, 0);
  const reserved = levels.reduce((sum, l) => sum + l.reserved, 0);
  return { onHand, reserved, available: levels.reduce((sum, l) => sum + availableOf(l), 0) };
}

/**
 * Stock of several entities, totalled across the store's active warehouses, in the order asked
 * (duplicates once). Entities that do not exist, or that the caller may not see (drafts for the
 * public), are left out rather than reported, so the answer reveals nothing about them.
 */
export async function checkAvailability(
  scope: Scope,
  input: unknown,
  options: { seeUnpublished: boolean },
): Promise<EntityAvailability[]> {
  const { entityIds } = parseInput(CheckInput, input);
  const ids = [...new Set(entityIds)];
  const entities = await scope.prisma.catalogEntity.findMany({
    where: { ...entityWhere(scope.storeId, {}, options.seeUnpublished, vendorOf(scope.actor)), id: { in: ids } },
    select: {
      id: true,
      variants: { select: { id: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] },
      inventoryLevels: {
        where: { warehouse: { active: true } },
        orderBy: [{ warehouseId: "asc" }, { variantKey: "asc" }],
      },
    },
  });
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  return ids.flatMap((id) => {
    const entity = byId.get(id);
    if (!entity) return [];
    const levels = entity.inventoryLevels;
    return [
      {
        entityId: id,
        ...total(levels),
        levels,
        variants: entity.variants.map((variant) => ({
          variantId: variant.id,
          ...total(levels.filter((l) => l.variantId === variant.id)),
        })),
      },
    ];
  });
}

import type { Db } from "../../infra/db.js";
import { percentOf } from "../promotions/rules.js";

export interface PriceRequest {
  entityId: string;
  variantId: string | null;
  quantity: number;
}

export interface PriceContext {
  currency: string;
  customerGroupIds: readonly string[];
  now: Date;
}

export interface ResolvedPrice {
  /** What the shopper pays per unit, after modifiers (minor units). */
  amount: number;
  /** The price record's amount before modifiers. */
  baseAmount: number;
  priceId: string;
  modifierIds: string[];
}

interface PriceRow {
  id: string;
  entityId: string;
  variantId: string | null;
  customerGroupId: string | null;
  minQuantity: number;
  amount: number;
  createdAt: Date;
}

/**
 * How specific a price is for a request: variant + group > variant > entity + group > entity. A price
 * of another variant, another group or a higher minimum quantity does not apply at all (-1).
 */
function specificity(price: PriceRow, request: PriceRequest, groups: ReadonlySet<string>): number {
  if (price.variantId && price.variantId !== request.variantId) return -1;
  if (price.customerGroupId && !groups.has(price.customerGroupId)) return -1;
  if (price.minQuantity > request.quantity) return -1;
  return (price.variantId ? 2 : 0) + (price.customerGroupId ? 1 : 0);
}

/**
 * The price of each item in one currency for a shopper's groups: the most specific valid price record
 * (then the highest minimum quantity reached, then the newest), adjusted by the active modifiers that
 * match, in priority order. Two SQL statements however many items. null where nothing is priced.
 */
export async function resolvePrices(
  db: Pick<Db, "price" | "priceModifier">,
  storeId: string,
  items: readonly PriceRequest[],
  context: PriceContext,
): Promise<(ResolvedPrice | null)[]> {
  if (items.length === 0) return [];
  const entityIds = [...new Set(items.map((i) => i.entityId))];
  const validAt = {
    AND: [
      { OR: [{ validFrom: null }, { validFrom: { lte: context.now } }] },
      { OR: [{ validUntil: null }, { validUntil: { gt: context.now } }] },
    ],
  };
  const [prices, modifiers] = await Promise.all([
    db.price.findMany({ where: { storeId, entityId: { in: entityIds }, currency: context.currency, ...validAt } }),
    db.priceModifier.findMany({
      where: {
        storeId,
        active: true,
        OR: [{ entityId: null }, { entityId: { in: entityIds } }],
        AND: [{ OR: [{ currency: null }, { currency: context.currency }] }, ...validAt.AND],
      },
      orderBy: [{ priority: "desc" }, { createdAt: "asc" }],
    }),
  ]);
  const groups = new Set(context.customerGroupIds);
  return items.map((item) => {
    let best: PriceRow | undefined;
    let bestRank = -1;
    for (const price of prices) {
      if (price.entityId !== item.entityId) continue;
      const rank = specificity(price, item, groups);
      if (rank < 0) continue;
      const better =
        rank > bestRank ||
        (rank === bestRank &&
          best &&
          (price.minQuantity > best.minQuantity ||
            (price.minQuantity === best.minQuantity && price.createdAt > best.createdAt)));
      if (better) {
        best = price;
        bestRank = rank;
      }
    }
    if (!best) return null;
    let amount = best.amount;
    const applied: string[] = [];
    for (const modifier of modifiers) {
      if (modifier.entityId && modifier.entityId !== item.entityId) continue;
      if (modifier.variantId && modifier.variantId !== item.variantId) continue;
      if (modifier.customerGroupId && !groups.has(modifier.customerGroupId)) continue;
      if (modifier.minQuantity > item.quantity) continue;
      if (modifier.type === "fixed_price") amount = modifier.value;
      else if (modifier.type === "percentage_off") amount -= percentOf(amount, modifier.value);
      else if (modifier.type === "fixed_off") amount -= modifier.value;
      amount = Math.max(0, amount);
      applied.push(modifier.id);
    }
    return { amount, baseAmount: best.amount, priceId: best.id, modifierIds: applied };
  });
}

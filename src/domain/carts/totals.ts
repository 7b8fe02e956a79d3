import type { Db } from "../../infra/db.js";
import { computeTotals, type Totals } from "../checkout/totals.js";
import { loadPromotionRules, redemptionsByCustomer } from "../promotions/load.js";
import { rejectionFor } from "../promotions/rules.js";
import { loadStoreCharges } from "../stores/settings.js";

/**
 * Server-computed totals of carts (subtotal, discount, tax, shipping, total, and per line), with the
 * cart's promotion codes that apply now. Batched: a handful of statements for any number of carts.
 */
export async function cartTotals(db: Db, storeId: string, cartIds: readonly string[]): Promise<Map<string, Totals>> {
  const carts = await db.cart.findMany({
    where: { id: { in: [...cartIds] }, storeId },
    include: { items: { orderBy: { createdAt: "asc" } } },
  });
  const charges = await loadStoreCharges(db, storeId);
  const rules = await loadPromotionRules(
    db,
    storeId,
    carts.flatMap((c) => c.promotionCodes),
  );
  const now = new Date();
  // Per-customer limits count like checkout counts them; only carts with such a promotion pay the query.
  const usage = await Promise.all(
    carts.map((cart) => {
      const limited = cart.promotionCodes.flatMap((code) => {
        const rule = rules.get(code);
        return rule && rule.perCustomerLimit !== null ? [rule.id] : [];
      });
      return redemptionsByCustomer(db, limited, { customerId: cart.customerId, email: cart.email });
    }),
  );
  return new Map(
    carts.map((cart, index) => {
      const lines = cart.items.map((i) => ({
        key: i.id,
        entityId: i.entityId,
        variantId: i.variantId,
        quantity: i.quantity,
        unitPrice: i.unitPrice,
      }));
      const applicable = cart.promotionCodes
        .map((code) => rules.get(code))
        .filter(
          (rule) =>
            rule &&
            rejectionFor(rule, {
              currency: cart.currency,
              lines,
              now,
              customerRedemptions: usage[index]!.get(rule.id) ?? 0,
            }) === null,
        );
      return [cart.id, computeTotals(lines, applicable as NonNullable<(typeof applicable)[number]>[], charges)];
    }),
  );
}

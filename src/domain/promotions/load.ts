import type { Db } from "../../infra/db.js";
import type { PromotionRule } from "./rules.js";

/** Codes are matched case-insensitively: stored and looked up upper-case. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/** The promotions behind these codes in a store (unknown codes are simply absent), in the given order. */
export async function loadPromotionRules(
  db: Pick<Db, "promotion">,
  storeId: string,
  codes: readonly string[],
): Promise<Map<string, PromotionRule>> {
  const wanted = [...new Set(codes.map(normalizeCode))];
  if (wanted.length === 0) return new Map();
  const rows = await db.promotion.findMany({ where: { storeId, code: { in: wanted } } });
  const byCode = new Map(rows.map((row) => [row.code, row as PromotionRule]));
  return new Map(wanted.flatMap((code) => (byCode.has(code) ? [[code, byCode.get(code)!] as const] : [])));
}

/** How often a customer (by id, else by email) has redeemed each promotion. */
export async function redemptionsByCustomer(
  db: Pick<Db, "promotionRedemption">,
  promotionIds: readonly string[],
  who: { customerId?: string | null; email?: string | null },
): Promise<Map<string, number>> {
  if (promotionIds.length === 0 || (!who.customerId && !who.email)) return new Map();
  const rows = await db.promotionRedemption.groupBy({
    by: ["promotionId"],
    where: {
      promotionId: { in: [...promotionIds] },
      ...(who.customerId ? { customerId: who.customerId } : { email: who.email!.toLowerCase() }),
    },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.promotionId, r._count._all]));
}

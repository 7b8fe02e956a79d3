/**
 * Commission math, pure (no database): which rule applies to a line, what it takes, and a vendor's
 * split of a sub-order.
 *
 * Specificity (the most specific rule wins): vendor + category > vendor > category > default (neither).
 * Among rules equally specific (a line in two categories that both have a rule), the one created first
 * wins (then the smaller id), so the choice never depends on query order.
 *
 * Rounding: one rule, per line: the percentage part is rounded half up to a whole minor unit
 * (floor((total * bps + 5000) / 10000), totals are never negative), the fixed part is added, and the
 * line's commission is capped to [0, line total]. A sub-order's commission is the sum of its lines', and
 * the vendor's net is the subtotal minus that sum, so commission + vendorNet = subtotal to the cent.
 */

export interface CommissionRuleShape {
  id: string;
  vendorId: string | null;
  categoryId: string | null;
  rateBps: number;
  fixedAmount: number;
  createdAt: Date;
}

export interface CommissionLine {
  /** The line's total after discounts, before tax (minor units). */
  total: number;
  vendorId: string;
  categoryIds: readonly string[];
}

/** 4 = vendor + category, 3 = vendor, 2 = category, 1 = default; 0 = does not apply to the line. */
export function specificity(rule: CommissionRuleShape, line: CommissionLine): number {
  if (rule.vendorId !== null && rule.vendorId !== line.vendorId) return 0;
  if (rule.categoryId !== null && !line.categoryIds.includes(rule.categoryId)) return 0;
  if (rule.vendorId !== null && rule.categoryId !== null) return 4;
  if (rule.vendorId !== null) return 3;
  if (rule.categoryId !== null) return 2;
  return 1;
}

/** The rule that applies to a line, or null when none does (no commission). */
export function ruleFor<R extends CommissionRuleShape>(rules: readonly R[], line: CommissionLine): R | null {
  let best: R | null = null;
  let bestScore = 0;
  for (const rule of rules) {
    const score = specificity(rule, line);
    if (score === 0) continue;
    if (score > bestScore || (score === bestScore && best && earlier(rule, best))) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

function earlier(a: CommissionRuleShape, b: CommissionRuleShape): boolean {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime !== 0 ? byTime < 0 : a.id < b.id;
}

/** What a rule takes of a line total (the rounding rule above). */
export function commissionOf(rule: Pick<CommissionRuleShape, "rateBps" | "fixedAmount"> | null, total: number): number {
  if (!rule || total <= 0) return 0;
  const percentage = Math.floor((total * rule.rateBps + 5_000) / 10_000);
  return Math.min(total, Math.max(0, percentage + rule.fixedAmount));
}

export interface SubOrderSplit {
  /** Per line, in the order given. */
  lineCommissions: number[];
  subtotal: number;
  commission: number;
  vendorNet: number;
}

/** A vendor's lines -> per-line commissions and the sub-order's split (commission + vendorNet = subtotal). */
export function splitSubOrder(rules: readonly CommissionRuleShape[], lines: readonly CommissionLine[]): SubOrderSplit {
  const lineCommissions = lines.map((line) => commissionOf(ruleFor(rules, line), line.total));
  const subtotal = lines.reduce((sum, line) => sum + line.total, 0);
  const commission = lineCommissions.reduce((sum, c) => sum + c, 0);
  return { lineCommissions, subtotal, commission, vendorNet: subtotal - commission };
}

/** A percentage as the API takes it (0..100, at most two decimals) -> basis points. */
export function percentageToBps(percentage: number): number {
  return Math.round(percentage * 100);
}

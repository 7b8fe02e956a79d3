/**
 * Vendor balance math, pure: the balance is the sum of the ledger's entries, never stored. A credit
 * (a delivered sale) is payable once its hold period is over; debits (commission, refunds, dispute
 * adjustments, payouts) count at once, so a payout can never pay out money that a refund already took.
 */

export const LEDGER_ENTRY_TYPES = ["sale", "commission", "refund", "dispute", "payout"] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export interface LedgerEntryShape {
  amount: number;
  currency: string;
  availableAt: Date;
}

export interface Balance {
  currency: string;
  /** Everything: the sum of every entry. */
  balance: number;
  /** What a payout may take now: debits plus the credits whose hold is over (never below 0 to pay). */
  payable: number;
  /** Credits still held. */
  pending: number;
}

/** Balances per currency, in the order currencies first appear. */
export function balancesOf(entries: readonly LedgerEntryShape[], now: Date): Balance[] {
  const byCurrency = new Map<string, Balance>();
  for (const entry of entries) {
    const b = byCurrency.get(entry.currency) ?? { currency: entry.currency, balance: 0, payable: 0, pending: 0 };
    b.balance += entry.amount;
    if (entry.amount < 0 || entry.availableAt.getTime() <= now.getTime()) b.payable += entry.amount;
    else b.pending += entry.amount;
    byCurrency.set(entry.currency, b);
  }
  return [...byCurrency.values()];
}

/** What a payout run pays: the payable amount when positive, else nothing. */
export function payoutAmount(balance: Balance): number {
  return Math.max(0, balance.payable);
}

/** When a credit made at `at` becomes payable. */
export function availableAfterHold(at: Date, holdHours: number): Date {
  return new Date(at.getTime() + holdHours * 3_600_000);
}

import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import type { Balance, LedgerEntryType } from "./ledger-math.js";

type Tx = Prisma.TransactionClient;

export interface LedgerEntryInput {
  storeId: string;
  vendorId: string;
  type: LedgerEntryType;
  /** Signed: credits positive, debits negative. */
  amount: number;
  currency: string;
  /** Unique per store: the fact this entry records (sale:<subOrderId>, payout:<payoutId>, ...). */
  reference: string;
  availableAt: Date;
  subOrderId?: string | null;
  payoutId?: string | null;
  disputeId?: string | null;
}

/**
 * Appends entries (never updates or deletes one). An entry whose reference is already in the ledger is
 * skipped, so a fact replayed (a retried request, a racing duplicate) never counts twice. Zero amounts
 * are not written.
 */
export async function appendLedger(tx: Tx, entries: LedgerEntryInput[]): Promise<number> {
  const data = entries.filter((e) => e.amount !== 0);
  if (data.length === 0) return 0;
  const { count } = await tx.vendorLedgerEntry.createMany({
    data: data.map((e) => ({
      storeId: e.storeId,
      vendorId: e.vendorId,
      type: e.type,
      amount: e.amount,
      currency: e.currency,
      reference: e.reference,
      availableAt: e.availableAt,
      subOrderId: e.subOrderId ?? null,
      payoutId: e.payoutId ?? null,
      disputeId: e.disputeId ?? null,
    })),
    skipDuplicates: true,
  });
  return count;
}

/**
 * A vendor's balances per currency, summed by the database from the ledger (ledger-math.ts says what
 * balance, payable and pending mean). `vendorIds` null: every vendor of the store that has entries.
 */
export async function vendorBalances(
  db: Tx | Db,
  storeId: string,
  vendorIds: readonly string[] | null,
  now: Date,
): Promise<(Balance & { vendorId: string })[]> {
  const rows = await db.$queryRaw<
    { vendorId: string; currency: string; balance: number; payable: number; pending: number }[]
  >`
    SELECT "vendorId"::text AS "vendorId", currency,
      COALESCE(SUM(amount), 0)::int AS balance,
      COALESCE(SUM(CASE WHEN amount < 0 OR "availableAt" <= ${now} THEN amount ELSE 0 END), 0)::int AS payable,
      COALESCE(SUM(CASE WHEN amount > 0 AND "availableAt" > ${now} THEN amount ELSE 0 END), 0)::int AS pending
    FROM vendor_ledger_entry
    WHERE "storeId" = ${storeId}::uuid
      AND (${vendorIds === null} OR "vendorId"::text = ANY(${vendorIds ?? []}::text[]))
    GROUP BY "vendorId", currency
    ORDER BY "vendorId", currency`;
  return rows.map((r) => ({
    ...r,
    balance: Number(r.balance),
    payable: Number(r.payable),
    pending: Number(r.pending),
  }));
}

import { z } from "zod";
import type { Payout, Prisma } from "../../generated/prisma/client.js";
import { type Change, changedBy, recordChange } from "../audit/record.js";
import { InvalidTransitionError, NotFoundError } from "../errors.js";
import type { MarketplaceOrderEvent } from "../events.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { appendLedger, vendorBalances } from "./ledger.js";
import { payoutAmount } from "./ledger-math.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";

type Tx = Prisma.TransactionClient;

/**
 * Payouts: pending -> paid | failed; failed -> pending again by a retry. A run pays every vendor's
 * payable balance once: under one lock per store (the store row), it reads each vendor's payable
 * balance from the ledger and writes the payout and its ledger debit in the same transaction, so a
 * second run — even one racing the first — finds the balance already taken and pays nothing. The
 * provider is called after commit, with the payout's idempotency key; a refused transfer marks the
 * payout failed (its debit stays: the money stays reserved for the retry).
 */
export async function runPayouts(deps: MarketplaceDeps): Promise<Payout[]> {
  const { scope } = deps;
  const now = new Date();
  const events: MarketplaceOrderEvent[] = [];
  const created = await scope.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM store WHERE id = ${scope.storeId}::uuid FOR UPDATE`;
    const balances = await vendorBalances(tx, scope.storeId, null, now);
    const payouts: Payout[] = [];
    for (const balance of balances) {
      const amount = payoutAmount(balance);
      if (amount <= 0) continue;
      const payout = await tx.payout.create({
        data: {
          storeId: scope.storeId,
          vendorId: balance.vendorId,
          amount,
          currency: balance.currency,
          provider: deps.marketplace.payouts.name,
        },
      });
      await appendLedger(tx, [
        {
          storeId: scope.storeId,
          vendorId: balance.vendorId,
          type: "payout",
          amount: -amount,
          currency: balance.currency,
          reference: `payout:${payout.id}`,
          availableAt: now,
          payoutId: payout.id,
        },
      ]);
      events.push(await recordPayoutEvent(tx, changedBy(scope), "payout.created", payout, null));
      payouts.push(payout);
    }
    return payouts;
  });
  for (const event of events) scope.events.publish(event);
  const sent: Payout[] = [];
  for (const payout of created) sent.push(await send(deps, payout));
  return sent;
}

const RetryInput = z.object({ id: z.string() });

/** failed -> pending -> paid | failed: claimed by a conditional update, so two retries never both send. */
export async function retryPayout(deps: MarketplaceDeps, input: unknown): Promise<Payout> {
  const { scope } = deps;
  const { id } = parseInput(RetryInput, input);
  const payout = await findPayout(scope, null, id);
  const claimed = await scope.prisma.payout.updateMany({
    where: { id: payout.id, status: "failed" },
    data: { status: "pending", failureReason: null },
  });
  if (claimed.count === 0)
    throw new InvalidTransitionError("payout", payout.status, "pending", payout.status === "failed" ? ["pending"] : []);
  return send(deps, await scope.prisma.payout.findUniqueOrThrow({ where: { id: payout.id } }));
}

export async function findPayout(scope: Scope, vendorId: string | null, id: string): Promise<Payout> {
  const found = isUuid(id)
    ? await scope.prisma.payout.findFirst({ where: { id, storeId: scope.storeId, ...(vendorId ? { vendorId } : {}) } })
    : null;
  if (!found) throw new NotFoundError("Payout", id);
  return found;
}

/** The provider call (after commit) and its outcome, audited as payout.paid or payout.failed. */
async function send(deps: MarketplaceDeps, payout: Payout): Promise<Payout> {
  const { scope } = deps;
  let outcome: { providerRef: string } | { error: string };
  try {
    outcome = await deps.marketplace.payouts.transfer({
      payoutId: payout.id,
      vendorId: payout.vendorId,
      destination: await destinationOf(scope, payout.vendorId),
      amount: payout.amount,
      currency: payout.currency,
      idempotencyKey: `payout:${payout.id}`,
    });
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message.slice(0, 500) : "provider error" };
  }
  const { updated, event } = await scope.prisma.$transaction(async (tx) => {
    const updated = await tx.payout.update({
      where: { id: payout.id },
      data:
        "error" in outcome
          ? { status: "failed", failureReason: outcome.error, attempts: { increment: 1 } }
          : { status: "paid", providerRef: outcome.providerRef, paidAt: new Date(), attempts: { increment: 1 } },
    });
    const event = await recordPayoutEvent(
      tx,
      changedBy(scope),
      "error" in outcome ? "payout.failed" : "payout.paid",
      updated,
      payout.status,
    );
    return { updated, event };
  });
  scope.events.publish(event);
  return updated;
}

/** A vendor's connected payout account (Stripe Connect `acct_...`), kept in its metadata by the vendor module. */
async function destinationOf(scope: Scope, vendorId: string): Promise<string | null> {
  const rows = await scope.prisma.$queryRaw<{ account: string | null }[]>`
    SELECT metadata->>'stripeAccountId' AS account FROM vendor WHERE id = ${vendorId}::uuid`;
  return rows[0]?.account ?? null;
}

async function recordPayoutEvent(
  tx: Tx,
  who: Pick<Change, "storeId" | "actor" | "requestId">,
  type: "payout.created" | "payout.paid" | "payout.failed",
  payout: Payout,
  before: string | null,
): Promise<MarketplaceOrderEvent> {
  const data = {
    payoutId: payout.id,
    vendorId: payout.vendorId,
    amount: payout.amount,
    currency: payout.currency,
    status: payout.status,
    provider: payout.provider,
    providerRef: payout.providerRef,
    failureReason: payout.failureReason,
  };
  await recordChange(tx, {
    ...who,
    event: type,
    entityType: "payout",
    entityId: payout.id,
    before: before ? { status: before } : undefined,
    after: data,
    data,
  });
  return {
    type,
    storeId: payout.storeId,
    vendorId: payout.vendorId,
    subjectId: payout.id,
    subOrderId: null,
    orderId: null,
    status: payout.status,
    at: new Date().toISOString(),
  };
}

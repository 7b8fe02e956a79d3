import { z } from "zod";
import type { Prisma, Refund } from "../../generated/prisma/client.js";
import { type Change, changedBy, recordChange } from "../audit/record.js";
import { callerScope, withIdempotencyKey } from "../checkout/idempotency.js";
import { ConflictError, DomainError, InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { recordOrderActivity } from "../orders/activity.js";
import { ORDER_TRANSITIONS, type OrderStatus } from "../orders/lifecycle.js";
import { lockOrder, transitionOrder } from "../orders/orders.js";
import { valueOfUnits } from "../orders/valuation.js";
import { RETURN_TRANSITIONS, type ReturnStatus } from "../returns/lifecycle.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import {
  CAPTURED_STATUSES,
  type PaymentStatus,
  paymentTransitionError,
  refreshOrderPaymentStatus,
  transitionPayment,
} from "./lifecycle.js";
import type { PaymentProviders } from "./providers.js";

export const RefundInput = z.object({
  orderId: z.string(),
  /** Minor units; the whole refundable remainder when omitted. */
  amount: z.number().int().positive().nullish(),
  reason: z.string().trim().max(500).nullish(),
  /** The received return this refund pays back (its value when the amount is omitted). */
  returnId: uuid.nullish(),
});

export interface RefundDeps {
  scope: Scope;
  /** A refund goes to the provider that took the payment. */
  payments: Pick<PaymentProviders, "get" | "select">;
}

/**
 * Refunds (part of) an order's captured payment (`issueRefund`): the whole refundable remainder when
 * the amount is omitted, or a received return's value with `returnId`. A fully refunded order moves to
 * `refunded` once its refunds settle.
 */
export async function refundOrder(deps: RefundDeps, input: unknown, idempotencyKey?: string | null) {
  const request = parseInput(RefundInput, input);
  if (!isUuid(request.orderId)) throw new NotFoundError("Order", request.orderId);
  if (!idempotencyKey) return issueRefund(deps, request);
  return withIdempotencyKey(
    deps.scope.prisma,
    {
      storeId: deps.scope.storeId,
      scope: callerScope("refund", deps.scope.actor, request.orderId),
      key: idempotencyKey,
      request,
    },
    async (claim) => {
      const refund = await issueRefund(deps, request, (tx, created) => claim.complete(tx, { refundId: created.id }));
      return { result: refund, outcome: { refundId: refund.id } };
    },
    async (outcome) => deps.scope.prisma.refund.findUniqueOrThrow({ where: { id: String(outcome.refundId) } }),
  );
}

export interface RefundRequest {
  orderId: string;
  amount?: number | null;
  reason?: string | null;
  /** A received return this refund pays back (checked; its value when the amount is omitted). */
  returnId?: string | null;
  /** The exchange whose price difference this refund returns (internal: the amount is given). */
  exchangeId?: string | null;
}

/**
 * Takes a refund out of the order's captured money and asks the provider for it. The amount comes out of
 * the payment's refundable remainder under the order's and the payment's row locks, before the provider
 * is called, so concurrent refunds can never return more than was captured; if the provider refuses,
 * it is put back. Manual refunds settle at once, Stripe's when its webhook lands. With `returnId` the
 * refund pays back a received return (by default the value of its units). `inTransaction` runs inside
 * the refund's transaction (e.g. to record an idempotency outcome with it).
 */
export async function issueRefund(
  deps: RefundDeps,
  request: RefundRequest,
  inTransaction?: (tx: Prisma.TransactionClient, refund: Refund) => Promise<void>,
): Promise<Refund> {
  const { scope } = deps;
  const { refund, payment } = await scope.prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, scope.storeId, request.orderId);
    const defaultAmount = request.returnId ? await returnValue(tx, order.id, request.returnId) : null;
    const payments = await tx.$queryRaw<
      {
        id: string;
        status: string;
        provider: string;
        capturedAmount: number;
        refundedAmount: number;
        providerRef: string | null;
      }[]
    >`
      SELECT id, status, provider, "capturedAmount", "refundedAmount", "providerRef" FROM payment
      WHERE "orderId" = ${order.id}::uuid ORDER BY "createdAt", id FOR UPDATE`;
    const captured = payments.filter((p) => (CAPTURED_STATUSES as readonly string[]).includes(p.status));
    if (captured.length === 0) {
      const latest = payments.at(-1);
      if (latest) throw paymentTransitionError(latest.status, "refunded");
      throw new ConflictError("The order has no captured payment to refund.", "payment");
    }
    const payment = captured.find((p) => p.capturedAmount > p.refundedAmount);
    if (!payment) throw new ConflictError("The payment is already fully refunded.", "payment");
    const refundable = payment.capturedAmount - payment.refundedAmount;
    const amount = request.amount ?? (defaultAmount === null ? refundable : Math.min(defaultAmount, refundable));
    if (amount > refundable)
      throw ValidationError.field("amount", "too_big", `At most ${refundable} can still be refunded.`);
    if (amount <= 0) throw ValidationError.field("amount", "too_small", "Nothing is left to refund.");
    await tx.payment.update({ where: { id: payment.id }, data: { refundedAmount: { increment: amount } } });
    const refund = await tx.refund.create({
      data: {
        paymentId: payment.id,
        orderId: order.id,
        returnId: request.returnId ?? request.exchangeId ?? null,
        amount,
        reason: request.reason ?? null,
      },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "payments.refund",
      entityType: "order",
      entityId: order.id,
      before: { refundedAmount: payment.refundedAmount },
      after: {
        refundId: refund.id,
        amount,
        refundedAmount: payment.refundedAmount + amount,
        returnId: refund.returnId,
      },
    });
    // E.g. an idempotency key's outcome, committed with the refund: a crash after this never refunds twice.
    await inTransaction?.(tx, refund);
    return { refund, payment };
  });
  return sendRefund(deps, refund, payment);
}

/** The provider call, after commit (no network inside a transaction). */
async function sendRefund(
  deps: RefundDeps,
  refund: Refund,
  payment: { id: string; provider: string; providerRef: string | null },
): Promise<Refund> {
  const { scope } = deps;
  let result;
  try {
    const provider = deps.payments.get(payment.provider);
    if (!provider) throw new Error(`the ${payment.provider} provider is not configured on this server`);
    result = await provider.refund({
      providerRef: payment.providerRef ?? `unreferenced:${payment.id}`,
      amount: refund.amount,
      reason: refund.reason,
      idempotencyKey: `refund:${refund.id}`,
    });
  } catch (error) {
    await scope.prisma.$transaction([
      scope.prisma.refund.update({ where: { id: refund.id }, data: { status: "failed" } }),
      scope.prisma.payment.update({
        where: { id: payment.id },
        data: { refundedAmount: { decrement: refund.amount } },
      }),
    ]);
    throw new DomainError(
      "CONFLICT",
      `The payment provider refused the refund: ${error instanceof Error ? error.message : "error"}.`,
    );
  }
  await scope.prisma.refund.update({ where: { id: refund.id }, data: { providerRef: result.providerRef } });
  if (result.status === "succeeded") {
    const events = await scope.prisma.$transaction((tx) =>
      settleRefunds(tx, payment.id, [refund.id], scope.actor, scope.requestId),
    );
    for (const event of events) scope.events.publish(event);
  }
  return scope.prisma.refund.findUniqueOrThrow({ where: { id: refund.id } });
}

/** A return may be refunded once, when its items are back; by default for what its units cost. */
async function returnValue(tx: Prisma.TransactionClient, orderId: string, returnId: string): Promise<number> {
  const found = isUuid(returnId)
    ? await tx.orderReturn.findFirst({ where: { id: returnId, orderId, kind: "return" }, include: { lines: true } })
    : null;
  if (!found) throw new NotFoundError("Return", returnId);
  if (found.status !== "received") {
    throw new InvalidTransitionError(
      "return",
      found.status,
      "refunded",
      RETURN_TRANSITIONS[found.status as ReturnStatus] ?? [],
    );
  }
  const earlier = await tx.refund.count({ where: { returnId, status: { in: ["pending", "succeeded"] } } });
  if (earlier > 0) throw new ConflictError("This return is already being refunded.", "returnId");
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true } });
  return valueOfUnits(
    order,
    order.lines,
    found.lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity })),
  );
}

/**
 * Settles pending refunds of a payment (all of them, or those named): each becomes succeeded and is
 * announced as `order.refunded`; the payment moves to partially_refunded or refunded, the order's
 * payment status follows, a return paid back by one becomes refunded, and a fully refunded order moves
 * to `refunded` when its lifecycle allows. Returns the events to publish after commit. The order is
 * locked first, like every post-purchase change.
 */
export async function settleRefunds(
  tx: Prisma.TransactionClient,
  paymentId: string,
  refundIds?: string[],
  actor: Change["actor"] = { kind: "system", id: "refunds" },
  requestId?: string | null,
): Promise<DomainEvent[]> {
  const owner = await tx.payment.findUniqueOrThrow({
    where: { id: paymentId },
    select: { storeId: true, orderId: true },
  });
  await lockOrder(tx, owner.storeId, owner.orderId);
  // Read under the lock: a concurrent settlement may just have moved the payment.
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
  const settling = await tx.refund.findMany({
    where: { paymentId, status: "pending", ...(refundIds ? { id: { in: refundIds } } : {}) },
    orderBy: { createdAt: "asc" },
  });
  if (settling.length === 0) return [];
  const settledAt = new Date();
  await tx.refund.updateMany({
    where: { id: { in: settling.map((r) => r.id) }, status: "pending" },
    data: { status: "succeeded", settledAt },
  });

  const settled = await tx.refund.aggregate({ where: { paymentId, status: "succeeded" }, _sum: { amount: true } });
  const target: PaymentStatus =
    (settled._sum.amount ?? 0) >= payment.capturedAmount ? "refunded" : "partially_refunded";
  if (payment.status !== target) await transitionPayment(tx, paymentId, target);
  await refreshOrderPaymentStatus(tx, payment.orderId);

  const events: DomainEvent[] = [];
  const who = { storeId: payment.storeId, actor, requestId };
  for (const refund of settling) {
    const after = { ...refund, status: "succeeded", settledAt };
    events.push(
      await recordOrderActivity(tx, {
        ...who,
        type: "order.refunded",
        orderId: payment.orderId,
        entityType: "refund",
        entityId: refund.id,
        after,
        data: { refundId: refund.id, amount: refund.amount, currency: payment.currency, returnId: refund.returnId },
      }),
    );
    if (!refund.returnId) continue;
    const paidBack = await tx.orderReturn.updateMany({
      where: { id: refund.returnId, kind: "return", status: "received" },
      data: { status: "refunded", refundedAt: settledAt },
    });
    if (paidBack.count === 1) {
      events.push(
        await recordOrderActivity(tx, {
          ...who,
          type: "return.refunded",
          orderId: payment.orderId,
          entityType: "return",
          entityId: refund.returnId,
          before: { status: "received" },
          after: { status: "refunded", refundId: refund.id },
          data: { returnId: refund.returnId, refundId: refund.id, amount: refund.amount },
        }),
      );
    }
  }

  const order = await tx.order.findUniqueOrThrow({
    where: { id: payment.orderId },
    select: { status: true, paymentStatus: true },
  });
  if (order.paymentStatus === "refunded" && ORDER_TRANSITIONS[order.status as OrderStatus]?.includes("refunded")) {
    const { event } = await transitionOrder(tx, {
      orderId: payment.orderId,
      storeId: payment.storeId,
      target: "refunded",
      reason: "payment fully refunded",
      actor,
      requestId,
      via: "refund",
    });
    events.push(event);
  }
  return events;
}

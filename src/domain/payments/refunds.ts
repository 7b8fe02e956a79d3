import { z } from "zod";
import type { Prisma as P } from "../../generated/prisma/client.js";
import { withIdempotencyKey } from "../checkout/idempotency.js";
import { ConflictError, DomainError, NotFoundError, ValidationError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { ORDER_TRANSITIONS, type OrderStatus } from "../orders/lifecycle.js";
import { transitionOrder } from "../orders/orders.js";
import { changedBy, recordChange } from "../audit/record.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import type { PaymentProvider } from "./provider.js";

const RefundInput = z.object({
  orderId: z.string(),
  /** Minor units; the whole refundable remainder when omitted. */
  amount: z.number().int().positive().nullish(),
  reason: z.string().trim().max(500).nullish(),
});

export interface RefundDeps {
  scope: Scope;
  payments: PaymentProvider;
}

/**
 * Refunds (part of) an order's captured payment. The amount is taken out of the payment's refundable
 * remainder under a row lock before the provider is called, so concurrent refunds can never return
 * more than was paid; if the provider refuses, the amount is put back. A refund the provider completes
 * at once settles now; an asynchronous one (Stripe) settles when its webhook lands. A fully refunded
 * order moves to `refunded` when its lifecycle allows.
 */
export async function refundOrder(deps: RefundDeps, input: unknown, idempotencyKey?: string | null) {
  const request = parseInput(RefundInput, input);
  if (!isUuid(request.orderId)) throw new NotFoundError("Order", request.orderId);
  if (!idempotencyKey) return issueRefund(deps, request);
  return withIdempotencyKey(
    deps.scope.prisma,
    { storeId: deps.scope.storeId, scope: "refund", key: idempotencyKey, request },
    async () => {
      const refund = await issueRefund(deps, request);
      return { result: refund, record: { refundId: refund.id } };
    },
    async (record) => deps.scope.prisma.refund.findUniqueOrThrow({ where: { id: String(record.refundId) } }),
  );
}

async function issueRefund(deps: RefundDeps, request: z.output<typeof RefundInput>) {
  const { scope, payments } = deps;
  const { refund, payment } = await scope.prisma.$transaction(async (tx) => {
    const order = await tx.order.findFirst({ where: { id: request.orderId, storeId: scope.storeId }, select: { id: true } });
    if (!order) throw new NotFoundError("Order", request.orderId);
    const [payment] = await tx.$queryRaw<{ id: string; amount: number; refundedAmount: number; providerRef: string | null; provider: string }[]>`
      SELECT id, amount, "refundedAmount", "providerRef", provider FROM payment
      WHERE "orderId" = ${order.id}::uuid AND status IN ('succeeded', 'partially_refunded')
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE`;
    if (!payment?.providerRef) throw new ConflictError("The order has no captured payment to refund.", "payment");
    const refundable = payment.amount - payment.refundedAmount;
    const amount = request.amount ?? refundable;
    if (refundable === 0) throw new ConflictError("The payment is already fully refunded.", "payment");
    if (amount > refundable) {
      throw ValidationError.field("amount", "too_big", `At most ${refundable} can still be refunded.`);
    }
    await tx.payment.update({ where: { id: payment.id }, data: { refundedAmount: { increment: amount } } });
    const refund = await tx.refund.create({ data: { paymentId: payment.id, amount, reason: request.reason ?? null } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "payments.refund",
      entityType: "order",
      entityId: order.id,
      before: { refundedAmount: payment.refundedAmount },
      after: { refundId: refund.id, amount, refundedAmount: payment.refundedAmount + amount },
    });
    return { refund, payment };
  });

  let result;
  try {
    result = await payments.refund({
      providerRef: payment.providerRef!,
      amount: refund.amount,
      reason: refund.reason,
      idempotencyKey: `refund:${refund.id}`,
    });
  } catch (error) {
    await scope.prisma.$transaction([
      scope.prisma.refund.update({ where: { id: refund.id }, data: { status: "failed" } }),
      scope.prisma.payment.update({ where: { id: payment.id }, data: { refundedAmount: { decrement: refund.amount } } }),
    ]);
    throw new DomainError("CONFLICT", `The payment provider refused the refund: ${error instanceof Error ? error.message : "error"}.`);
  }
  await scope.prisma.refund.update({ where: { id: refund.id }, data: { providerRef: result.providerRef } });
  if (result.status === "succeeded") {
    const events = await scope.prisma.$transaction((tx) => settleRefunds(tx, payment.id, [refund.id]));
    events.forEach((e) => scope.events.publish(e));
  }
  return scope.prisma.refund.findUniqueOrThrow({ where: { id: refund.id } });
}

/**
 * Marks pending refunds of a payment succeeded (all of them, or those named), updates the payment's
 * status, and moves a fully refunded order to `refunded` when its lifecycle allows. Returns the events
 * to publish after commit.
 */
export async function settleRefunds(tx: P.TransactionClient, paymentId: string, refundIds?: string[]): Promise<DomainEvent[]> {
  await tx.refund.updateMany({
    where: { paymentId, status: "pending", ...(refundIds ? { id: { in: refundIds } } : {}) },
    data: { status: "succeeded" },
  });
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { order: { select: { id: true, storeId: true, status: true } } } });
  const pending = await tx.refund.count({ where: { paymentId, status: "pending" } });
  const fully = payment.refundedAmount === payment.amount && pending === 0;
  await tx.payment.update({ where: { id: paymentId }, data: { status: fully ? "refunded" : "partially_refunded" } });
  if (fully && ORDER_TRANSITIONS[payment.order.status as OrderStatus]?.includes("refunded")) {
    const { event } = await transitionOrder(tx, {
      orderId: payment.order.id,
      storeId: payment.order.storeId,
      target: "refunded",
      reason: "payment fully refunded",
      actor: { kind: "system", id: "refunds" },
    });
    return [event];
  }
  return [];
}

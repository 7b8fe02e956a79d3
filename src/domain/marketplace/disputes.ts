import { z } from "zod";
import type { Dispute, Prisma } from "../../generated/prisma/client.js";
import { type Change, changedBy, recordChange } from "../audit/record.js";
import { can, customerIdOf } from "../auth/actor.js";
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import type { MarketplaceOrderEvent } from "../events.js";
import { issueRefund } from "../payments/refunds.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { appendLedger } from "./ledger.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import { findSubOrder } from "./sub-orders.js";

type Tx = Prisma.TransactionClient;

/** open -> responded (the vendor) -> escalated -> resolved (marketplace admin); open | responded -> escalated; any but resolved -> resolved. */
export const DISPUTE_STATUSES = ["open", "responded", "escalated", "resolved"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export const DISPUTE_TRANSITIONS: Record<DisputeStatus, readonly DisputeStatus[]> = {
  open: ["responded", "escalated", "resolved"],
  responded: ["escalated", "resolved"],
  escalated: ["resolved"],
  resolved: [],
};

const text = z.string().trim().min(1).max(2000);
const OpenInput = z.object({ subOrderId: z.string(), reason: text });
const RespondInput = z.object({ id: z.string(), response: text });
const EscalateInput = z.object({ id: z.string(), reason: z.string().trim().max(2000).nullish() });
const ResolveInput = z.object({
  id: z.string(),
  resolution: text,
  /** Refunded to the buyer and debited from the vendor (minor units); 0 or omitted: no refund. */
  refundAmount: z.number().int().min(0).nullish(),
});

/** Who sees which disputes: the admin all, a vendor its own, a customer those on its orders. */
export function disputeWhere(scope: Scope, vendorId: string | null): Prisma.DisputeWhereInput {
  const customerId = customerIdOf(scope.actor);
  return {
    storeId: scope.storeId,
    ...(vendorId ? { vendorId } : {}),
    ...(customerId ? { subOrder: { order: { customerId } } } : {}),
  };
}

export async function findDispute(scope: Scope, vendorId: string | null, id: string): Promise<Dispute> {
  const found = isUuid(id)
    ? await scope.prisma.dispute.findFirst({ where: { id, ...disputeWhere(scope, vendorId) } })
    : null;
  if (!found) throw new NotFoundError("Dispute", id);
  return found;
}

/** A buyer (on its own order) or a merchant opens a dispute on a sub-order; one unresolved dispute per sub-order. */
export async function openDispute(scope: Scope, input: unknown): Promise<Dispute> {
  const data = parseInput(OpenInput, input);
  const customerId = customerIdOf(scope.actor);
  if (!customerId && !can(scope.actor, "orders:update") && !can(scope.actor, "marketplace:admin")) {
    throw new ForbiddenError("Opening a dispute needs a customer session or the orders:update permission.");
  }
  const subOrder = await findSubOrder(scope.prisma, scope.storeId, null, data.subOrderId);
  if (customerId) {
    const order = await scope.prisma.order.findUniqueOrThrow({
      where: { id: subOrder.orderId },
      select: { customerId: true },
    });
    if (order.customerId !== customerId) throw new NotFoundError("SubOrder", data.subOrderId);
  }
  const { dispute, event } = await scope.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM sub_order WHERE id = ${subOrder.id}::uuid FOR UPDATE`;
    const open = await tx.dispute.count({ where: { subOrderId: subOrder.id, status: { not: "resolved" } } });
    if (open > 0) throw new ConflictError("This sub-order already has an unresolved dispute.", "subOrderId");
    const dispute = await tx.dispute.create({
      data: {
        storeId: scope.storeId,
        subOrderId: subOrder.id,
        vendorId: subOrder.vendorId,
        openedByType: customerId ? "customer" : "merchant",
        openedById: scope.actor.kind === "anonymous" ? null : scope.actor.id,
        reason: data.reason,
      },
    });
    return {
      dispute,
      event: await recordDisputeEvent(tx, changedBy(scope), "dispute.opened", dispute, null, subOrder.orderId),
    };
  });
  scope.events.publish(event);
  return dispute;
}

/** The vendor answers: open -> responded. */
export async function respondToDispute(scope: Scope, vendorId: string | null, input: unknown): Promise<Dispute> {
  const data = parseInput(RespondInput, input);
  const found = await findDispute(scope, vendorId, data.id);
  return move(scope, found, "responded", { vendorResponse: data.response, respondedAt: new Date() });
}

/** The buyer or merchant asks the marketplace to decide: open | responded -> escalated. */
export async function escalateDispute(scope: Scope, vendorId: string | null, input: unknown): Promise<Dispute> {
  const data = parseInput(EscalateInput, input);
  const found = await findDispute(scope, vendorId, data.id);
  return move(scope, found, "escalated", { escalatedAt: new Date() });
}

/**
 * The marketplace admin decides: -> resolved, refunding the buyer `refundAmount` (at most the
 * sub-order's part of the payment) and debiting the vendor's ledger by as much. The refund, the move
 * and the debit commit together (issueRefund's transaction), so two resolutions cannot both refund; if
 * the provider then refuses the refund, the debit is reversed by a compensating entry.
 */
export async function resolveDispute(deps: MarketplaceDeps, input: unknown): Promise<Dispute> {
  const { scope } = deps;
  const data = parseInput(ResolveInput, input);
  const found = await findDispute(scope, null, data.id);
  const amount = data.refundAmount ?? 0;
  const subOrder = await scope.prisma.subOrder.findUniqueOrThrow({ where: { id: found.subOrderId } });
  const cap = subOrder.subtotal + subOrder.shippingShare + subOrder.taxShare;
  if (amount > cap)
    throw ValidationError.field("refundAmount", "too_big", `At most ${cap}, the sub-order's part of the payment.`);
  const resolution = { resolution: data.resolution, refundAmount: amount, resolvedAt: new Date() };
  if (amount === 0) return move(scope, found, "resolved", resolution);

  let resolved: Dispute | null = null;
  const debit = (tx: Tx, refundId: string | null) =>
    appendLedger(tx, [
      {
        storeId: scope.storeId,
        vendorId: found.vendorId,
        type: "dispute",
        amount: -amount,
        currency: subOrder.currency,
        reference: `dispute:${found.id}`,
        availableAt: new Date(),
        subOrderId: subOrder.id,
        disputeId: found.id,
      },
    ]).then(() => refundId);
  const events: MarketplaceOrderEvent[] = [];
  try {
    await issueRefund(
      deps,
      { orderId: subOrder.orderId, amount, reason: `dispute ${found.id}` },
      async (tx, refund) => {
        const moved = await moveIn(
          tx,
          scope,
          found,
          "resolved",
          { ...resolution, refundId: refund.id },
          subOrder.orderId,
        );
        resolved = moved.dispute;
        events.push(moved.event);
        await debit(tx, refund.id);
      },
    );
  } catch (error) {
    if (!resolved) throw error;
    // The provider refused after the resolution committed: give the vendor its money back, say so.
    await appendLedger(scope.prisma as unknown as Tx, [
      {
        storeId: scope.storeId,
        vendorId: found.vendorId,
        type: "dispute",
        amount,
        currency: subOrder.currency,
        reference: `dispute-refund-failed:${found.id}`,
        availableAt: new Date(),
        subOrderId: subOrder.id,
        disputeId: found.id,
      },
    ]);
    for (const event of events) scope.events.publish(event);
    throw error;
  }
  for (const event of events) scope.events.publish(event);
  return scope.prisma.dispute.findUniqueOrThrow({ where: { id: found.id } });
}

async function move(
  scope: Scope,
  dispute: Dispute,
  target: DisputeStatus,
  data: Prisma.DisputeUncheckedUpdateManyInput,
): Promise<Dispute> {
  const subOrder = await scope.prisma.subOrder.findUniqueOrThrow({
    where: { id: dispute.subOrderId },
    select: { orderId: true },
  });
  const moved = await scope.prisma.$transaction((tx) => moveIn(tx, scope, dispute, target, data, subOrder.orderId));
  scope.events.publish(moved.event);
  return moved.dispute;
}

/** One move of the table, as a conditional update: of two racing moves, one wins and the other is 409. */
async function moveIn(
  tx: Tx,
  scope: Scope,
  dispute: Dispute,
  target: DisputeStatus,
  data: Prisma.DisputeUncheckedUpdateManyInput,
  orderId: string,
) {
  const from = DISPUTE_STATUSES.filter((s) => DISPUTE_TRANSITIONS[s].includes(target));
  const { count } = await tx.dispute.updateMany({
    where: { id: dispute.id, status: { in: [...from] } },
    data: { ...data, status: target },
  });
  if (count === 0) {
    const current = await tx.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
    throw new InvalidTransitionError(
      "dispute",
      current.status,
      target,
      DISPUTE_TRANSITIONS[current.status as DisputeStatus] ?? [],
    );
  }
  const after = await tx.dispute.findUniqueOrThrow({ where: { id: dispute.id } });
  const event = await recordDisputeEvent(
    tx,
    changedBy(scope),
    `dispute.${target}` as MarketplaceOrderEvent["type"],
    after,
    dispute.status,
    orderId,
  );
  return { dispute: after, event };
}

async function recordDisputeEvent(
  tx: Tx,
  who: Pick<Change, "storeId" | "actor" | "requestId">,
  type: MarketplaceOrderEvent["type"],
  dispute: Dispute,
  before: string | null,
  orderId: string,
): Promise<MarketplaceOrderEvent> {
  const data = {
    disputeId: dispute.id,
    subOrderId: dispute.subOrderId,
    vendorId: dispute.vendorId,
    status: dispute.status,
    reason: dispute.reason,
    vendorResponse: dispute.vendorResponse,
    resolution: dispute.resolution,
    refundAmount: dispute.refundAmount,
  };
  await recordChange(tx, {
    ...who,
    event: type,
    entityType: "dispute",
    entityId: dispute.id,
    before: before ? { status: before } : undefined,
    after: data,
    data,
  });
  return {
    type,
    storeId: dispute.storeId,
    vendorId: dispute.vendorId,
    subjectId: dispute.id,
    subOrderId: dispute.subOrderId,
    orderId,
    status: dispute.status,
    at: new Date().toISOString(),
  };
}

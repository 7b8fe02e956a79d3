import { z } from "zod";
import type { OrderReturn, OrderReturnLine } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { customerIdOf } from "../auth/actor.js";
import { DomainError, InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import { issueRefund } from "../payments/refunds.js";
import { approveRma, receiveRma, requestRma } from "../returns/returns.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import { appendLedger } from "./ledger.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import { findSubOrder } from "./sub-orders.js";

type Rma = OrderReturn & { lines: OrderReturnLine[] };

/**
 * Returns of a vendor's sub-order, on the post-purchase return machine (returns/returns.ts): requested
 * and approved at once (the RMA number is issued: a delivered purchase may come back), shipped back by
 * the buyer (carrier, tracking number), received by the vendor (approved -> received, restocked), then
 * refunded to the buyer for the units' value and debited from the vendor's ledger in the refund's
 * transaction (reference `return:<id>`, so it is debited once).
 */

const RequestInput = z.object({
  subOrderId: z.string(),
  items: z
    .array(z.object({ lineId: uuid, quantity: z.number().int().min(1) }))
    .min(1)
    .max(100),
  reason: z.string().trim().min(1).max(500),
});
const ShipBackInput = z.object({
  id: z.string(),
  carrier: z.string().trim().min(1).max(100),
  trackingNumber: z.string().trim().min(1).max(100),
});
const ReceiveInput = z.object({ id: z.string(), restock: z.boolean().nullish() });

export async function requestMarketplaceReturn(scope: Scope, input: unknown): Promise<Rma> {
  const data = parseInput(RequestInput, input);
  const subOrder = await findSubOrder(scope.prisma, scope.storeId, null, data.subOrderId);
  await assertBuyerOrMerchant(scope, subOrder.orderId, "SubOrder", data.subOrderId);
  if (subOrder.status !== "delivered") {
    throw new InvalidTransitionError(
      "sub_order",
      subOrder.status,
      "returned",
      [],
      "not_delivered",
      "Only a delivered sub-order's units can be returned.",
    );
  }
  const own = await scope.prisma.orderLine.findMany({ where: { subOrderId: subOrder.id }, select: { id: true } });
  const ids = new Set(own.map((l) => l.id));
  const foreign = data.items.flatMap((item, index) =>
    ids.has(item.lineId)
      ? []
      : [{ path: `items.${index}.lineId`, code: "not_found", message: "No such line on this sub-order." }],
  );
  if (foreign.length) throw new ValidationError(foreign);
  const requested = await requestRma(scope, "return", {
    orderId: subOrder.orderId,
    items: data.items,
    reason: data.reason,
  });
  await scope.prisma.orderReturn.update({ where: { id: requested.id }, data: { subOrderId: subOrder.id } });
  return approveRma(scope, "return", { orderId: subOrder.orderId, id: requested.id });
}

export async function shipBackMarketplaceReturn(scope: Scope, input: unknown): Promise<Rma> {
  const data = parseInput(ShipBackInput, input);
  const rma = await findMarketplaceReturn(scope, null, data.id);
  await assertBuyerOrMerchant(scope, rma.orderId, "Return", data.id);
  return scope.prisma.$transaction(async (tx) => {
    const { count } = await tx.orderReturn.updateMany({
      where: { id: rma.id, status: "approved" },
      data: { shipBackCarrier: data.carrier, shipBackTrackingNumber: data.trackingNumber, shippedBackAt: new Date() },
    });
    if (count === 0)
      throw new InvalidTransitionError(
        "return",
        rma.status,
        "shipped_back",
        rma.status === "requested" ? ["approved"] : [],
        "not_approved",
        "Only an approved return is shipped back.",
      );
    const after = await tx.orderReturn.findUniqueOrThrow({ where: { id: rma.id }, include: { lines: true } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "return.shippedBack",
      entityType: "return",
      entityId: rma.id,
      after: { carrier: data.carrier, trackingNumber: data.trackingNumber },
    });
    return after;
  });
}

/** The vendor (its own sub-order's return) or the admin receives the items; the refund and the ledger debit follow. */
export async function receiveMarketplaceReturn(
  deps: MarketplaceDeps,
  vendorId: string | null,
  input: unknown,
): Promise<Rma> {
  const { scope } = deps;
  const data = parseInput(ReceiveInput, input);
  const rma = await findMarketplaceReturn(scope, vendorId, data.id);
  const subOrder = await scope.prisma.subOrder.findUniqueOrThrow({ where: { id: rma.subOrderId! } });
  await receiveRma(deps, "return", { orderId: rma.orderId, id: rma.id, restock: data.restock ?? true });
  let debited = 0;
  try {
    await issueRefund(
      deps,
      { orderId: rma.orderId, returnId: rma.id, reason: `return ${rma.rmaNumber ?? rma.id}` },
      async (tx, refund) => {
        debited = refund.amount;
        await appendLedger(tx, [
          {
            storeId: scope.storeId,
            vendorId: subOrder.vendorId,
            type: "refund",
            amount: -refund.amount,
            currency: subOrder.currency,
            reference: `return:${rma.id}`,
            availableAt: new Date(),
            subOrderId: subOrder.id,
          },
        ]);
      },
    );
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // The provider refused the refund after the debit committed: the vendor gets it back.
    if (debited > 0) {
      await appendLedger(scope.prisma as never, [
        {
          storeId: scope.storeId,
          vendorId: subOrder.vendorId,
          type: "refund",
          amount: debited,
          currency: subOrder.currency,
          reference: `return-refund-failed:${rma.id}:${Date.now()}`,
          availableAt: new Date(),
          subOrderId: subOrder.id,
        },
      ]);
    }
  }
  return scope.prisma.orderReturn.findUniqueOrThrow({ where: { id: rma.id }, include: { lines: true } });
}

async function findMarketplaceReturn(scope: Scope, vendorId: string | null, id: string): Promise<Rma> {
  const found = isUuid(id)
    ? await scope.prisma.orderReturn.findFirst({
        where: {
          id,
          storeId: scope.storeId,
          kind: "return",
          subOrderId: { not: null },
          ...(vendorId ? { subOrder: { vendorId } } : {}),
        },
        include: { lines: true },
      })
    : null;
  if (!found) throw new NotFoundError("Return", id);
  return found;
}

/** A customer only on its own order (another's does not exist for it); merchants on any. */
async function assertBuyerOrMerchant(scope: Scope, orderId: string, what: string, id: string) {
  const customerId = customerIdOf(scope.actor);
  if (!customerId) return;
  const order = await scope.prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { customerId: true } });
  if (order.customerId !== customerId) throw new NotFoundError(what, id);
}

import { z } from "zod";
import type { Prisma, SubOrder } from "../../generated/prisma/client.js";
import { type Change, changedBy, recordChange } from "../audit/record.js";
import { allocate } from "../checkout/totals.js";
import { InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import type { DomainEvent, MarketplaceOrderEvent, MarketplaceOrderEventType } from "../events.js";
import { consumeReserved, orderLineReservations, releaseReserved } from "../inventory/order-stock.js";
import type { OrderStatus } from "../orders/lifecycle.js";
import { lockOrder, transitionOrder } from "../orders/orders.js";
import { CAPTURED_STATUSES } from "../payments/lifecycle.js";
import { issueRefund } from "../payments/refunds.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { splitSubOrder } from "./commission-math.js";
import { appendLedger } from "./ledger.js";
import { availableAfterHold } from "./ledger-math.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import {
  deriveParentStatus,
  parentPath,
  SUB_ORDER_STATUSES,
  SUB_ORDER_TRANSITIONS,
  type SubOrderStatus,
  subOrderStatusesAllowingMoveTo,
} from "./sub-order-lifecycle.js";

type Tx = Prisma.TransactionClient;

/**
 * Sub-orders: checkout splits an order by vendor (createSubOrders, in checkout's transaction); each
 * vendor then moves its own sub-order along its table (sub-order-lifecycle.ts), and the parent order's
 * status follows from its parts. Every change locks the parent order first (like every post-purchase
 * change), is audited and emitted as `sub_order.*` in its transaction, and published after commit.
 */

// ---- checkout --------------------------------------------------------------------------------

interface PlacedOrder {
  id: string;
  number: string;
  currency: string;
  shippingTotal: number;
  taxTotal: number;
}

/**
 * Splits a just-created order by vendor: one sub-order per vendor with its lines, subtotal (line totals
 * after discounts), its share of the order's shipping and tax (by subtotal, largest remainder; the
 * platform's own lines keep theirs on the parent), commission (commission-math.ts) and vendor net. An
 * order without vendor lines gets none. Returns the events to publish after commit.
 */
export async function createSubOrders(
  tx: Tx,
  who: Pick<Change, "storeId" | "actor" | "requestId">,
  order: PlacedOrder,
): Promise<MarketplaceOrderEvent[]> {
  const lines = await tx.orderLine.findMany({ where: { orderId: order.id }, orderBy: { id: "asc" } });
  const entities = await tx.catalogEntity.findMany({
    where: { id: { in: [...new Set(lines.map((l) => l.entityId))] } },
    select: { id: true, vendorId: true, categories: { select: { categoryId: true } } },
  });
  const byEntity = new Map(entities.map((e) => [e.id, e]));
  const groups = new Map<string, typeof lines>();
  const platformLines = lines.filter((l) => !byEntity.get(l.entityId)?.vendorId);
  for (const line of lines) {
    const vendorId = byEntity.get(line.entityId)?.vendorId;
    if (!vendorId) continue;
    groups.set(vendorId, [...(groups.get(vendorId) ?? []), line]);
  }
  if (groups.size === 0) return [];

  const rules = await tx.commissionRule.findMany({
    where: { storeId: who.storeId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const vendors = [...groups.keys()].sort();
  const parts = vendors.map((vendorId) => {
    const vendorLines = groups.get(vendorId)!;
    const split = splitSubOrder(
      rules,
      vendorLines.map((l) => ({
        total: l.total,
        vendorId,
        categoryIds: byEntity.get(l.entityId)?.categories.map((c) => c.categoryId) ?? [],
      })),
    );
    return { vendorId, lines: vendorLines, split };
  });
  const weights = [...parts.map((p) => p.split.subtotal), platformLines.reduce((sum, l) => sum + l.total, 0)];
  const shipping = allocate(order.shippingTotal, weights);
  const tax = allocate(order.taxTotal, weights);

  const events: MarketplaceOrderEvent[] = [];
  for (const [i, part] of parts.entries()) {
    const subOrder = await tx.subOrder.create({
      data: {
        storeId: who.storeId,
        orderId: order.id,
        vendorId: part.vendorId,
        number: `${order.number}-${i + 1}`,
        currency: order.currency,
        subtotal: part.split.subtotal,
        shippingShare: shipping[i]!,
        taxShare: tax[i]!,
        commission: part.split.commission,
        vendorNet: part.split.vendorNet,
      },
    });
    for (const [j, line] of part.lines.entries()) {
      await tx.orderLine.update({
        where: { id: line.id },
        data: { subOrderId: subOrder.id, commission: part.split.lineCommissions[j]! },
      });
    }
    events.push(await recordSubOrderEvent(tx, who, "sub_order.created", subOrder, null));
  }
  return events;
}

// ---- transitions -----------------------------------------------------------------------------

const MoveInput = z.object({
  id: z.string(),
  status: z.enum(SUB_ORDER_STATUSES),
  carrier: z.string().trim().min(1).max(100).nullish(),
  trackingNumber: z.string().trim().min(1).max(100).nullish(),
  reason: z.string().trim().max(500).nullish(),
});

/** Sub-orders a caller may see: a vendor only its own (`vendorId`), the marketplace admin all (null). */
export function subOrderWhere(storeId: string, vendorId: string | null): Prisma.SubOrderWhereInput {
  return { storeId, ...(vendorId ? { vendorId } : {}) };
}

/** A sub-order the caller may see, or 404 (another vendor's sub-order does not exist for a vendor). */
export async function findSubOrder(
  db: Tx | Scope["prisma"],
  storeId: string,
  vendorId: string | null,
  id: string,
): Promise<SubOrder> {
  const found = isUuid(id) ? await db.subOrder.findFirst({ where: { id, ...subOrderWhere(storeId, vendorId) } }) : null;
  if (!found) throw new NotFoundError("SubOrder", id);
  return found;
}

/**
 * One move of a sub-order's table: confirmed (its order must be paid), shipped (carrier and tracking
 * number; its lines count as fulfilled and their reserved stock is consumed, like a fulfillment),
 * delivered (the vendor's sale is credited to its ledger, after the hold period, and the commission
 * debited), cancelled (its unshipped stock released, and after commit its part of the payment —
 * subtotal, shipping and tax shares — refunded through the refund service). The parent order follows.
 */
export async function moveSubOrder(deps: MarketplaceDeps, vendorId: string | null, input: unknown): Promise<SubOrder> {
  const { scope } = deps;
  const data = parseInput(MoveInput, input);
  if (data.status === "shipped") {
    const missing = (["carrier", "trackingNumber"] as const).filter((f) => !data[f]);
    if (missing.length)
      throw new ValidationError(missing.map((path) => ({ path, code: "required", message: "Required to ship." })));
  }
  const found = await findSubOrder(scope.prisma, scope.storeId, vendorId, data.id);
  const events: (DomainEvent | MarketplaceOrderEvent)[] = [];
  const now = new Date();
  const moved = await scope.prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, scope.storeId, found.orderId);
    const current = await tx.subOrder.findUniqueOrThrow({ where: { id: found.id } });
    const target = data.status;
    const from = subOrderStatusesAllowingMoveTo(target);
    if (!from.includes(current.status as SubOrderStatus)) {
      throw new InvalidTransitionError(
        "sub_order",
        current.status,
        target,
        SUB_ORDER_TRANSITIONS[current.status as SubOrderStatus] ?? [],
      );
    }
    if (target === "confirmed" && !["confirmed", "processing", "partially_fulfilled"].includes(order.status)) {
      throw new InvalidTransitionError(
        "sub_order",
        current.status,
        target,
        SUB_ORDER_TRANSITIONS[current.status as SubOrderStatus],
        "order_unpaid",
        `Its order is ${order.status}: a sub-order is confirmed once the order is paid.`,
      );
    }
    const stamp = {
      confirmed: "confirmedAt",
      shipped: "shippedAt",
      delivered: "deliveredAt",
      cancelled: "cancelledAt",
    }[target as Exclude<SubOrderStatus, "pending">];
    const lines = await tx.orderLine.findMany({ where: { subOrderId: current.id }, orderBy: { id: "asc" } });
    const updated = await tx.subOrder.update({
      where: { id: current.id },
      data: {
        status: target,
        ...(stamp ? { [stamp]: now } : {}),
        ...(target === "shipped" ? { carrier: data.carrier, trackingNumber: data.trackingNumber } : {}),
        ...(target === "cancelled" ? { cancelReason: data.reason ?? null } : {}),
      },
    });
    if (target === "shipped") {
      const items = lines
        .map((l) => ({ lineId: l.id, quantity: l.quantity - l.fulfilledQuantity - l.cancelledQuantity }))
        .filter((i) => i.quantity > 0);
      await tx.fulfillment.create({
        data: {
          orderId: current.orderId,
          carrier: data.carrier ?? null,
          trackingNumber: data.trackingNumber ?? null,
          items: items as Prisma.InputJsonValue,
        },
      });
      for (const item of items) {
        const line = lines.find((l) => l.id === item.lineId)!;
        await tx.orderLine.update({
          where: { id: line.id },
          data: { fulfilledQuantity: { increment: item.quantity } },
        });
        await consumeReserved(
          tx,
          orderLineReservations(current.orderId, line),
          item.quantity,
          `order:${current.orderId}`,
        );
      }
    }
    if (target === "cancelled") {
      for (const line of lines) {
        await tx.orderLine.update({
          where: { id: line.id },
          data: { cancelledQuantity: line.quantity - line.fulfilledQuantity },
        });
        await releaseReserved(tx, orderLineReservations(current.orderId, line));
      }
    }
    if (target === "delivered") {
      const base = {
        storeId: scope.storeId,
        vendorId: current.vendorId,
        currency: current.currency,
        subOrderId: current.id,
      };
      await appendLedger(tx, [
        {
          ...base,
          type: "sale",
          amount: current.subtotal + current.shippingShare,
          reference: `sale:${current.id}`,
          availableAt: availableAfterHold(now, deps.marketplace.holdHours),
        },
        {
          ...base,
          type: "commission",
          amount: -current.commission,
          reference: `commission:${current.id}`,
          availableAt: now,
        },
      ]);
    }
    events.push(
      await recordSubOrderEvent(
        tx,
        changedBy(scope),
        `sub_order.${target}` as MarketplaceOrderEventType,
        updated,
        current.status,
        data.reason,
      ),
    );
    events.push(...(await followParent(tx, scope, current.orderId)));
    return updated;
  });
  for (const event of events) scope.events.publish(event);
  if (data.status === "cancelled") await refundCancelled(deps, moved);
  return moved;
}

/** The parent order's status as its sub-orders (and platform lines) say, moved along the order table. */
export async function followParent(tx: Tx, scope: Scope, orderId: string): Promise<DomainEvent[]> {
  const order = await lockOrder(tx, scope.storeId, orderId);
  const parts = await tx.subOrder.findMany({ where: { orderId }, select: { status: true } });
  const platform = await tx.orderLine.findMany({
    where: { orderId, subOrderId: null },
    select: { quantity: true, fulfilledQuantity: true, cancelledQuantity: true },
  });
  const target = deriveParentStatus(
    parts.map((p) => p.status as SubOrderStatus),
    {
      present: platform.length > 0,
      allShipped: platform.every((l) => l.fulfilledQuantity + l.cancelledQuantity >= l.quantity),
    },
  );
  if (!target) return [];
  const events: DomainEvent[] = [];
  for (const next of parentPath(order.status as OrderStatus, target)) {
    const { event } = await transitionOrder(tx, {
      orderId,
      storeId: scope.storeId,
      target: next,
      reason: "sub-orders",
      actor: scope.actor,
      requestId: scope.requestId,
      via: next === "cancelled" ? "system" : "fulfillment",
    });
    events.push(event);
  }
  return events;
}

/** A cancelled sub-order's part of the captured payment goes back to the buyer (none captured: nothing). */
async function refundCancelled(deps: MarketplaceDeps, subOrder: SubOrder) {
  const captured = await deps.scope.prisma.payment.count({
    where: { orderId: subOrder.orderId, status: { in: [...CAPTURED_STATUSES] } },
  });
  if (captured === 0) return;
  const amount = subOrder.subtotal + subOrder.shippingShare + subOrder.taxShare;
  if (amount <= 0) return;
  await issueRefund(deps, {
    orderId: subOrder.orderId,
    amount,
    reason: `sub-order ${subOrder.number} cancelled`,
  }).catch(() => {
    // Recorded as a failed refund on the order; the cancellation stands (as for whole orders).
  });
}

/** Audit + webhook outbox in the transaction; the event to publish after commit. */
export async function recordSubOrderEvent(
  tx: Tx,
  who: Pick<Change, "storeId" | "actor" | "requestId">,
  type: MarketplaceOrderEventType,
  subOrder: SubOrder,
  before: string | null,
  reason?: string | null,
): Promise<MarketplaceOrderEvent> {
  const data = {
    subOrderId: subOrder.id,
    orderId: subOrder.orderId,
    vendorId: subOrder.vendorId,
    number: subOrder.number,
    status: subOrder.status,
    fromStatus: before,
    subtotal: subOrder.subtotal,
    commission: subOrder.commission,
    vendorNet: subOrder.vendorNet,
    carrier: subOrder.carrier,
    trackingNumber: subOrder.trackingNumber,
    reason: reason ?? null,
  };
  await recordChange(tx, {
    ...who,
    event: type,
    entityType: "sub_order",
    entityId: subOrder.id,
    before: before ? { status: before } : undefined,
    after: data,
    data,
  });
  return {
    type,
    storeId: subOrder.storeId,
    vendorId: subOrder.vendorId,
    subjectId: subOrder.id,
    subOrderId: subOrder.id,
    orderId: subOrder.orderId,
    status: subOrder.status,
    at: new Date().toISOString(),
  };
}

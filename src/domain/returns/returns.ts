import { z } from "zod";
import type { OrderReturn, OrderReturnLine, Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import {
  ConflictError,
  DomainError,
  type FieldError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from "../errors.js";
import type { DomainEvent, OrderActivityType } from "../events.js";
import { adjustStock } from "../inventory/adjustments.js";
import { requireWarehouse } from "../inventory/levels.js";
import {
  consumeReserved,
  exchangeReference,
  exchangeReservations,
  releaseReserved,
  shippedFromWarehouse,
} from "../inventory/order-stock.js";
import { reserveStock } from "../inventory/reservations.js";
import { recordOrderActivity } from "../orders/activity.js";
import { lockOrder } from "../orders/orders.js";
import { valueOfUnits } from "../orders/valuation.js";
import { issueRefund, type RefundDeps } from "../payments/refunds.js";
import { resolvePrices } from "../pricing/resolve.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import { type ReturnKind, transitionsOf } from "./lifecycle.js";

type Tx = Prisma.TransactionClient;
type Rma = OrderReturn & { lines: OrderReturnLine[] };

const reason = z.string().trim().min(1).max(500);
const ReturnItem = z.object({ lineId: uuid, quantity: z.number().int().min(1) });
const ExchangeItem = ReturnItem.extend({ newVariantId: uuid });

export const RequestInput = {
  return: z.object({ orderId: z.string(), items: z.array(ReturnItem).min(1).max(100), reason }),
  exchange: z.object({ orderId: z.string(), items: z.array(ExchangeItem).min(1).max(100), reason }),
};
export const ActionInput = z.object({ orderId: z.string(), id: z.string() });
export const ReceiveInput = ActionInput.extend({
  /** Put the items back on hand (default), into `warehouseId` or the warehouse they shipped from. */
  restock: z.boolean().nullish(),
  warehouseId: uuid.nullish(),
  /** Exchanges: how the replacements ship. */
  carrier: z.string().trim().min(1).max(100).nullish(),
  trackingNumber: z.string().trim().min(1).max(100).nullish(),
});
export const RejectInput = ActionInput.extend({ reason: z.string().trim().max(500).nullish() });

const NAMES: Record<ReturnKind, string> = { return: "Return", exchange: "Exchange" };

/**
 * Returns and exchanges (RMA) of an order, one state machine each (lifecycle.ts), built the same way:
 * every change locks the order first, moves the RMA with a conditional update, is audited and emitted
 * as `return.*` / `exchange.*` in its transaction and published after commit.
 */

/**
 * A return or exchange request: items (never more per line than fulfilled minus already on other
 * returns and exchanges) and a reason. An exchange names a replacement variant per line; its price is
 * fixed now, and the difference to what was paid for the returned units (before tax) is settled when
 * the items come back.
 */
export async function requestRma(scope: Scope, kind: ReturnKind, input: unknown): Promise<Rma> {
  const data = parseInput(RequestInput[kind], input);
  const items = data.items as (z.output<typeof ReturnItem> & { newVariantId?: string })[];
  return inOrderTransaction(scope, data.orderId, async (tx, events) => {
    const order = await tx.order.findUniqueOrThrow({
      where: { id: data.orderId },
      include: { lines: true, customer: { include: { groups: true } } },
    });
    if (order.status === "refunded") throw new ConflictError("The order is fully refunded.", "order");
    const left = new Map(order.lines.map((l) => [l.id, l.fulfilledQuantity - l.returnedQuantity]));
    const problems: FieldError[] = [];
    items.forEach((item, index) => {
      const available = left.get(item.lineId);
      if (available === undefined) {
        problems.push({ path: `items.${index}.lineId`, code: "not_found", message: "No such line on this order." });
        return;
      }
      left.set(item.lineId, available - item.quantity);
      if (available < item.quantity) {
        problems.push({
          path: `items.${index}.quantity`,
          code: "too_big",
          message: `Only ${Math.max(0, available)} of this line were fulfilled and not returned yet.`,
        });
      }
    });
    if (problems.length) throw new ValidationError(problems);

    let replacements: { entityId: string; sku: string | null; unitPrice: number }[] = [];
    if (kind === "exchange") {
      const variants = await tx.variant.findMany({
        where: { id: { in: items.map((i) => i.newVariantId!) }, storeId: scope.storeId },
      });
      const byId = new Map(variants.map((v) => [v.id, v]));
      const prices = await resolvePrices(
        tx,
        scope.storeId,
        items.map((i) => ({
          entityId: byId.get(i.newVariantId!)?.entityId ?? i.newVariantId!,
          variantId: i.newVariantId!,
          quantity: i.quantity,
        })),
        {
          currency: order.currency,
          customerGroupIds: order.customer?.groups.map((g) => g.groupId) ?? [],
          now: new Date(),
        },
      );
      items.forEach((item, index) => {
        if (!byId.has(item.newVariantId!))
          problems.push({ path: `items.${index}.newVariantId`, code: "not_found", message: "No such variant." });
        else if (!prices[index])
          problems.push({
            path: `items.${index}.newVariantId`,
            code: "price_unavailable",
            message: `No ${order.currency} price.`,
          });
      });
      if (problems.length) throw new ValidationError(problems);
      replacements = items.map((item, index) => {
        const variant = byId.get(item.newVariantId!)!;
        return { entityId: variant.entityId, sku: variant.sku, unitPrice: prices[index]!.amount };
      });
    }
    const returned = valueOfUnits({ taxTotal: 0 }, order.lines, items);
    const created = await tx.orderReturn.create({
      data: {
        storeId: scope.storeId,
        orderId: order.id,
        kind,
        reason: data.reason,
        priceDifference:
          kind === "exchange"
            ? replacements.reduce((sum, r, i) => sum + r.unitPrice * items[i]!.quantity, 0) - returned
            : null,
        lines: {
          create: items.map((item, i) => ({
            orderLineId: item.lineId,
            quantity: item.quantity,
            ...(kind === "exchange"
              ? {
                  newVariantId: item.newVariantId!,
                  newEntityId: replacements[i]!.entityId,
                  newSku: replacements[i]!.sku,
                  newUnitPrice: replacements[i]!.unitPrice,
                }
              : {}),
          })),
        },
      },
      include: { lines: true },
    });
    for (const item of items) {
      await tx.orderLine.update({
        where: { id: item.lineId },
        data: { returnedQuantity: { increment: item.quantity } },
      });
    }
    events.push(await activity(tx, scope, `${kind}.requested`, created, { before: null }));
    return created;
  });
}

/** requested -> approved: issues the RMA number; an exchange reserves its replacements (409 if out of stock). */
export async function approveRma(scope: Scope, kind: ReturnKind, input: unknown): Promise<Rma> {
  const data = parseInput(ActionInput, input);
  return inOrderTransaction(scope, data.orderId, async (tx, events) => {
    const rma = await findRma(tx, kind, data);
    const order = await tx.order.findUniqueOrThrow({ where: { id: data.orderId }, select: { number: true } });
    const issued = await tx.orderReturn.count({ where: { orderId: data.orderId, rmaNumber: { not: null } } });
    const rmaNumber = `RMA-${order.number.replace(/^ORD-/, "")}-${issued + 1}`;
    const approved = await move(tx, rma, "approved", { rmaNumber, approvedAt: new Date() });
    if (kind === "exchange") await reserveReplacements(tx, scope.storeId, approved);
    events.push(await activity(tx, scope, `${kind}.approved`, approved, { before: rma.status, data: { rmaNumber } }));
    return approved;
  });
}

/**
 * approved -> received: the items are back, on hand again unless `restock` is false. An exchange's
 * replacements ship now as a new fulfillment (their reserved stock consumed) and its price difference is
 * settled: a refund when the replacements cost less, a new payment for the order when they cost more
 * (captured like any other: by hand for manual payments, by Stripe's webhook otherwise). A return is
 * paid back with refundOrder(returnId), which moves it to refunded once the refund settles.
 */
export async function receiveRma(deps: RefundDeps, kind: ReturnKind, input: unknown): Promise<Rma> {
  const { scope } = deps;
  const data = parseInput(ReceiveInput, input);
  let settlement:
    | { refund: number }
    | { charge: { paymentId: string; amount: number; currency: string; orderNumber: string } }
    | null = null;
  const received = await inOrderTransaction(scope, data.orderId, async (tx, events) => {
    const rma = await findRma(tx, kind, data);
    const restocked = data.restock === false ? false : await restock(tx, scope, rma, data.warehouseId ?? null);
    const after = await move(tx, rma, "received", {
      receivedAt: new Date(),
      restocked,
      warehouseId: data.warehouseId ?? null,
    });
    if (kind === "exchange") {
      const shipment = await tx.fulfillment.create({
        data: {
          orderId: rma.orderId,
          returnId: rma.id,
          carrier: data.carrier ?? null,
          trackingNumber: data.trackingNumber ?? null,
          items: rma.lines.map((l) => ({
            lineId: l.orderLineId,
            quantity: l.quantity,
            variantId: l.newVariantId,
          })) as Prisma.InputJsonValue,
        },
      });
      await consumeReserved(tx, exchangeReservations(scope.storeId, rma.id), null, exchangeReference(rma.id));
      events.push(
        await recordOrderActivity(tx, {
          ...changedBy(scope),
          type: "fulfillment.create",
          orderId: rma.orderId,
          entityType: "fulfillment",
          entityId: shipment.id,
          after: shipment,
          data: {
            fulfillmentId: shipment.id,
            exchangeId: rma.id,
            carrier: shipment.carrier,
            trackingNumber: shipment.trackingNumber,
            items: shipment.items,
          },
        }),
      );
      const difference = rma.priceDifference ?? 0;
      if (difference < 0) settlement = { refund: -difference };
      if (difference > 0) {
        const order = await tx.order.findUniqueOrThrow({
          where: { id: rma.orderId },
          select: {
            currency: true,
            number: true,
            payments: { where: { returnId: null }, orderBy: { createdAt: "asc" }, take: 1 },
          },
        });
        // Charged through the provider the order was paid with (manual when that one is not configured here).
        const provider = deps.payments.select(order.payments[0]?.provider ?? "manual");
        const payment = await tx.payment.create({
          data: {
            storeId: scope.storeId,
            orderId: rma.orderId,
            returnId: rma.id,
            provider: provider.name,
            amount: difference,
            currency: order.currency,
          },
        });
        settlement = {
          charge: { paymentId: payment.id, amount: difference, currency: order.currency, orderNumber: order.number },
        };
      }
    }
    events.push(
      await activity(tx, scope, `${kind}.received`, after, {
        before: rma.status,
        data: { restocked, priceDifference: rma.priceDifference },
      }),
    );
    return after;
  });
  await settle(deps, received, settlement);
  return scope.prisma.orderReturn.findUniqueOrThrow({ where: { id: received.id }, include: { lines: true } });
}

/** requested or approved -> rejected: its quantities may be returned again; an exchange's replacements go back. */
export async function rejectRma(scope: Scope, kind: ReturnKind, input: unknown): Promise<Rma> {
  const data = parseInput(RejectInput, input);
  return inOrderTransaction(scope, data.orderId, async (tx, events) => {
    const rma = await findRma(tx, kind, data);
    const rejected = await move(tx, rma, "rejected", { rejectedAt: new Date(), rejectionReason: data.reason ?? null });
    for (const line of rma.lines) {
      await tx.orderLine.update({
        where: { id: line.orderLineId },
        data: { returnedQuantity: { decrement: line.quantity } },
      });
    }
    if (kind === "exchange" && rma.status === "approved")
      await releaseReserved(tx, exchangeReservations(scope.storeId, rma.id));
    events.push(
      await activity(tx, scope, `${kind}.rejected`, rejected, {
        before: rma.status,
        data: { rejectionReason: data.reason ?? null },
      }),
    );
    return rejected;
  });
}

// ---- helpers ----------------------------------------------------------------------------------

/** One transaction that locks the order first; its events are published after commit. */
async function inOrderTransaction<T>(
  scope: Scope,
  orderId: string,
  work: (tx: Tx, events: DomainEvent[]) => Promise<T>,
): Promise<T> {
  if (!isUuid(orderId)) throw new NotFoundError("Order", orderId);
  const events: DomainEvent[] = [];
  const result = await scope.prisma.$transaction(async (tx) => {
    await lockOrder(tx, scope.storeId, orderId);
    return work(tx, events);
  });
  for (const event of events) scope.events.publish(event);
  return result;
}

async function findRma(tx: Tx, kind: ReturnKind, key: { orderId: string; id: string }): Promise<Rma> {
  const rma = isUuid(key.id)
    ? await tx.orderReturn.findFirst({ where: { id: key.id, orderId: key.orderId, kind }, include: { lines: true } })
    : null;
  if (!rma) throw new NotFoundError(NAMES[kind], key.id);
  return rma;
}

/** One move of the RMA's table, as a conditional update (the order lock already serializes them). */
async function move(tx: Tx, rma: Rma, target: string, data: Prisma.OrderReturnUncheckedUpdateManyInput): Promise<Rma> {
  const table = transitionsOf(rma.kind as ReturnKind);
  const from = Object.keys(table).filter((s) => table[s]!.includes(target));
  const { count } = await tx.orderReturn.updateMany({
    where: { id: rma.id, status: { in: from } },
    data: { ...data, status: target },
  });
  if (count === 0) throw new InvalidTransitionError(rma.kind, rma.status, target, table[rma.status] ?? []);
  return tx.orderReturn.findUniqueOrThrow({ where: { id: rma.id }, include: { lines: true } });
}

function activity(
  tx: Tx,
  scope: Scope,
  type: OrderActivityType,
  rma: Rma,
  change: { before: string | null; data?: Record<string, unknown> },
) {
  return recordOrderActivity(tx, {
    ...changedBy(scope),
    type,
    orderId: rma.orderId,
    entityType: rma.kind,
    entityId: rma.id,
    before: change.before ? { status: change.before } : undefined,
    after: rma,
    data: {
      [`${rma.kind}Id`]: rma.id,
      rmaStatus: rma.status,
      rmaNumber: rma.rmaNumber,
      reason: rma.reason,
      items: rma.lines.map((l) => ({
        lineId: l.orderLineId,
        quantity: l.quantity,
        ...(l.newVariantId ? { newVariantId: l.newVariantId } : {}),
      })),
      ...change.data,
    },
  });
}

/** Holds the replacements of an exchange (stock-tracked ones only), in a stable order. */
async function reserveReplacements(tx: Tx, storeId: string, rma: Rma) {
  const lines = [...rma.lines].sort((a, b) =>
    `${a.newEntityId}:${a.newVariantId}`.localeCompare(`${b.newEntityId}:${b.newVariantId}`),
  );
  const tracked = await tx.inventoryLevel.findMany({
    where: { entityId: { in: lines.map((l) => l.newEntityId!) } },
    select: { entityId: true, variantKey: true },
    distinct: ["entityId", "variantKey"],
  });
  const isTracked = new Set(tracked.map((l) => `${l.entityId}:${l.variantKey}`));
  for (const line of lines) {
    if (!isTracked.has(`${line.newEntityId}:${line.newVariantId ?? ""}`)) continue;
    await reserveStock(tx, storeId, {
      entityId: line.newEntityId!,
      variantId: line.newVariantId,
      quantity: line.quantity,
      reference: exchangeReference(rma.id),
    });
  }
}

/**
 * Puts received items back on hand: into the chosen warehouse, or the one each line shipped from; items
 * that were never stock-tracked are left alone unless a warehouse is named. Returns whether anything was.
 */
async function restock(tx: Tx, scope: Scope, rma: Rma, warehouseId: string | null): Promise<boolean> {
  if (warehouseId) await requireWarehouse(tx, scope.storeId, warehouseId);
  const lines = await tx.orderLine.findMany({ where: { id: { in: rma.lines.map((l) => l.orderLineId) } } });
  const byId = new Map(lines.map((l) => [l.id, l]));
  let any = false;
  for (const item of rma.lines) {
    const line = byId.get(item.orderLineId)!;
    const target = warehouseId ?? (await shippedFromWarehouse(tx, rma.orderId, line));
    if (!target) continue;
    const stock = { entityId: line.entityId, variantId: line.variantId, warehouseId: target };
    const level = await adjustStock(tx, stock, {
      type: "return",
      quantity: item.quantity,
      reason: `${rma.kind} ${rma.id}`,
      reference: `${rma.kind}:${rma.id}`,
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "inventory.afterAdjust",
      entityType: "inventory_level",
      entityId: level.id,
      after: { ...level, available: level.onHand - level.reserved },
      data: {
        ...stock,
        type: "return",
        quantity: item.quantity,
        onHand: level.onHand,
        reserved: level.reserved,
        available: level.onHand - level.reserved,
      },
    });
    any = true;
  }
  return any;
}

/**
 * An exchange's price difference, after its transaction committed (provider calls never run inside
 * one): the buyer is refunded what the replacements cost less, or a payment for what they cost more is
 * created at the provider. A refused provider call leaves a failed refund or payment on the order.
 */
async function settle(
  deps: RefundDeps,
  rma: Rma,
  settlement:
    | { refund: number }
    | { charge: { paymentId: string; amount: number; currency: string; orderNumber: string } }
    | null,
) {
  if (!settlement) return;
  if ("refund" in settlement) {
    await issueRefund(deps, {
      orderId: rma.orderId,
      amount: settlement.refund,
      reason: `exchange ${rma.rmaNumber ?? rma.id}`,
      exchangeId: rma.id,
    }).catch((error: unknown) => {
      // Nothing captured to refund (an unpaid order) or the provider refused: visible on the order.
      if (!(error instanceof DomainError)) throw error;
    });
    return;
  }
  const { paymentId, amount, currency, orderNumber } = settlement.charge;
  try {
    const payment = await deps.scope.prisma.payment.findUniqueOrThrow({ where: { id: paymentId } });
    const created = await deps.payments.select(payment.provider).createPayment({
      orderId: rma.orderId,
      orderNumber,
      amount,
      currency,
      idempotencyKey: `exchange:${rma.id}`,
    });
    await deps.scope.prisma.payment.update({
      where: { id: paymentId },
      data: { providerRef: created.providerRef, clientSecret: created.clientSecret },
    });
  } catch {
    await deps.scope.prisma.payment.updateMany({
      where: { id: paymentId, status: "pending" },
      data: { status: "failed" },
    });
  }
}

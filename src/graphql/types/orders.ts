import { filter, pipe } from "graphql-yoga";
import { can, customerIdOf } from "../../domain/auth/actor.js";
import { requireCustomer } from "../../domain/customers/customers.js";
import { ValidationError } from "../../domain/errors.js";
import type { DomainEvent } from "../../domain/events.js";
import { changeOrderStatus } from "../../domain/orders/change-status.js";
import { createFulfillment } from "../../domain/orders/fulfillments.js";
import { ORDER_STATUSES, type OrderStatus } from "../../domain/orders/lifecycle.js";
import { orderKeyWhere, orderWhere } from "../../domain/orders/orders.js";
import {
  ORDER_PAYMENT_STATUSES,
  type OrderPaymentStatus,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from "../../domain/payments/lifecycle.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";
import { NodeInterface, registerNode } from "./node.js";
import { Totals } from "./pricing.js";

export const OrderStatusEnum = builder.enumType("OrderStatus", { values: ORDER_STATUSES });

export const OrderPaymentStatusEnum = builder.enumType("OrderPaymentStatus", {
  description: "The order's money: unpaid, paid (captured), partially_refunded or refunded (settled refunds).",
  values: ORDER_PAYMENT_STATUSES,
});

const FULFILLMENT_STATUSES = ["unfulfilled", "partially_fulfilled", "fulfilled"] as const;
const OrderFulfillmentStatusEnum = builder.enumType("OrderFulfillmentStatus", {
  description: "From the lines: nothing shipped yet, some shipped, or everything not cancelled shipped.",
  values: FULFILLMENT_STATUSES,
});

const PaymentStatusEnum = builder.enumType("PaymentStatus", {
  description:
    "pending -> authorized -> captured -> partially_refunded -> refunded; pending/authorized -> voided | failed.",
  values: PAYMENT_STATUSES,
});

function fulfillmentStatusOf(lines: { quantity: number; fulfilledQuantity: number; cancelledQuantity: number }[]) {
  if (!lines.some((l) => l.fulfilledQuantity > 0)) return "unfulfilled" as const;
  return lines.every((l) => l.fulfilledQuantity + l.cancelledQuantity >= l.quantity)
    ? ("fulfilled" as const)
    : ("partially_fulfilled" as const);
}

const LINE_ORDER = { id: "asc" } as const;

export const Order = builder.prismaObject("Order", {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    number: t.exposeString("number", { description: "ORD-YYYY-NNNNNN, sequential per store and year." }),
    status: t.field({ type: OrderStatusEnum, resolve: (order) => order.status as OrderStatus }),
    paymentStatus: t.field({
      type: OrderPaymentStatusEnum,
      resolve: (order) => order.paymentStatus as OrderPaymentStatus,
    }),
    fulfillmentStatus: t.field({
      type: OrderFulfillmentStatusEnum,
      // The order of `lines`, so a selection of both merges into one join instead of a second query.
      select: {
        lines: { select: { quantity: true, fulfilledQuantity: true, cancelledQuantity: true }, orderBy: LINE_ORDER },
      },
      resolve: (order) => fulfillmentStatusOf(order.lines),
    }),
    currency: t.exposeString("currency"),
    email: t.exposeString("email", { nullable: true }),
    customerId: t.exposeID("customerId", { nullable: true }),
    cartId: t.exposeID("cartId", { nullable: true }),
    totals: t.field({
      type: Totals,
      resolve: (o) => ({
        subtotal: o.subtotal,
        discount: o.discountTotal,
        tax: o.taxTotal,
        shipping: o.shippingTotal,
        total: o.grandTotal,
      }),
    }),
    promotionCodes: t.exposeStringList("promotionCodes"),
    shippingAddress: t.expose("shippingAddress", { type: "JSONObject", nullable: true }),
    billingAddress: t.expose("billingAddress", { type: "JSONObject", nullable: true }),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    lines: t.relation("lines", { query: { orderBy: LINE_ORDER } }),
    payments: t.relation("payments", { query: { orderBy: { createdAt: "asc" } } }),
    fulfillments: t.relation("fulfillments", { query: { orderBy: { createdAt: "asc" } } }),
    statusHistory: t.relation("statusHistory", { query: { orderBy: { createdAt: "asc" } } }),
  }),
});

builder.prismaObject("OrderLine", {
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.exposeID("entityId"),
    variantId: t.exposeID("variantId", { nullable: true }),
    sku: t.exposeString("sku", { nullable: true }),
    title: t.exposeString("title"),
    quantity: t.exposeInt("quantity"),
    unitPrice: t.exposeInt("unitPrice"),
    subtotal: t.exposeInt("subtotal"),
    discount: t.exposeInt("discount"),
    total: t.exposeInt("total"),
    fulfilledQuantity: t.exposeInt("fulfilledQuantity"),
    cancelledQuantity: t.exposeInt("cancelledQuantity", { description: "Units cancelled before they shipped." }),
    returnedQuantity: t.exposeInt("returnedQuantity", {
      description: "Units on returns and exchanges that were not rejected.",
    }),
  }),
});

export const Payment = builder.prismaObject("Payment", {
  fields: (t) => ({
    id: t.exposeID("id"),
    provider: t.exposeString("provider"),
    providerRef: t.exposeString("providerRef", { nullable: true, description: "e.g. the Stripe PaymentIntent id." }),
    status: t.field({ type: PaymentStatusEnum, resolve: (p) => p.status as PaymentStatus }),
    amount: t.exposeInt("amount"),
    capturedAmount: t.exposeInt("capturedAmount", {
      description: "What was taken (a manual capture may take less than amount).",
    }),
    refundedAmount: t.exposeInt("refundedAmount", { description: "Committed to refunds, pending or settled." }),
    refundableAmount: t.int({ resolve: (p) => p.capturedAmount - p.refundedAmount }),
    currency: t.exposeString("currency"),
    reference: t.exposeString("reference", {
      nullable: true,
      description: "The merchant's reference of a manual capture.",
    }),
    capturedAt: t.expose("capturedAt", { type: "DateTime", nullable: true }),
    exchangeId: t.exposeID("returnId", {
      nullable: true,
      description: "Set when the payment charges an exchange's price difference.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const FulfillmentItem = builder
  .objectRef<{ lineId: string; quantity: number; variantId?: string | null }>("FulfillmentItem")
  .implement({
    fields: (t) => ({
      lineId: t.exposeID("lineId"),
      quantity: t.exposeInt("quantity"),
      variantId: t.id({
        nullable: true,
        description: "An exchange's replacement variant.",
        resolve: (i) => i.variantId ?? null,
      }),
    }),
  });

const Fulfillment = builder.prismaObject("Fulfillment", {
  fields: (t) => ({
    id: t.exposeID("id"),
    orderId: t.exposeID("orderId"),
    status: t.exposeString("status"),
    carrier: t.exposeString("carrier", { nullable: true }),
    trackingNumber: t.exposeString("trackingNumber", { nullable: true }),
    items: t.field({ type: [FulfillmentItem], resolve: (f) => (Array.isArray(f.items) ? (f.items as never[]) : []) }),
    exchangeId: t.exposeID("returnId", {
      nullable: true,
      description: "Set when the fulfillment ships an exchange's replacements.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObject("OrderStatusChange", {
  fields: (t) => ({
    fromStatus: t.exposeString("fromStatus", { nullable: true }),
    toStatus: t.exposeString("toStatus"),
    reason: t.exposeString("reason", { nullable: true }),
    actor: t.exposeString("actor", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

registerNode("Order", "order", (ctx, id) => {
  // Merchants who may read orders see the store's; a signed-in customer sees their own.
  if (can(ctx.actor, "orders:read")) return ctx.prisma.order.findFirst({ where: { id, storeId: ctx.storeId } });
  const customerId = customerIdOf(ctx.actor);
  return customerId
    ? ctx.prisma.order.findFirst({ where: { id, storeId: ctx.storeId, customerId } })
    : Promise.resolve(null);
});

// ---- queries -------------------------------------------------------------------------------

const OrderFilter = builder.inputType("OrderFilter", {
  fields: (t) => ({
    status: t.field({ type: OrderStatusEnum }),
    statusIn: t.field({ type: [OrderStatusEnum], description: "Any of these statuses." }),
    returned: t.boolean({
      description: "With (true) or without (false) a return whose items came back (received or refunded).",
    }),
    customerId: t.id(),
    createdAfter: t.field({ type: "DateTime" }),
    createdBefore: t.field({ type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  order: t.prismaField({
    type: "Order",
    nullable: true,
    description: "One order by id or by number (ORD-YYYY-NNNNNN).",
    authScopes: { permission: "orders:read" },
    args: { id: t.arg.id(), number: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      const where = orderKeyWhere(ctx.storeId, args.id ?? args.number ?? "");
      return where ? ctx.prisma.order.findFirst({ ...query, where }) : null;
    },
  }),
  orders: t.connection(
    {
      type: Order,
      complexity: pageComplexity,
      description: "Newest first.",
      authScopes: { permission: "orders:read" },
      args: { filter: t.arg({ type: OrderFilter }) },
      resolve: (_root, args, ctx, info) => {
        if (args.filter?.customerId && !isUuid(args.filter.customerId)) {
          throw ValidationError.field("customerId", "invalid_uuid", "customerId must be a UUID.");
        }
        const where = orderWhere(ctx.storeId, args.filter ?? {});
        return modelConnection(args, ctx, info, {
          typeName: "Order",
          model: ctx.prisma.order,
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "OrderConnection", fields: totalCountField },
  ),
}));

// ---- mutations -----------------------------------------------------------------------------

const UpdateOrderStatusInput = builder.inputType("UpdateOrderStatusInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: OrderStatusEnum, required: true }),
    reason: t.string(),
  }),
});

builder.mutationField("updateOrderStatus", (t) =>
  t.field({
    type: Order,
    description:
      "Moves the order through the lifecycle table by hand. Guards keep the facts first: fulfilled and partially_fulfilled " +
      "come only from createFulfillment, refunded only from settled refunds (InvalidTransitionError.guard names the one " +
      "that refused). Cancelling releases the unshipped stock and refunds what was captured for it.",
    authScopes: { permission: "orders:update" },
    args: { input: t.arg({ type: UpdateOrderStatusInput, required: true }) },
    errors: mutationResult("UpdateOrderStatus", "order"),
    resolve: (_root, { input }, ctx) => changeOrderStatus({ scope: ctx.scope, payments: ctx.paymentProviders }, input),
  }),
);

const FulfillmentItemInput = builder.inputType("FulfillmentItemInput", {
  fields: (t) => ({ lineId: t.id({ required: true }), quantity: t.int({ required: true }) }),
});

const CreateFulfillmentInput = builder.inputType("CreateFulfillmentInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    carrier: t.string(),
    trackingNumber: t.string(),
    items: t.field({ type: [FulfillmentItemInput], description: "Default: everything not yet fulfilled." }),
  }),
});

builder.mutationField("createFulfillment", (t) =>
  t.field({
    type: Fulfillment,
    description:
      "Ships items of a processing or partially fulfilled order (never more than ordered); the shipped units' stock is " +
      "consumed and the order becomes partially_fulfilled or fulfilled. With an idempotencyKey a retry returns the same fulfillment.",
    authScopes: { permission: "orders:update" },
    args: { input: t.arg({ type: CreateFulfillmentInput, required: true }), idempotencyKey: t.arg.string() },
    errors: mutationResult("CreateFulfillment", "fulfillment"),
    resolve: (_root, { input, idempotencyKey }, ctx) => createFulfillment(ctx.scope, input, idempotencyKey),
  }),
);

// ---- subscriptions -------------------------------------------------------------------------

type OrderEventShape = DomainEvent;

const OrderEvent = builder.objectRef<OrderEventShape>("OrderEvent").implement({
  description: "Something happened to an order. `order` is read fresh, so any selection of it works.",
  fields: (t) => ({
    type: t.string({
      description:
        "orders.create, orders.statusChange, or a post-purchase event: payment.captured, fulfillment.create, order.fulfilled, " +
        "order.refunded, return.requested|approved|received|rejected|refunded, exchange.requested|approved|received|rejected.",
      resolve: (e) => e.type,
    }),
    orderId: t.exposeID("orderId"),
    fromStatus: t.string({ nullable: true, resolve: (e) => (e.type === "orders.statusChange" ? e.fromStatus : null) }),
    toStatus: t.string({
      description: "The order's status after the event.",
      resolve: (e) => (e.type === "orders.statusChange" ? e.toStatus : e.status),
    }),
    subjectId: t.id({
      nullable: true,
      description: "Post-purchase events: the payment, fulfillment, refund, return or exchange it is about.",
      resolve: (e) => ("subjectId" in e ? e.subjectId : null),
    }),
    reason: t.string({ nullable: true, resolve: (e) => (e.type === "orders.statusChange" ? e.reason : null) }),
    at: t.string({ description: "ISO-8601 time of the change.", resolve: (e) => e.at }),
    order: t.prismaField({
      type: "Order",
      nullable: true,
      resolve: (query, event, _args, ctx) =>
        ctx.prisma.order.findFirst({ ...query, where: { id: event.orderId, storeId: ctx.storeId } }),
    }),
  }),
});

builder.subscriptionFields((t) => ({
  orderStatusChanged: t.field({
    type: OrderEvent,
    description: "Status changes of the store's orders, or of one order.",
    authScopes: { permission: "orders:read" },
    args: { orderId: t.arg.id() },
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.pubsub.subscribe(`orderEvents:${ctx.storeId}`),
        filter(
          (event: DomainEvent) =>
            event.type === "orders.statusChange" && (!args.orderId || event.orderId === args.orderId),
        ),
      ),
    resolve: (event) => event as OrderEventShape,
  }),
  myOrderEvents: t.field({
    type: OrderEvent,
    description:
      "The signed-in customer's own orders' events (new orders, status changes, post-purchase events), or one order's.",
    authScopes: { customer: true },
    args: { orderId: t.arg.id() },
    subscribe: (_root, args, ctx) => {
      const customerId = requireCustomer(ctx.scope);
      return pipe(
        ctx.pubsub.subscribe(`orderEvents:${ctx.storeId}`),
        filter(
          (event: DomainEvent) => event.customerId === customerId && (!args.orderId || event.orderId === args.orderId),
        ),
      );
    },
    resolve: (event) => event as OrderEventShape,
  }),
  orderEvents: t.field({
    type: OrderEvent,
    description:
      "Every order event of the store (new orders, status changes, post-purchase events), for live dashboards.",
    authScopes: { permission: "orders:read" },
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe(`orderEvents:${ctx.storeId}`),
    resolve: (event) => event as OrderEventShape,
  }),
}));

import { filter, pipe } from "graphql-yoga";
import { can, customerIdOf } from "../../domain/auth/actor.js";
import type { DomainEvent } from "../../domain/events.js";
import { ORDER_STATUSES, type OrderStatus } from "../../domain/orders/lifecycle.js";
import { createFulfillment } from "../../domain/orders/fulfillments.js";
import { changeOrderStatus, orderKeyWhere, orderWhere } from "../../domain/orders/orders.js";
import { ValidationError } from "../../domain/errors.js";
import { isUuid } from "../../domain/validation.js";
import { requireCustomer } from "../../domain/customers/customers.js";
import { builder } from "../builder.js";
import { Totals } from "./pricing.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";
import { NodeInterface, registerNode } from "./node.js";

export const OrderStatusEnum = builder.enumType("OrderStatus", { values: ORDER_STATUSES });

export const Order = builder.prismaObject("Order", {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    number: t.exposeString("number", { description: "ORD-YYYY-NNNNNN, sequential per store and year." }),
    status: t.field({ type: OrderStatusEnum, resolve: (order) => order.status as OrderStatus }),
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
    lines: t.relation("lines", { query: { orderBy: { id: "asc" } } }),
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
  }),
});

builder.prismaObject("Payment", {
  fields: (t) => ({
    id: t.exposeID("id"),
    provider: t.exposeString("provider"),
    providerRef: t.exposeString("providerRef", { nullable: true, description: "e.g. the Stripe PaymentIntent id." }),
    status: t.exposeString("status"),
    amount: t.exposeInt("amount"),
    refundedAmount: t.exposeInt("refundedAmount"),
    currency: t.exposeString("currency"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const FulfillmentItem = builder.objectRef<{ lineId: string; quantity: number }>("FulfillmentItem").implement({
  fields: (t) => ({ lineId: t.exposeID("lineId"), quantity: t.exposeInt("quantity") }),
});

const Fulfillment = builder.prismaObject("Fulfillment", {
  fields: (t) => ({
    id: t.exposeID("id"),
    orderId: t.exposeID("orderId"),
    status: t.exposeString("status"),
    carrier: t.exposeString("carrier", { nullable: true }),
    trackingNumber: t.exposeString("trackingNumber", { nullable: true }),
    items: t.field({ type: [FulfillmentItem], resolve: (f) => (Array.isArray(f.items) ? (f.items as never[]) : []) }),
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
  return customerId ? ctx.prisma.order.findFirst({ where: { id, storeId: ctx.storeId, customerId } }) : Promise.resolve(null);
});

// ---- queries -------------------------------------------------------------------------------

const OrderFilter = builder.inputType("OrderFilter", {
  fields: (t) => ({
    status: t.field({ type: OrderStatusEnum }),
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
        return modelConnection(args, ctx, info, { typeName: "Order", model: ctx.prisma.order, where, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
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
    description: "Moves the order through the lifecycle table; cancelling releases its stock.",
    authScopes: { permission: "orders:update" },
    args: { input: t.arg({ type: UpdateOrderStatusInput, required: true }) },
    errors: mutationResult("UpdateOrderStatus", "order"),
    resolve: (_root, { input }, ctx) => changeOrderStatus(ctx.scope, input),
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
    description: "Ships items of a processing order; the order becomes partially_fulfilled or fulfilled.",
    authScopes: { permission: "orders:update" },
    args: { input: t.arg({ type: CreateFulfillmentInput, required: true }) },
    errors: mutationResult("CreateFulfillment", "fulfillment"),
    resolve: (_root, { input }, ctx) => createFulfillment(ctx.scope, input),
  }),
);

// ---- subscriptions -------------------------------------------------------------------------

type OrderEventShape = Extract<DomainEvent, { type: "orders.create" | "orders.statusChange" }>;

const OrderEvent = builder.objectRef<OrderEventShape>("OrderEvent").implement({
  description: "Something happened to an order. `order` is read fresh, so any selection of it works.",
  fields: (t) => ({
    type: t.string({ description: "orders.create or orders.statusChange", resolve: (e) => e.type }),
    orderId: t.exposeID("orderId"),
    fromStatus: t.string({ nullable: true, resolve: (e) => (e.type === "orders.statusChange" ? e.fromStatus : null) }),
    toStatus: t.string({ resolve: (e) => (e.type === "orders.statusChange" ? e.toStatus : e.status) }),
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
        filter((event: DomainEvent) => event.type === "orders.statusChange" && (!args.orderId || event.orderId === args.orderId)),
      ),
    resolve: (event) => event as OrderEventShape,
  }),
  myOrderEvents: t.field({
    type: OrderEvent,
    description: "The signed-in customer's own orders' events (new orders and status changes), or one order's.",
    args: { orderId: t.arg.id() },
    subscribe: (_root, args, ctx) => {
      const customerId = requireCustomer(ctx.scope);
      return pipe(
        ctx.pubsub.subscribe(`orderEvents:${ctx.storeId}`),
        filter((event: DomainEvent) => event.customerId === customerId && (!args.orderId || event.orderId === args.orderId)),
      );
    },
    resolve: (event) => event as OrderEventShape,
  }),
  orderEvents: t.field({
    type: OrderEvent,
    description: "Every order event of the store (new orders and status changes), for live dashboards.",
    authScopes: { permission: "orders:read" },
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe(`orderEvents:${ctx.storeId}`),
    resolve: (event) => event as OrderEventShape,
  }),
}));

import {
  EXCHANGE_STATUSES,
  type ExchangeStatus,
  RETURN_STATUSES,
  type ReturnStatus,
} from "../../domain/returns/lifecycle.js";
import { approveRma, receiveRma, rejectRma, requestRma } from "../../domain/returns/returns.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";

// Returns and exchanges share one table (order_return, `kind`); GraphQL shows them as two types.

const ReturnStatusEnum = builder.enumType("ReturnStatus", {
  description: "requested -> approved (RMA number) -> received -> refunded; requested | approved -> rejected.",
  values: RETURN_STATUSES,
});

const ExchangeStatusEnum = builder.enumType("ExchangeStatus", {
  description:
    "requested -> approved (RMA number, replacements reserved) -> received (replacements shipped); requested | approved -> rejected.",
  values: EXCHANGE_STATUSES,
});

const ReturnLine = builder.prismaObject("OrderReturnLine", {
  variant: "ReturnLine",
  fields: (t) => ({
    id: t.exposeID("id"),
    lineId: t.exposeID("orderLineId", { description: "The order line the units come from." }),
    quantity: t.exposeInt("quantity"),
  }),
});

const ExchangeLine = builder.prismaObject("OrderReturnLine", {
  variant: "ExchangeLine",
  fields: (t) => ({
    id: t.exposeID("id"),
    lineId: t.exposeID("orderLineId", { description: "The order line the returned units come from." }),
    quantity: t.exposeInt("quantity"),
    // Always set on an exchange's lines (the column is shared with returns).
    newVariantId: t.id({ description: "The replacement variant.", resolve: (l) => l.newVariantId ?? "" }),
    newEntityId: t.id({ resolve: (l) => l.newEntityId ?? "" }),
    newSku: t.exposeString("newSku", { nullable: true }),
    newUnitPrice: t.int({
      description: "The replacement's unit price when requested (minor units, before tax).",
      resolve: (l) => l.newUnitPrice ?? 0,
    }),
  }),
});

export const Return = builder.prismaObject("OrderReturn", {
  variant: "Return",
  fields: (t) => ({
    id: t.exposeID("id"),
    orderId: t.exposeID("orderId"),
    status: t.field({ type: ReturnStatusEnum, resolve: (r) => r.status as ReturnStatus }),
    reason: t.exposeString("reason"),
    rmaNumber: t.exposeString("rmaNumber", {
      nullable: true,
      description: "RMA-<order number>-<n>, issued at approval.",
    }),
    restocked: t.exposeBoolean("restocked", { nullable: true }),
    warehouseId: t.exposeID("warehouseId", { nullable: true }),
    rejectionReason: t.exposeString("rejectionReason", { nullable: true }),
    lines: t.relation("lines", { type: ReturnLine, query: { orderBy: { id: "asc" } } }),
    refunds: t.relation("refunds", { query: { orderBy: { createdAt: "asc" } } }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    approvedAt: t.expose("approvedAt", { type: "DateTime", nullable: true }),
    receivedAt: t.expose("receivedAt", { type: "DateTime", nullable: true }),
    rejectedAt: t.expose("rejectedAt", { type: "DateTime", nullable: true }),
    refundedAt: t.expose("refundedAt", { type: "DateTime", nullable: true }),
  }),
});

export const Exchange = builder.prismaObject("OrderReturn", {
  variant: "Exchange",
  fields: (t) => ({
    id: t.exposeID("id"),
    orderId: t.exposeID("orderId"),
    status: t.field({ type: ExchangeStatusEnum, resolve: (r) => r.status as ExchangeStatus }),
    reason: t.exposeString("reason"),
    rmaNumber: t.exposeString("rmaNumber", {
      nullable: true,
      description: "RMA-<order number>-<n>, issued at approval.",
    }),
    priceDifference: t.int({
      description:
        "Replacements minus what was paid for the returned units, before tax: positive is charged, negative refunded.",
      resolve: (r) => r.priceDifference ?? 0,
    }),
    restocked: t.exposeBoolean("restocked", { nullable: true }),
    warehouseId: t.exposeID("warehouseId", { nullable: true }),
    rejectionReason: t.exposeString("rejectionReason", { nullable: true }),
    lines: t.relation("lines", { type: ExchangeLine, query: { orderBy: { id: "asc" } } }),
    fulfillments: t.relation("fulfillments", { description: "The shipment of the replacements (once received)." }),
    // Ordered as a return's refunds are, so an order's returns and exchanges share one join.
    refunds: t.relation("refunds", {
      description: "The refund of a negative price difference.",
      query: { orderBy: { createdAt: "asc" } },
    }),
    payments: t.relation("payments", { description: "The payment charging a positive price difference." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    approvedAt: t.expose("approvedAt", { type: "DateTime", nullable: true }),
    receivedAt: t.expose("receivedAt", { type: "DateTime", nullable: true }),
    rejectedAt: t.expose("rejectedAt", { type: "DateTime", nullable: true }),
  }),
});

// Both lists read the order's one `returns` relation with the same arguments and split it by kind, so
// an order selecting both (and a list of orders) loads them in its own query: two different filters on
// one relation cannot share a join, and the second would cost a query of its own.
const RMA_ORDER = [{ createdAt: "asc" as const }, { id: "asc" as const }];

builder.prismaObjectFields("Order", (t) => ({
  returns: t.field({
    type: [Return],
    description: "Returns (RMA), oldest first.",
    select: (_args, _ctx, nestedSelection) => ({ returns: nestedSelection({ orderBy: RMA_ORDER }) }),
    resolve: (order) => order.returns.filter((r) => r.kind === "return"),
  }),
  exchanges: t.field({
    type: [Exchange],
    description: "Exchanges, oldest first.",
    select: (_args, _ctx, nestedSelection) => ({ returns: nestedSelection({ orderBy: RMA_ORDER }) }),
    resolve: (order) => order.returns.filter((r) => r.kind === "exchange"),
  }),
}));

// ---- mutations -----------------------------------------------------------------------------

const ReturnItemInput = builder.inputType("ReturnItemInput", {
  fields: (t) => ({ lineId: t.id({ required: true }), quantity: t.int({ required: true }) }),
});

const ExchangeItemInput = builder.inputType("ExchangeItemInput", {
  fields: (t) => ({
    lineId: t.id({ required: true }),
    quantity: t.int({ required: true }),
    newVariantId: t.id({ required: true, description: "The replacement variant." }),
  }),
});

const RequestReturnInput = builder.inputType("RequestReturnInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    items: t.field({
      type: [ReturnItemInput],
      required: true,
      description: "Never more per line than fulfilled minus already returned.",
    }),
    reason: t.string({ required: true }),
  }),
});

const RequestExchangeInput = builder.inputType("RequestExchangeInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    items: t.field({
      type: [ExchangeItemInput],
      required: true,
      description: "Never more per line than fulfilled minus already returned.",
    }),
    reason: t.string({ required: true }),
  }),
});

const ReturnActionInput = builder.inputType("ReturnActionInput", {
  fields: (t) => ({ orderId: t.id({ required: true }), returnId: t.id({ required: true }) }),
});
const ExchangeActionInput = builder.inputType("ExchangeActionInput", {
  fields: (t) => ({ orderId: t.id({ required: true }), exchangeId: t.id({ required: true }) }),
});

const ReceiveReturnInput = builder.inputType("ReceiveReturnInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    returnId: t.id({ required: true }),
    restock: t.boolean({ description: "Put the items back on hand (default true)." }),
    warehouseId: t.id({ description: "Where to restock; default: the warehouse each line shipped from." }),
  }),
});
const ReceiveExchangeInput = builder.inputType("ReceiveExchangeInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    exchangeId: t.id({ required: true }),
    restock: t.boolean({ description: "Put the returned items back on hand (default true)." }),
    warehouseId: t.id({ description: "Where to restock; default: the warehouse each line shipped from." }),
    carrier: t.string({ description: "How the replacements ship." }),
    trackingNumber: t.string(),
  }),
});

const RejectReturnInput = builder.inputType("RejectReturnInput", {
  fields: (t) => ({ orderId: t.id({ required: true }), returnId: t.id({ required: true }), reason: t.string() }),
});
const RejectExchangeInput = builder.inputType("RejectExchangeInput", {
  fields: (t) => ({ orderId: t.id({ required: true }), exchangeId: t.id({ required: true }), reason: t.string() }),
});

/** The domain addresses either kind by `id`. */
function rmaInput<T extends { returnId?: string | null; exchangeId?: string | null }>(input: T) {
  const { returnId, exchangeId, ...rest } = input;
  return { ...rest, id: returnId ?? exchangeId };
}

const write = { permission: "orders:update" } as const;

builder.mutationFields((t) => ({
  requestReturn: t.field({
    type: Return,
    description: "Opens a return (status requested) for fulfilled units of an order. Emits return.requested.",
    authScopes: write,
    args: { input: t.arg({ type: RequestReturnInput, required: true }) },
    errors: mutationResult("RequestReturn", "return"),
    resolve: (_root, { input }, ctx) => requestRma(ctx.scope, "return", input),
  }),
  approveReturn: t.field({
    type: Return,
    description: "requested -> approved, issuing the RMA number. Emits return.approved.",
    authScopes: write,
    args: { input: t.arg({ type: ReturnActionInput, required: true }) },
    errors: mutationResult("ApproveReturn", "return"),
    resolve: (_root, { input }, ctx) => approveRma(ctx.scope, "return", rmaInput(input)),
  }),
  receiveReturn: t.field({
    type: Return,
    description:
      "approved -> received: the items are back (restocked unless restock is false). Pay it back with refundOrder(returnId); " +
      "it becomes refunded when that refund settles. Emits return.received.",
    authScopes: write,
    args: { input: t.arg({ type: ReceiveReturnInput, required: true }) },
    errors: mutationResult("ReceiveReturn", "return"),
    resolve: (_root, { input }, ctx) =>
      receiveRma({ scope: ctx.scope, payments: ctx.paymentProviders }, "return", rmaInput(input)),
  }),
  rejectReturn: t.field({
    type: Return,
    description: "requested | approved -> rejected. Emits return.rejected.",
    authScopes: write,
    args: { input: t.arg({ type: RejectReturnInput, required: true }) },
    errors: mutationResult("RejectReturn", "return"),
    resolve: (_root, { input }, ctx) => rejectRma(ctx.scope, "return", rmaInput(input)),
  }),
  requestExchange: t.field({
    type: Exchange,
    description:
      "Opens an exchange (status requested): fulfilled units for a replacement variant each, priced now. Emits exchange.requested.",
    authScopes: write,
    args: { input: t.arg({ type: RequestExchangeInput, required: true }) },
    errors: mutationResult("RequestExchange", "exchange"),
    resolve: (_root, { input }, ctx) => requestRma(ctx.scope, "exchange", input),
  }),
  approveExchange: t.field({
    type: Exchange,
    description:
      "requested -> approved: issues the RMA number and reserves the replacements (409 when out of stock). Emits exchange.approved.",
    authScopes: write,
    args: { input: t.arg({ type: ExchangeActionInput, required: true }) },
    errors: mutationResult("ApproveExchange", "exchange"),
    resolve: (_root, { input }, ctx) => approveRma(ctx.scope, "exchange", rmaInput(input)),
  }),
  receiveExchange: t.field({
    type: Exchange,
    description:
      "approved -> received: the items are back (restocked unless restock is false), the replacements ship as a new " +
      "fulfillment, and the price difference is refunded or charged (a new payment of the order). Emits exchange.received.",
    authScopes: write,
    args: { input: t.arg({ type: ReceiveExchangeInput, required: true }) },
    errors: mutationResult("ReceiveExchange", "exchange"),
    resolve: (_root, { input }, ctx) =>
      receiveRma({ scope: ctx.scope, payments: ctx.paymentProviders }, "exchange", rmaInput(input)),
  }),
  rejectExchange: t.field({
    type: Exchange,
    description: "requested | approved -> rejected, releasing reserved replacements. Emits exchange.rejected.",
    authScopes: write,
    args: { input: t.arg({ type: RejectExchangeInput, required: true }) },
    errors: mutationResult("RejectExchange", "exchange"),
    resolve: (_root, { input }, ctx) => rejectRma(ctx.scope, "exchange", rmaInput(input)),
  }),
}));

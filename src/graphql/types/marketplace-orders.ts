import { filter, pipe } from "graphql-yoga";
import { vendorOf } from "../../domain/auth/actor.js";
import { ForbiddenError, ValidationError } from "../../domain/errors.js";
import type { MarketplaceOrderEvent } from "../../domain/events.js";
import {
  countCommissionRules,
  createCommissionRule,
  deleteCommissionRule,
  listCommissionRules,
  updateCommissionRule,
} from "../../domain/marketplace/commissions.js";
import {
  DISPUTE_STATUSES,
  disputeWhere,
  escalateDispute,
  openDispute,
  resolveDispute,
  respondToDispute,
} from "../../domain/marketplace/disputes.js";
import { vendorBalances } from "../../domain/marketplace/ledger.js";
import type { MarketplaceDeps } from "../../domain/marketplace/marketplace-deps.js";
import {
  receiveMarketplaceReturn,
  requestMarketplaceReturn,
  shipBackMarketplaceReturn,
} from "../../domain/marketplace/marketplace-returns.js";
import { retryPayout, runPayouts } from "../../domain/marketplace/payouts.js";
import { vendorPerformance } from "../../domain/marketplace/performance.js";
import { SUB_ORDER_STATUSES } from "../../domain/marketplace/sub-order-lifecycle.js";
import { moveSubOrder, subOrderWhere } from "../../domain/marketplace/sub-orders.js";
import { isMarketplaceAdmin } from "../../domain/marketplace/vendors.js";
import { isUuid, uuidFilter } from "../../domain/validation.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { modelConnection, offsetConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";

// Marketplace orders (issue 11 part B): sub-orders, commission rules, balances, payouts, disputes,
// sub-order returns. A vendor (vendor key or vendor staff) reaches only its own; `marketplace:admin` all.

const admin = { permission: "marketplace:admin" } as const;
/** A buyer (customer session; the service checks the order is theirs), a merchant, or the marketplace admin. */
const buyerOrMerchant = { customer: true, permission: "orders:update", $any: admin } as const;

function deps(ctx: GraphQLContext): MarketplaceDeps {
  return { scope: ctx.scope, payments: ctx.paymentProviders, marketplace: ctx.marketplace };
}

/** The vendor a vendor-scoped field works for (the `vendor` auth scope already made sure there is one). */
function ownVendor(ctx: GraphQLContext): string {
  const vendorId = vendorOf(ctx.actor);
  if (!vendorId) throw new ForbiddenError("This needs a vendor key or a vendor staff session.");
  return vendorId;
}

/** Admin fields with a vendor in the path: the admin any, a vendor only itself (another is 404 below). */
function vendorRestriction(ctx: GraphQLContext): string | null {
  return vendorOf(ctx.actor);
}

// ---- types -------------------------------------------------------------------------------------

const SubOrderStatusEnum = builder.enumType("SubOrderStatus", {
  description: "pending -> confirmed -> shipped -> delivered; pending | confirmed -> cancelled.",
  values: SUB_ORDER_STATUSES,
});

export const SubOrder = builder.prismaObject("SubOrder", {
  description:
    "One vendor's part of an order, snapshotted at checkout: subtotal (its lines after discounts, before tax) = commission + vendorNet.",
  fields: (t) => ({
    id: t.exposeID("id"),
    orderId: t.exposeID("orderId"),
    number: t.exposeString("number", { description: "<order number>-<n>." }),
    vendorId: t.exposeID("vendorId"),
    status: t.field({ type: SubOrderStatusEnum, resolve: (s) => s.status as (typeof SUB_ORDER_STATUSES)[number] }),
    currency: t.exposeString("currency"),
    subtotal: t.exposeInt("subtotal"),
    shippingShare: t.exposeInt("shippingShare", { description: "Its share of the order's shipping (by subtotal)." }),
    taxShare: t.exposeInt("taxShare", { description: "Its share of the order's tax (by subtotal)." }),
    commission: t.exposeInt("commission", { description: "What the platform keeps (sum of the lines' commissions)." }),
    vendorNet: t.exposeInt("vendorNet", { description: "subtotal - commission." }),
    carrier: t.exposeString("carrier", { nullable: true }),
    trackingNumber: t.exposeString("trackingNumber", { nullable: true }),
    cancelReason: t.exposeString("cancelReason", { nullable: true }),
    lines: t.relation("lines", { query: { orderBy: { id: "asc" } } }),
    vendor: t.relation("vendor"),
    confirmedAt: t.expose("confirmedAt", { type: "DateTime", nullable: true }),
    shippedAt: t.expose("shippedAt", { type: "DateTime", nullable: true }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true }),
    cancelledAt: t.expose("cancelledAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObjectFields("OrderLine", (t) => ({
  subOrderId: t.exposeID("subOrderId", {
    nullable: true,
    description: "Marketplace: the vendor's sub-order (null: a platform-owned line).",
  }),
  commission: t.exposeInt("commission", { description: "Marketplace: the platform's commission on this line." }),
}));

builder.prismaObjectFields("Order", (t) => ({
  subOrders: t.relation("subOrders", {
    description: "Marketplace: one per vendor of the order's lines.",
    query: { orderBy: { number: "asc" } },
  }),
}));

// The admin sees every vendor's sub-orders, a vendor only its own (another vendor's list is empty), and
// nobody else any: one filter planned into the vendors' query, so a list of vendors loads them in one statement.
const NO_ID = "00000000-0000-0000-0000-000000000000";
builder.prismaObjectFields("Vendor", (t) => ({
  subOrders: t.relation("subOrders", {
    description: "Its sub-orders, newest first (marketplace:admin; the vendor itself).",
    query: (_args, ctx) => {
      const own = vendorOf(ctx.actor);
      const visible = isMarketplaceAdmin(ctx.scope) ? {} : own ? { vendorId: own } : { id: NO_ID };
      return { where: visible, orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }] };
    },
  }),
}));

const CommissionRule = builder.prismaObject("CommissionRule", {
  description:
    "A percentage and/or fixed amount per line; the most specific rule wins: vendor + category > vendor > category > default.",
  fields: (t) => ({
    id: t.exposeID("id"),
    vendorId: t.exposeID("vendorId", { nullable: true }),
    categoryId: t.exposeID("categoryId", { nullable: true }),
    percentage: t.float({ description: "0..100, two decimals.", resolve: (r) => r.rateBps / 100 }),
    fixedAmount: t.exposeInt("fixedAmount", { description: "Minor units per order line." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

interface BalanceShape {
  vendorId: string;
  currency: string;
  balance: number;
  payable: number;
  pending: number;
}

const VendorBalance = builder.objectRef<BalanceShape>("VendorBalance").implement({
  description: "A vendor's balance in one currency: the sum of its ledger entries (never stored apart from them).",
  fields: (t) => ({
    vendorId: t.exposeID("vendorId"),
    currency: t.exposeString("currency"),
    balance: t.exposeInt("balance", { description: "Every entry summed." }),
    payable: t.exposeInt("payable", {
      description: "What the next payout run takes: debits plus credits past their hold.",
    }),
    pending: t.exposeInt("pending", { description: "Credits still held." }),
  }),
});

const LedgerEntry = builder.prismaObject("VendorLedgerEntry", {
  fields: (t) => ({
    id: t.exposeID("id"),
    vendorId: t.exposeID("vendorId"),
    type: t.exposeString("type", { description: "sale | commission | refund | dispute | payout" }),
    amount: t.exposeInt("amount", { description: "Signed: credits positive, debits negative." }),
    currency: t.exposeString("currency"),
    subOrderId: t.exposeID("subOrderId", { nullable: true }),
    payoutId: t.exposeID("payoutId", { nullable: true }),
    disputeId: t.exposeID("disputeId", { nullable: true }),
    availableAt: t.expose("availableAt", { type: "DateTime" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const Payout = builder.prismaObject("Payout", {
  fields: (t) => ({
    id: t.exposeID("id"),
    vendorId: t.exposeID("vendorId"),
    amount: t.exposeInt("amount"),
    currency: t.exposeString("currency"),
    status: t.exposeString("status", { description: "pending | paid | failed (retry with retryPayout)." }),
    provider: t.exposeString("provider", { description: "manual | stripe_connect" }),
    providerRef: t.exposeString("providerRef", { nullable: true }),
    failureReason: t.exposeString("failureReason", { nullable: true }),
    attempts: t.exposeInt("attempts"),
    paidAt: t.expose("paidAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const DisputeStatusEnum = builder.enumType("DisputeStatus", {
  description:
    "open -> responded -> escalated -> resolved; open | responded -> escalated; any but resolved -> resolved.",
  values: DISPUTE_STATUSES,
});

const Dispute = builder.prismaObject("Dispute", {
  fields: (t) => ({
    id: t.exposeID("id"),
    subOrderId: t.exposeID("subOrderId"),
    vendorId: t.exposeID("vendorId"),
    openedByType: t.exposeString("openedByType", { description: "customer | merchant" }),
    reason: t.exposeString("reason"),
    status: t.field({ type: DisputeStatusEnum, resolve: (d) => d.status as (typeof DISPUTE_STATUSES)[number] }),
    vendorResponse: t.exposeString("vendorResponse", { nullable: true }),
    resolution: t.exposeString("resolution", { nullable: true }),
    refundAmount: t.exposeInt("refundAmount", { nullable: true }),
    refundId: t.exposeID("refundId", { nullable: true }),
    respondedAt: t.expose("respondedAt", { type: "DateTime", nullable: true }),
    escalatedAt: t.expose("escalatedAt", { type: "DateTime", nullable: true }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const MarketplaceReturnLine = builder.prismaObject("OrderReturnLine", {
  variant: "MarketplaceReturnLine",
  fields: (t) => ({
    id: t.exposeID("id"),
    lineId: t.exposeID("orderLineId", { description: "The order line the units come from." }),
    quantity: t.exposeInt("quantity"),
  }),
});

const MarketplaceReturn = builder.prismaObject("OrderReturn", {
  variant: "MarketplaceReturn",
  description:
    "A return of a vendor's sub-order: the return machine (requested -> approved -> received -> refunded), approved at once.",
  fields: (t) => ({
    id: t.exposeID("id"),
    orderId: t.exposeID("orderId"),
    subOrderId: t.id({ resolve: (r) => r.subOrderId ?? "" }),
    status: t.exposeString("status"),
    reason: t.exposeString("reason"),
    rmaNumber: t.exposeString("rmaNumber", { nullable: true }),
    shipBackCarrier: t.exposeString("shipBackCarrier", { nullable: true }),
    shipBackTrackingNumber: t.exposeString("shipBackTrackingNumber", { nullable: true }),
    shippedBackAt: t.expose("shippedBackAt", { type: "DateTime", nullable: true }),
    restocked: t.exposeBoolean("restocked", { nullable: true }),
    lines: t.relation("lines", { type: MarketplaceReturnLine, query: { orderBy: { id: "asc" } } }),
    refunds: t.relation("refunds", { query: { orderBy: { createdAt: "asc" } } }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    receivedAt: t.expose("receivedAt", { type: "DateTime", nullable: true }),
    refundedAt: t.expose("refundedAt", { type: "DateTime", nullable: true }),
  }),
});

interface PerformanceShape {
  vendorId: string;
  rating: number | null;
  reviewCount: number;
  subOrders: number;
  delivered: number;
  cancelled: number;
  fulfilmentRate: number | null;
  onTimeShippingRate: number | null;
  cancellationRate: number | null;
  disputes: number;
  disputeRate: number | null;
}

const VendorPerformance = builder.objectRef<PerformanceShape>("VendorPerformance").implement({
  description: "Rates are 0..1 over the vendor's sub-orders (null when it has none yet).",
  fields: (t) => ({
    vendorId: t.exposeID("vendorId"),
    rating: t.exposeFloat("rating", { nullable: true, description: "Average of its visible reviews (1..5)." }),
    reviewCount: t.exposeInt("reviewCount"),
    subOrders: t.exposeInt("subOrders"),
    delivered: t.exposeInt("delivered"),
    cancelled: t.exposeInt("cancelled"),
    fulfilmentRate: t.exposeFloat("fulfilmentRate", {
      nullable: true,
      description: "Delivered / sub-orders that are delivered or cancelled.",
    }),
    onTimeShippingRate: t.exposeFloat("onTimeShippingRate", {
      nullable: true,
      description: "Shipped within 48 hours of the order / shipped.",
    }),
    cancellationRate: t.exposeFloat("cancellationRate", { nullable: true }),
    disputes: t.exposeInt("disputes"),
    disputeRate: t.exposeFloat("disputeRate", { nullable: true }),
  }),
});

interface MarketplaceEventShape extends MarketplaceOrderEvent {}

const VendorOrderEvent = builder.objectRef<MarketplaceEventShape>("VendorOrderEvent").implement({
  description: "A sub-order, payout, dispute or account-status event of one vendor.",
  fields: (t) => ({
    type: t.string({
      description:
        "sub_order.created|confirmed|shipped|delivered|cancelled, payout.created|paid|failed, dispute.opened|responded|escalated|resolved, vendor.approved|rejected|suspended|reinstated.",
      resolve: (e) => e.type,
    }),
    vendorId: t.exposeID("vendorId"),
    subjectId: t.exposeID("subjectId", {
      description: "The sub-order, payout or dispute; the vendor for vendor.* events.",
    }),
    subOrderId: t.exposeID("subOrderId", { nullable: true }),
    status: t.exposeString("status", { description: "The subject's status after the event." }),
    at: t.exposeString("at"),
    subOrder: t.prismaField({
      type: "SubOrder",
      nullable: true,
      resolve: (query, event, _args, ctx) =>
        event.subOrderId
          ? ctx.prisma.subOrder.findFirst({
              ...query,
              where: { id: event.subOrderId, storeId: ctx.storeId, vendorId: event.vendorId },
            })
          : null,
    }),
  }),
});

// ---- queries -----------------------------------------------------------------------------------

const SubOrderFilter = builder.inputType("SubOrderFilter", {
  fields: (t) => ({ status: t.field({ type: SubOrderStatusEnum }), vendorId: t.id(), orderId: t.id() }),
});

/** What a payout's status can be (the REST listing documents them). */
const PAYOUT_STATUSES = ["pending", "paid", "failed"];

function subOrderListWhere(
  ctx: GraphQLContext,
  vendorId: string | null,
  f: { status?: string | null; vendorId?: string | null; orderId?: string | null } | null | undefined,
) {
  return {
    ...subOrderWhere(ctx.storeId, vendorId),
    ...(f?.status ? { status: f.status } : {}),
    ...(!vendorId && f?.vendorId ? { vendorId: uuidFilter("vendorId", f.vendorId) } : {}),
    ...(f?.orderId ? { orderId: uuidFilter("orderId", f.orderId) } : {}),
  };
}

builder.queryFields((t) => ({
  subOrders: t.connection(
    {
      type: SubOrder,
      complexity: pageComplexity,
      description: "Every vendor's sub-orders (marketplace:admin), newest first.",
      authScopes: admin,
      args: { filter: t.arg({ type: SubOrderFilter }) },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "SubOrder",
          model: ctx.prisma.subOrder,
          where: subOrderListWhere(ctx, null, args.filter),
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        }),
    },
    { name: "SubOrderConnection", fields: totalCountField },
  ),
  subOrder: t.prismaField({
    type: "SubOrder",
    nullable: true,
    description: "One sub-order (marketplace:admin any; a vendor its own).",
    authScopes: { ...admin, vendor: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(id)
        ? ctx.prisma.subOrder.findFirst({
            ...query,
            where: { id, ...subOrderWhere(ctx.storeId, vendorRestriction(ctx)) },
          })
        : null,
  }),
  vendorMeSubOrders: t.connection(
    {
      type: SubOrder,
      complexity: pageComplexity,
      description: "The calling vendor's own sub-orders, newest first.",
      authScopes: { vendor: true },
      args: { filter: t.arg({ type: SubOrderFilter }) },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "SubOrder",
          model: ctx.prisma.subOrder,
          where: subOrderListWhere(ctx, ownVendor(ctx), args.filter),
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        }),
    },
    { name: "VendorSubOrderConnection", fields: totalCountField },
  ),
  commissionRules: t.connection(
    {
      type: CommissionRule,
      complexity: pageComplexity,
      description: "Commission rules (marketplace:admin), oldest first.",
      authScopes: admin,
      args: { vendorId: t.arg.id(), categoryId: t.arg.id() },
      resolve: (_root, args, ctx) =>
        offsetConnection(
          args,
          { ctx, list: "Query.commissionRules" },
          (page) => listCommissionRules(ctx.scope, args, page),
          () => countCommissionRules(ctx.scope, args),
        ),
    },
    { name: "CommissionRuleConnection", fields: totalCountField },
  ),
  vendorBalance: t.field({
    type: [VendorBalance],
    description: "A vendor's balances per currency (marketplace:admin; a vendor only its own).",
    authScopes: { ...admin, vendor: true },
    args: { vendorId: t.arg.id({ required: true }) },
    resolve: async (_root, { vendorId }, ctx) => {
      // A vendor id is a UUID (the REST path documents it so): anything else is refused, not an empty list.
      if (!isUuid(vendorId)) throw ValidationError.field("vendorId", "invalid_uuid", "vendorId must be a UUID.");
      const own = vendorRestriction(ctx);
      if (own && own !== vendorId) return [];
      return vendorBalances(ctx.prisma, ctx.storeId, [vendorId], new Date());
    },
  }),
  vendorMeBalance: t.field({
    type: [VendorBalance],
    description: "The calling vendor's balances per currency.",
    authScopes: { vendor: true },
    resolve: (_root, _args, ctx) => vendorBalances(ctx.prisma, ctx.storeId, [ownVendor(ctx)], new Date()),
  }),
  vendorLedger: t.connection(
    {
      type: LedgerEntry,
      complexity: pageComplexity,
      description: "A vendor's ledger entries, newest first (marketplace:admin; a vendor only its own).",
      authScopes: { ...admin, vendor: true },
      args: { vendorId: t.arg.id({ required: true }) },
      resolve: (_root, args, ctx, info) => {
        const own = vendorRestriction(ctx);
        const vendorId = own && own !== args.vendorId ? "00000000-0000-0000-0000-000000000000" : args.vendorId;
        return modelConnection(args, ctx, info, {
          typeName: "VendorLedgerEntry",
          model: ctx.prisma.vendorLedgerEntry,
          where: {
            storeId: ctx.storeId,
            vendorId: /^[0-9a-f-]{36}$/i.test(vendorId) ? vendorId : "00000000-0000-0000-0000-000000000000",
          },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "VendorLedgerEntryConnection", fields: totalCountField },
  ),
  payouts: t.connection(
    {
      type: Payout,
      complexity: pageComplexity,
      description: "Payouts, newest first (marketplace:admin every vendor's; a vendor its own).",
      authScopes: { ...admin, vendor: true },
      args: { vendorId: t.arg.id(), status: t.arg.string() },
      resolve: (_root, args, ctx, info) => {
        const own = vendorRestriction(ctx);
        const vendorId = own ?? uuidFilter("vendorId", args.vendorId);
        if (args.status && !PAYOUT_STATUSES.includes(args.status)) {
          throw ValidationError.field("status", "invalid", `status must be one of ${PAYOUT_STATUSES.join(", ")}.`);
        }
        return modelConnection(args, ctx, info, {
          typeName: "Payout",
          model: ctx.prisma.payout,
          where: {
            storeId: ctx.storeId,
            ...(vendorId ? { vendorId } : {}),
            ...(args.status ? { status: args.status } : {}),
          },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "PayoutConnection", fields: totalCountField },
  ),
  disputes: t.connection(
    {
      type: Dispute,
      complexity: pageComplexity,
      description: "Disputes, newest first: marketplace:admin all, a vendor its own, a customer those on its orders.",
      authScopes: { vendor: true, customer: true, permission: "orders:read", $any: admin },
      args: { status: t.arg({ type: DisputeStatusEnum }), subOrderId: t.arg.id() },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "Dispute",
          model: ctx.prisma.dispute,
          where: {
            ...disputeWhere(ctx.scope, vendorRestriction(ctx)),
            ...(args.status ? { status: args.status } : {}),
            ...(args.subOrderId ? { subOrderId: uuidFilter("subOrderId", args.subOrderId) } : {}),
          },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        }),
    },
    { name: "DisputeConnection", fields: totalCountField },
  ),
  vendorPerformance: t.field({
    type: VendorPerformance,
    nullable: true,
    description:
      "A vendor's rating, fulfilment rate, on-time shipping, cancellations and disputes (marketplace:admin; a vendor its own).",
    authScopes: { ...admin, vendor: true },
    args: { vendorId: t.arg.id({ required: true }) },
    resolve: (_root, { vendorId }, ctx) => {
      const own = vendorRestriction(ctx);
      if (own && own !== vendorId) return null;
      return vendorPerformance(ctx.scope, vendorId);
    },
  }),
}));

// ---- mutations ---------------------------------------------------------------------------------

const VendorSubOrderActionInput = builder.inputType("VendorSubOrderActionInput", {
  fields: (t) => ({ id: t.id({ required: true }), reason: t.string({ description: "Cancel: why." }) }),
});
const ShipSubOrderInput = builder.inputType("ShipSubOrderInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    carrier: t.string({ required: true }),
    trackingNumber: t.string({ required: true }),
  }),
});
const UpdateSubOrderStatusInput = builder.inputType("UpdateSubOrderStatusInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: SubOrderStatusEnum, required: true }),
    carrier: t.string({ description: "Required to ship." }),
    trackingNumber: t.string({ description: "Required to ship." }),
    reason: t.string(),
  }),
});

const CreateCommissionRuleInput = builder.inputType("CreateCommissionRuleInput", {
  fields: (t) => ({
    vendorId: t.id({ description: "Scope to one vendor (with categoryId: that vendor's lines in that category)." }),
    categoryId: t.id({ description: "Scope to lines of products in this category." }),
    percentage: t.float({ description: "0..100, at most two decimals." }),
    fixedAmount: t.int({ description: "Minor units per order line." }),
  }),
});
const UpdateCommissionRuleInput = builder.inputType("UpdateCommissionRuleInput", {
  fields: (t) => ({ id: t.id({ required: true }), percentage: t.float(), fixedAmount: t.int() }),
});
const DeleteCommissionRuleInput = builder.inputType("DeleteCommissionRuleInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const RetryPayoutInput = builder.inputType("RetryPayoutInput", { fields: (t) => ({ id: t.id({ required: true }) }) });

const OpenDisputeInput = builder.inputType("OpenDisputeInput", {
  fields: (t) => ({ subOrderId: t.id({ required: true }), reason: t.string({ required: true }) }),
});
const RespondToDisputeInput = builder.inputType("RespondToDisputeInput", {
  fields: (t) => ({ id: t.id({ required: true }), response: t.string({ required: true }) }),
});
const EscalateDisputeInput = builder.inputType("EscalateDisputeInput", {
  fields: (t) => ({ id: t.id({ required: true }), reason: t.string() }),
});
const ResolveDisputeInput = builder.inputType("ResolveDisputeInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    resolution: t.string({ required: true }),
    refundAmount: t.int({
      description: "Refunded to the buyer and debited from the vendor (minor units); omitted: no refund.",
    }),
  }),
});

const MarketplaceReturnItemInput = builder.inputType("MarketplaceReturnItemInput", {
  fields: (t) => ({ lineId: t.id({ required: true }), quantity: t.int({ required: true }) }),
});
const RequestMarketplaceReturnInput = builder.inputType("RequestMarketplaceReturnInput", {
  fields: (t) => ({
    subOrderId: t.id({ required: true }),
    items: t.field({ type: [MarketplaceReturnItemInput], required: true }),
    reason: t.string({ required: true }),
  }),
});
const ShipBackMarketplaceReturnInput = builder.inputType("ShipBackMarketplaceReturnInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    carrier: t.string({ required: true }),
    trackingNumber: t.string({ required: true }),
  }),
});
const ReceiveMarketplaceReturnInput = builder.inputType("ReceiveMarketplaceReturnInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    restock: t.boolean({ description: "Put the items back on hand (default true)." }),
  }),
});

builder.mutationFields((t) => ({
  confirmMySubOrder: t.field({
    type: SubOrder,
    description:
      "The calling vendor confirms its sub-order (pending -> confirmed; its order must be paid). Emits sub_order.confirmed.",
    authScopes: { vendor: true },
    args: { input: t.arg({ type: VendorSubOrderActionInput, required: true }) },
    errors: mutationResult("ConfirmMySubOrder", "subOrder"),
    resolve: (_root, { input }, ctx) => moveSubOrder(deps(ctx), ownVendor(ctx), { id: input.id, status: "confirmed" }),
  }),
  shipMySubOrder: t.field({
    type: SubOrder,
    description:
      "confirmed -> shipped with carrier and tracking number; its lines count as fulfilled. Emits sub_order.shipped.",
    authScopes: { vendor: true },
    args: { input: t.arg({ type: ShipSubOrderInput, required: true }) },
    errors: mutationResult("ShipMySubOrder", "subOrder"),
    resolve: (_root, { input }, ctx) => moveSubOrder(deps(ctx), ownVendor(ctx), { ...input, status: "shipped" }),
  }),
  deliverMySubOrder: t.field({
    type: SubOrder,
    description:
      "shipped -> delivered: the sale is credited to the vendor's ledger (after the hold period), the commission debited. Emits sub_order.delivered.",
    authScopes: { vendor: true },
    args: { input: t.arg({ type: VendorSubOrderActionInput, required: true }) },
    errors: mutationResult("DeliverMySubOrder", "subOrder"),
    resolve: (_root, { input }, ctx) => moveSubOrder(deps(ctx), ownVendor(ctx), { id: input.id, status: "delivered" }),
  }),
  cancelMySubOrder: t.field({
    type: SubOrder,
    description:
      "pending | confirmed -> cancelled: its stock is released and its part of the payment refunded. Emits sub_order.cancelled.",
    authScopes: { vendor: true },
    args: { input: t.arg({ type: VendorSubOrderActionInput, required: true }) },
    errors: mutationResult("CancelMySubOrder", "subOrder"),
    resolve: (_root, { input }, ctx) => moveSubOrder(deps(ctx), ownVendor(ctx), { ...input, status: "cancelled" }),
  }),
  updateSubOrderStatus: t.field({
    type: SubOrder,
    description: "marketplace:admin: one move of the sub-order table, with the same effects as the vendor's own moves.",
    authScopes: admin,
    args: { input: t.arg({ type: UpdateSubOrderStatusInput, required: true }) },
    errors: mutationResult("UpdateSubOrderStatus", "subOrder"),
    resolve: (_root, { input }, ctx) => moveSubOrder(deps(ctx), null, input),
  }),
  createCommissionRule: t.field({
    type: CommissionRule,
    description: "marketplace:admin. One rule per (vendor, category) scope (409 otherwise).",
    authScopes: admin,
    args: { input: t.arg({ type: CreateCommissionRuleInput, required: true }) },
    errors: mutationResult("CreateCommissionRule", "commissionRule"),
    resolve: (_root, { input }, ctx) => createCommissionRule(ctx.scope, input),
  }),
  updateCommissionRule: t.field({
    type: CommissionRule,
    authScopes: admin,
    args: { input: t.arg({ type: UpdateCommissionRuleInput, required: true }) },
    errors: mutationResult("UpdateCommissionRule", "commissionRule"),
    resolve: (_root, { input }, ctx) => updateCommissionRule(ctx.scope, input),
  }),
  deleteCommissionRule: t.field({
    type: CommissionRule,
    authScopes: admin,
    args: { input: t.arg({ type: DeleteCommissionRuleInput, required: true }) },
    errors: mutationResult("DeleteCommissionRule", "commissionRule"),
    resolve: (_root, { input }, ctx) => deleteCommissionRule(ctx.scope, input),
  }),
  runPayouts: t.field({
    type: [Payout],
    description:
      "marketplace:admin: pays every vendor's payable balance once (a second or racing run pays nothing twice). Emits payout.*.",
    authScopes: admin,
    errors: mutationResult("RunPayouts", "payouts"),
    resolve: (_root, _args, ctx) => runPayouts(deps(ctx)),
  }),
  retryPayout: t.field({
    type: Payout,
    description: "marketplace:admin: sends a failed payout again (same idempotency key at the provider).",
    authScopes: admin,
    args: { input: t.arg({ type: RetryPayoutInput, required: true }) },
    errors: mutationResult("RetryPayout", "payout"),
    resolve: (_root, { input }, ctx) => retryPayout(deps(ctx), input),
  }),
  openDispute: t.field({
    type: Dispute,
    description:
      "A buyer (its own order) or a merchant (orders:update) opens a dispute on a sub-order. Emits dispute.opened.",
    authScopes: buyerOrMerchant,
    args: { input: t.arg({ type: OpenDisputeInput, required: true }) },
    errors: mutationResult("OpenDispute", "dispute"),
    resolve: (_root, { input }, ctx) => openDispute(ctx.scope, input),
  }),
  respondToDispute: t.field({
    type: Dispute,
    description: "The vendor answers its dispute: open -> responded. Emits dispute.responded.",
    authScopes: { vendor: true },
    args: { input: t.arg({ type: RespondToDisputeInput, required: true }) },
    errors: mutationResult("RespondToDispute", "dispute"),
    resolve: (_root, { input }, ctx) => respondToDispute(ctx.scope, ownVendor(ctx), input),
  }),
  escalateDispute: t.field({
    type: Dispute,
    description: "The buyer or merchant escalates: open | responded -> escalated. Emits dispute.escalated.",
    authScopes: buyerOrMerchant,
    args: { input: t.arg({ type: EscalateDisputeInput, required: true }) },
    errors: mutationResult("EscalateDispute", "dispute"),
    resolve: (_root, { input }, ctx) => escalateDispute(ctx.scope, null, input),
  }),
  resolveDispute: t.field({
    type: Dispute,
    description:
      "marketplace:admin decides: -> resolved, refunding the buyer refundAmount and debiting the vendor's ledger. Emits dispute.resolved.",
    authScopes: admin,
    args: { input: t.arg({ type: ResolveDisputeInput, required: true }) },
    errors: mutationResult("ResolveDispute", "dispute"),
    resolve: (_root, { input }, ctx) => resolveDispute(deps(ctx), input),
  }),
  requestMarketplaceReturn: t.field({
    type: MarketplaceReturn,
    description:
      "A buyer (its own order) or a merchant returns delivered units of a sub-order; approved at once (RMA number). Emits return.requested, return.approved.",
    authScopes: buyerOrMerchant,
    args: { input: t.arg({ type: RequestMarketplaceReturnInput, required: true }) },
    errors: mutationResult("RequestMarketplaceReturn", "return"),
    resolve: (_root, { input }, ctx) => requestMarketplaceReturn(ctx.scope, input),
  }),
  shipBackMarketplaceReturn: t.field({
    type: MarketplaceReturn,
    description: "The buyer says how the items travel back (carrier, tracking number).",
    authScopes: buyerOrMerchant,
    args: { input: t.arg({ type: ShipBackMarketplaceReturnInput, required: true }) },
    errors: mutationResult("ShipBackMarketplaceReturn", "return"),
    resolve: (_root, { input }, ctx) => shipBackMarketplaceReturn(ctx.scope, input),
  }),
  receiveMarketplaceReturn: t.field({
    type: MarketplaceReturn,
    description:
      "The vendor (or admin) received the items: approved -> received, then refunded to the buyer and debited from the vendor's ledger.",
    authScopes: { vendor: true, ...admin },
    args: { input: t.arg({ type: ReceiveMarketplaceReturnInput, required: true }) },
    errors: mutationResult("ReceiveMarketplaceReturn", "return"),
    resolve: (_root, { input }, ctx) => receiveMarketplaceReturn(deps(ctx), vendorRestriction(ctx), input),
  }),
}));

// ---- subscription ------------------------------------------------------------------------------

builder.subscriptionField("vendorOrderEvents", (t) =>
  t.field({
    type: VendorOrderEvent,
    description:
      "The calling vendor's own sub-order, payout, dispute and account-status events (a vendor key or vendor staff), for its live dashboard.",
    authScopes: { vendor: true },
    subscribe: (_root, _args, ctx) => {
      const vendorId = ownVendor(ctx);
      return pipe(
        ctx.pubsub.subscribe(`marketplaceEvents:${ctx.storeId}`),
        filter((event: MarketplaceOrderEvent) => event.vendorId === vendorId),
      );
    },
    resolve: (event) => event,
  }),
);

import { DISPUTE_STATUSES } from "../../../domain/marketplace/disputes.js";
import { SUB_ORDER_STATUSES } from "../../../domain/marketplace/sub-order-lifecycle.js";
import { mutationOperation, type RouteSpec } from "../../route.js";
import { route } from "./route.js";

// Seed 002's @porulle/plugin-marketplace, part B: sub-orders (the vendor's own under /vendor/me/orders,
// every vendor's for the admin), commission rules, balances, payouts, disputes and sub-order returns.
// A vendor (vendor key or vendor staff) reaches only its own rows: another vendor's are 404.

const tag = "Marketplace: orders and payouts";
const ADMIN = "marketplace:admin";

export const marketplaceOrderFragments: Record<string, string> = {
  SubOrderFields: /* GraphQL */ `
    fragment SubOrderFields on SubOrder {
      id orderId number vendorId status currency subtotal shippingShare taxShare commission vendorNet
      carrier trackingNumber cancelReason
      lines { id entityId variantId sku title quantity unitPrice subtotal discount total fulfilledQuantity cancelledQuantity commission }
      confirmedAt shippedAt deliveredAt cancelledAt createdAt
    }`,
  CommissionRuleFields: /* GraphQL */ `
    fragment CommissionRuleFields on CommissionRule { id vendorId categoryId percentage fixedAmount createdAt updatedAt }`,
  VendorBalanceFields: /* GraphQL */ `
    fragment VendorBalanceFields on VendorBalance { vendorId currency balance payable pending }`,
  PayoutFields: /* GraphQL */ `
    fragment PayoutFields on Payout { id vendorId amount currency status provider providerRef failureReason attempts paidAt createdAt }`,
  DisputeFields: /* GraphQL */ `
    fragment DisputeFields on Dispute {
      id subOrderId vendorId openedByType reason status vendorResponse resolution refundAmount refundId
      respondedAt escalatedAt resolvedAt createdAt
    }`,
  MarketplaceReturnFields: /* GraphQL */ `
    fragment MarketplaceReturnFields on MarketplaceReturn {
      id orderId subOrderId status reason rmaNumber shipBackCarrier shipBackTrackingNumber shippedBackAt restocked
      lines { id lineId quantity }
      refunds { id amount status }
      createdAt receivedAt refundedAt
    }`,
};

const subOrderQuery = {
  status: { type: "string", enum: SUB_ORDER_STATUSES, description: "Only sub-orders in this status." },
  orderId: { type: "string", description: "Only the sub-orders of this order.", format: "uuid" },
} as const;

const vendorMoves: {
  action: "confirm" | "ship" | "deliver" | "cancel";
  field: string;
  input: string;
  description: string;
  example?: unknown;
}[] = [
  {
    action: "confirm",
    field: "confirmMySubOrder",
    input: "VendorSubOrderActionInput",
    description:
      "pending -> confirmed; its order must be paid (409 with guard order_unpaid otherwise). Emits sub_order.confirmed.",
  },
  {
    action: "ship",
    field: "shipMySubOrder",
    input: "ShipSubOrderInput",
    description:
      "confirmed -> shipped; body { carrier, trackingNumber } (both required, 422). Its lines count as fulfilled and their " +
      "reserved stock is consumed; the order becomes partially_fulfilled. Emits sub_order.shipped.",
    example: { carrier: "UPS", trackingNumber: "1Z999AA10123456784" },
  },
  {
    action: "deliver",
    field: "deliverMySubOrder",
    input: "VendorSubOrderActionInput",
    description:
      "shipped -> delivered: the vendor's ledger is credited subtotal + shipping share (payable after the hold period) and " +
      "debited the commission. When every sub-order is delivered the order becomes fulfilled. Emits sub_order.delivered.",
  },
  {
    action: "cancel",
    field: "cancelMySubOrder",
    input: "VendorSubOrderActionInput",
    description:
      "pending | confirmed -> cancelled; body { reason? }. Its reserved stock is released and its part of the payment " +
      "(subtotal + shipping and tax shares) refunded through the refund service. Every sub-order cancelled cancels the order. " +
      "Emits sub_order.cancelled.",
    example: { reason: "Out of stock" },
  },
];

export const marketplaceOrderRoutes: RouteSpec[] = [
  // ---- the vendor's own sub-orders ----
  route({
    method: "GET",
    path: "/marketplace/vendor/me/orders",
    summary: "Own sub-orders",
    tag,
    permission: "vendor",
    description: "The calling vendor's sub-orders (vendor key or vendor staff), newest first.",
    paginated: true,
    query: subOrderQuery,
    operation: `query ($first: Int, $after: String, $filter: SubOrderFilter) {
      vendorMeSubOrders(first: $first, after: $after, filter: $filter) { totalCount edges { node { ...SubOrderFields } } }
    }`,
    variables: ({ query }) => ({ filter: { status: query.status, orderId: query.orderId } }),
    result: ["vendorMeSubOrders"],
  }),
  ...vendorMoves.map(({ action, field, input, description, example }) =>
    route({
      method: "POST",
      path: `/marketplace/vendor/me/orders/:id/${action}`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} own sub-order`,
      tag,
      permission: "vendor",
      description: `${description} Another vendor's sub-order is 404; a move the table does not allow is 409 with allowedStatuses.`,
      operation: mutationOperation({ field, inputType: input, dataField: "subOrder", selection: "...SubOrderFields" }),
      body: { variable: "input", pathFields: { id: "id" }, ...(example ? { example } : {}) },
      result: [field, "subOrder"],
      notFound: "SubOrder",
    }),
  ),
  route({
    method: "GET",
    path: "/marketplace/vendor/me/payouts",
    summary: "Own payout history",
    tag,
    permission: "vendor",
    description: "The calling vendor's payouts, newest first.",
    paginated: true,
    operation: `query ($first: Int, $after: String) { payouts(first: $first, after: $after) { totalCount edges { node { ...PayoutFields } } } }`,
    result: ["payouts"],
  }),
  route({
    method: "GET",
    path: "/marketplace/vendor/me/balance",
    summary: "Own balance",
    tag,
    permission: "vendor",
    description:
      "Per currency: balance (every ledger entry summed), payable (what the next payout run takes), pending (credits still held).",
    operation: `query { vendorMeBalance { ...VendorBalanceFields } }`,
    result: ["vendorMeBalance"],
  }),

  // ---- admin: sub-orders ----
  route({
    method: "GET",
    path: "/marketplace/sub-orders",
    summary: "List sub-orders",
    tag,
    permission: ADMIN,
    description: "Every vendor's sub-orders, newest first.",
    paginated: true,
    query: { ...subOrderQuery, vendorId: { type: "string", description: "Only this vendor's.", format: "uuid" } },
    operation: `query ($first: Int, $after: String, $filter: SubOrderFilter) {
      subOrders(first: $first, after: $after, filter: $filter) { totalCount edges { node { ...SubOrderFields } } }
    }`,
    variables: ({ query }) => ({ filter: { status: query.status, orderId: query.orderId, vendorId: query.vendorId } }),
    result: ["subOrders"],
  }),
  route({
    method: "GET",
    path: "/marketplace/sub-orders/:id",
    summary: "Sub-order detail",
    tag,
    permission: ADMIN,
    description: "The admin any sub-order; a vendor its own (404 for another's).",
    operation: `query ($id: ID!) { subOrder(id: $id) { ...SubOrderFields } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["subOrder"],
    notFound: "SubOrder",
  }),
  route({
    method: "PATCH",
    path: "/marketplace/sub-orders/:id/status",
    summary: "Move a sub-order",
    tag,
    permission: ADMIN,
    description:
      "Body { status, carrier?, trackingNumber?, reason? }: one move of pending -> confirmed -> shipped -> delivered, " +
      "pending | confirmed -> cancelled, with the same effects as the vendor's own moves. 409 with allowedStatuses otherwise.",
    operation: mutationOperation({
      field: "updateSubOrderStatus",
      inputType: "UpdateSubOrderStatusInput",
      dataField: "subOrder",
      selection: "...SubOrderFields",
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { status: "confirmed" } },
    result: ["updateSubOrderStatus", "subOrder"],
    notFound: "SubOrder",
  }),

  // ---- commission rules ----
  route({
    method: "GET",
    path: "/marketplace/commission-rules",
    summary: "List commission rules",
    tag,
    permission: ADMIN,
    description:
      "Oldest first. The most specific rule for a line wins: vendor + category > vendor > category > default.",
    paginated: true,
    query: {
      vendorId: { type: "string", description: "Only this vendor's rules.", format: "uuid" },
      categoryId: { type: "string", description: "Only this category's rules.", format: "uuid" },
    },
    operation: `query ($first: Int, $after: String, $vendorId: ID, $categoryId: ID) {
      commissionRules(first: $first, after: $after, vendorId: $vendorId, categoryId: $categoryId) { totalCount edges { node { ...CommissionRuleFields } } }
    }`,
    variables: ({ query }) => ({ vendorId: query.vendorId, categoryId: query.categoryId }),
    result: ["commissionRules"],
  }),
  route({
    method: "POST",
    path: "/marketplace/commission-rules",
    summary: "Create a commission rule",
    tag,
    permission: ADMIN,
    description:
      "Body { vendorId?, categoryId?, percentage?, fixedAmount? }: a percentage (0..100, two decimals) and/or a fixed amount " +
      "per line (minor units). Per line the percentage is rounded half up to a minor unit, the fixed part added, the sum capped " +
      "at the line total. One rule per (vendor, category) scope: 409 for a second. Applies to orders placed afterwards.",
    operation: mutationOperation({
      field: "createCommissionRule",
      inputType: "CreateCommissionRuleInput",
      dataField: "commissionRule",
      selection: "...CommissionRuleFields",
    }),
    body: { variable: "input", example: { percentage: 12.5, fixedAmount: 30 } },
    result: ["createCommissionRule", "commissionRule"],
    status: 201,
  }),
  route({
    method: "PATCH",
    path: "/marketplace/commission-rules/:id",
    summary: "Update a commission rule",
    tag,
    permission: ADMIN,
    description: "Body { percentage?, fixedAmount? }. Sub-orders already placed keep the commission they snapshotted.",
    operation: mutationOperation({
      field: "updateCommissionRule",
      inputType: "UpdateCommissionRuleInput",
      dataField: "commissionRule",
      selection: "...CommissionRuleFields",
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { percentage: 10 } },
    result: ["updateCommissionRule", "commissionRule"],
    notFound: "CommissionRule",
  }),
  route({
    method: "DELETE",
    path: "/marketplace/commission-rules/:id",
    summary: "Delete a commission rule",
    tag,
    permission: ADMIN,
    operation: mutationOperation({
      field: "deleteCommissionRule",
      inputType: "DeleteCommissionRuleInput",
      dataField: "commissionRule",
      selection: "...CommissionRuleFields",
    }),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: ["deleteCommissionRule", "commissionRule"],
    notFound: "CommissionRule",
  }),

  // ---- balances, performance ----
  route({
    method: "GET",
    path: "/marketplace/vendors/:id/balance",
    summary: "Vendor balance",
    tag,
    permission: ADMIN,
    description:
      "Per currency, from the append-only ledger (sale credit on delivery, commission, refund, dispute and payout debits): " +
      "balance, payable and pending (credits within the hold period). A vendor sees only its own (another's is empty).",
    operation: `query ($id: ID!) { vendorBalance(vendorId: $id) { ...VendorBalanceFields } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["vendorBalance"],
  }),
  route({
    method: "GET",
    path: "/marketplace/vendors/:id/performance",
    summary: "Vendor performance",
    tag,
    permission: ADMIN,
    description:
      "Rating (visible reviews), fulfilment rate (delivered of delivered or cancelled), on-time shipping (shipped within " +
      "48 hours), cancellation and dispute rates. The admin any vendor; a vendor its own.",
    operation: `query ($id: ID!) { vendorPerformance(vendorId: $id) {
      vendorId rating reviewCount subOrders delivered cancelled fulfilmentRate onTimeShippingRate cancellationRate disputes disputeRate
    } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["vendorPerformance"],
    notFound: "Vendor",
  }),

  // ---- payouts ----
  route({
    method: "GET",
    path: "/marketplace/payouts",
    summary: "List payouts",
    tag,
    permission: ADMIN,
    description: "Newest first; a vendor sees only its own.",
    paginated: true,
    query: {
      vendorId: { type: "string", description: "Only this vendor's.", format: "uuid" },
      status: { type: "string", enum: ["pending", "paid", "failed"], description: "Only payouts in this status." },
    },
    operation: `query ($first: Int, $after: String, $vendorId: ID, $status: String) {
      payouts(first: $first, after: $after, vendorId: $vendorId, status: $status) { totalCount edges { node { ...PayoutFields } } }
    }`,
    variables: ({ query }) => ({ vendorId: query.vendorId, status: query.status }),
    result: ["payouts"],
  }),
  route({
    method: "POST",
    path: "/marketplace/payouts/run",
    summary: "Run payouts",
    tag,
    permission: ADMIN,
    description:
      "Pays every vendor's payable balance once, through the payout provider (Stripe Connect transfers when configured, " +
      "manual otherwise): the payout and its ledger debit commit together under a per-store lock, so a second run, even a " +
      "racing one, pays nothing twice. Answers the payouts this run made. Emits payout.created, payout.paid | payout.failed.",
    operation: `mutation { runPayouts { ...ErrorFields ... on RunPayoutsPayload { payouts { ...PayoutFields } } } }`,
    result: ["runPayouts", "payouts"],
  }),
  route({
    method: "POST",
    path: "/marketplace/payouts/:id/retry",
    summary: "Retry a failed payout",
    tag,
    permission: ADMIN,
    description: "failed -> pending -> paid | failed, under the same provider idempotency key. 409 unless failed.",
    operation: mutationOperation({
      field: "retryPayout",
      inputType: "RetryPayoutInput",
      dataField: "payout",
      selection: "...PayoutFields",
    }),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: ["retryPayout", "payout"],
    notFound: "Payout",
  }),

  // ---- disputes ----
  route({
    method: "POST",
    path: "/marketplace/disputes",
    summary: "Open a dispute",
    tag,
    permission: "orders:update",
    description:
      "Body { subOrderId, reason }: a buyer (customer session, its own order) or a merchant. One unresolved dispute per " +
      "sub-order (409). Emits dispute.opened.",
    operation: mutationOperation({
      field: "openDispute",
      inputType: "OpenDisputeInput",
      dataField: "dispute",
      selection: "...DisputeFields",
    }),
    body: { variable: "input", example: { subOrderId: "<sub-order id>", reason: "The parcel arrived damaged" } },
    result: ["openDispute", "dispute"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/marketplace/disputes",
    summary: "List disputes",
    tag,
    permission: ADMIN,
    description:
      "Newest first: the admin (and merchants with orders:read) all, a vendor its own, a customer those on its orders.",
    paginated: true,
    query: {
      status: { type: "string", enum: DISPUTE_STATUSES, description: "Only disputes in this status." },
      subOrderId: { type: "string", description: "Only this sub-order's.", format: "uuid" },
    },
    operation: `query ($first: Int, $after: String, $status: DisputeStatus, $subOrderId: ID) {
      disputes(first: $first, after: $after, status: $status, subOrderId: $subOrderId) { totalCount edges { node { ...DisputeFields } } }
    }`,
    variables: ({ query }) => ({ status: query.status, subOrderId: query.subOrderId }),
    result: ["disputes"],
  }),
  route({
    method: "POST",
    path: "/marketplace/disputes/:id/respond",
    summary: "Respond to a dispute (vendor)",
    tag,
    permission: "vendor",
    description: "Body { response }: open -> responded. Another vendor's dispute is 404. Emits dispute.responded.",
    operation: mutationOperation({
      field: "respondToDispute",
      inputType: "RespondToDisputeInput",
      dataField: "dispute",
      selection: "...DisputeFields",
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { response: "We will send a replacement." } },
    result: ["respondToDispute", "dispute"],
    notFound: "Dispute",
  }),
  route({
    method: "POST",
    path: "/marketplace/disputes/:id/escalate",
    summary: "Escalate a dispute",
    tag,
    permission: "orders:update",
    description: "open | responded -> escalated (the buyer, a merchant or the admin). Emits dispute.escalated.",
    operation: mutationOperation({
      field: "escalateDispute",
      inputType: "EscalateDisputeInput",
      dataField: "dispute",
      selection: "...DisputeFields",
    }),
    body: { variable: "input", pathFields: { id: "id" } },
    result: ["escalateDispute", "dispute"],
    notFound: "Dispute",
  }),
  route({
    method: "POST",
    path: "/marketplace/disputes/:id/resolve",
    summary: "Resolve a dispute",
    tag,
    permission: ADMIN,
    description:
      "Body { resolution, refundAmount? }: -> resolved. A refundAmount (at most the sub-order's part of the payment) is " +
      "refunded to the buyer and debited from the vendor's ledger in the refund's transaction. Emits dispute.resolved.",
    operation: mutationOperation({
      field: "resolveDispute",
      inputType: "ResolveDisputeInput",
      dataField: "dispute",
      selection: "...DisputeFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "id" },
      example: { resolution: "Partial refund for the damage", refundAmount: 500 },
    },
    result: ["resolveDispute", "dispute"],
    notFound: "Dispute",
  }),

  // ---- returns ----
  route({
    method: "POST",
    path: "/marketplace/returns",
    summary: "Return items of a sub-order",
    tag,
    permission: "orders:update",
    description:
      "Body { subOrderId, items: [{ lineId, quantity }], reason }: a buyer (its own order) or a merchant, for units of a " +
      "delivered sub-order. Approved at once (rmaNumber). Emits return.requested and return.approved.",
    operation: mutationOperation({
      field: "requestMarketplaceReturn",
      inputType: "RequestMarketplaceReturnInput",
      dataField: "return",
      selection: "...MarketplaceReturnFields",
    }),
    body: {
      variable: "input",
      example: {
        subOrderId: "<sub-order id>",
        items: [{ lineId: "00000000-0000-4000-8000-000000000003", quantity: 1 }],
        reason: "Too small",
      },
    },
    result: ["requestMarketplaceReturn", "return"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/marketplace/returns/:id/ship-back",
    summary: "Ship a return back",
    tag,
    permission: "orders:update",
    description: "Body { carrier, trackingNumber }: how the items travel back to the vendor (an approved return).",
    operation: mutationOperation({
      field: "shipBackMarketplaceReturn",
      inputType: "ShipBackMarketplaceReturnInput",
      dataField: "return",
      selection: "...MarketplaceReturnFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "id" },
      example: { carrier: "DHL", trackingNumber: "JD014600006281230704" },
    },
    result: ["shipBackMarketplaceReturn", "return"],
    notFound: "Return",
  }),
  route({
    method: "POST",
    path: "/marketplace/returns/:id/receive",
    summary: "Receive a return (vendor)",
    tag,
    permission: "vendor",
    description:
      "Body { restock? }: approved -> received (restocked unless false), then the units' value is refunded to the buyer and " +
      "debited from the vendor's ledger; the return becomes refunded when the refund settles. Another vendor's is 404.",
    operation: mutationOperation({
      field: "receiveMarketplaceReturn",
      inputType: "ReceiveMarketplaceReturnInput",
      dataField: "return",
      selection: "...MarketplaceReturnFields",
    }),
    body: { variable: "input", pathFields: { id: "id" } },
    result: ["receiveMarketplaceReturn", "return"],
    notFound: "Return",
  }),
];

import type {
  ExchangeFieldsFragment,
  FulfillmentFieldsFragment,
  OrderFieldsFragment,
  PaymentFieldsFragment,
  RefundFieldsFragment,
  ReturnFieldsFragment,
} from "../../generated/storefront-v1.js";
import { describes, mutationOperation, type OpenApiSchema } from "../../route.js";
import { toDialectKeys } from "./naming.js";
import { storefrontRoute } from "./route.js";
import { orderFilterFor, STOREFRONT_ORDER_STATUSES, storefrontOrderStatus } from "./status.js";

const tag = "Orders + fulfillment";

// Aliases give most fields their seed 001 names in the operation itself; presentOrder only regroups.
export const orderFragments: Record<string, string> = {
  OrderFields: /* GraphQL */ `
    fragment OrderFields on Order {
      id number status payment_status: paymentStatus fulfillment_status: fulfillmentStatus currency email
      customer_id: customerId created_at: createdAt updated_at: updatedAt
      store { slug }
      totals { subtotal shipping tax discount total }
      shippingAddress billingAddress
      items: lines {
        id product_id: entityId variant_id: variantId sku name: title quantity unit_price: unitPrice subtotal discount total
        fulfilled_quantity: fulfilledQuantity cancelled_quantity: cancelledQuantity returned_quantity: returnedQuantity
      }
      payments { ...PaymentFields }
      fulfillments { ...FulfillmentFields }
      refunds { ...RefundFields }
      returns { ...ReturnFields }
      exchanges { ...ExchangeFields }
    }`,
  PaymentFields: /* GraphQL */ `
    fragment PaymentFields on Payment {
      id provider intent_id: providerRef status amount captured_amount: capturedAmount refunded_amount: refundedAmount
      currency reference captured_at: capturedAt exchange_id: exchangeId created_at: createdAt
    }`,
  FulfillmentFields: /* GraphQL */ `
    fragment FulfillmentFields on Fulfillment {
      id order_id: orderId status carrier tracking_number: trackingNumber exchange_id: exchangeId created_at: createdAt
      items { line_item_id: lineId quantity variant_id: variantId }
    }`,
  RefundFields: /* GraphQL */ `
    fragment RefundFields on Refund {
      id order_id: orderId payment_id: paymentId return_id: returnId amount reason status created_at: createdAt settled_at: settledAt
    }`,
  ReturnFields: /* GraphQL */ `
    fragment ReturnFields on Return {
      id order_id: orderId status reason rma_number: rmaNumber restocked warehouse_id: warehouseId rejection_reason: rejectionReason
      items: lines { id line_item_id: lineId quantity }
      created_at: createdAt approved_at: approvedAt received_at: receivedAt rejected_at: rejectedAt refunded_at: refundedAt
    }`,
  ExchangeFields: /* GraphQL */ `
    fragment ExchangeFields on Exchange {
      id order_id: orderId status reason rma_number: rmaNumber price_difference: priceDifference restocked warehouse_id: warehouseId
      rejection_reason: rejectionReason
      items: lines { id line_item_id: lineId quantity new_variant_id: newVariantId new_sku: newSku new_unit_price: newUnitPrice }
      fulfillments { id carrier tracking_number: trackingNumber created_at: createdAt }
      created_at: createdAt approved_at: approvedAt received_at: receivedAt rejected_at: rejectedAt
    }`,
};

/** What OrderFields selects, as codegen types it. */
export type OrderNode = OrderFieldsFragment;

/** An order in seed 001's shape and field order: site_slug, its status vocabulary, buyer, one `payment`. */
export function presentOrder(order: OrderNode) {
  const returned = order.returns.some((r) => r.status === "received" || r.status === "refunded");
  const { shippingAddress: shipping, billingAddress: billing } = order;
  return {
    id: order.id,
    number: order.number,
    site_slug: order.store.slug,
    status: storefrontOrderStatus(order.status, returned),
    fulfillment_status: order.fulfillment_status,
    payment_status: order.payment_status,
    buyer: {
      email: order.email,
      name: (shipping?.name ?? billing?.name ?? null) as string | null,
      customer_id: order.customer_id,
    },
    shipping_address: shipping && toDialectKeys(shipping),
    billing_address: billing && toDialectKeys(billing),
    items: order.items,
    totals: order.totals,
    currency: order.currency,
    // The order's own payment (the first); an exchange's price difference may add more, all in `payments`.
    payment: order.payments[0] ?? null,
    payments: order.payments,
    fulfillments: order.fulfillments,
    refunds: order.refunds,
    returns: order.returns,
    exchanges: order.exchanges,
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
}

// The helpers keep their schema's literal type, so `describes` checks the constants built with them.
const id = { type: "string", format: "uuid" } as const;
const time = { type: "string", format: "date-time" } as const;
const maybe = <const S extends OpenApiSchema>(schema: S) => ({ ...schema, nullable: true as const });
const int = { type: "integer" } as const;
const str = { type: "string" } as const;
const object = <const P extends Record<string, OpenApiSchema>>(properties: P) => ({
  type: "object" as const,
  properties,
});
const list = <const S extends OpenApiSchema>(items: S) => ({ type: "array" as const, items });

const ADDRESS = object({
  name: maybe(str),
  line1: str,
  line2: maybe(str),
  city: str,
  state: maybe(str),
  postal_code: maybe(str),
  country: str,
  phone: maybe(str),
});
export const PAYMENT_SCHEMA = describes<PaymentFieldsFragment>()(
  object({
    id,
    provider: { type: "string", enum: ["manual", "stripe"] },
    intent_id: { ...maybe(str), description: "Stripe's PaymentIntent id." },
    status: {
      type: "string",
      enum: ["pending", "authorized", "captured", "partially_refunded", "refunded", "voided", "failed"],
    },
    amount: int,
    captured_amount: int,
    refunded_amount: int,
    currency: str,
    reference: maybe(str),
    captured_at: maybe(time),
    exchange_id: maybe(id),
    created_at: time,
  }),
);
export const FULFILLMENT_SCHEMA = describes<FulfillmentFieldsFragment>()(
  object({
    id,
    order_id: id,
    status: str,
    carrier: maybe(str),
    tracking_number: maybe(str),
    exchange_id: maybe(id),
    created_at: time,
    items: list(
      object({
        line_item_id: id,
        quantity: int,
        variant_id: { ...maybe(id), description: "An exchange's replacement." },
      }),
    ),
  }),
);
export const REFUND_SCHEMA = describes<RefundFieldsFragment>()(
  object({
    id,
    order_id: id,
    payment_id: id,
    return_id: maybe(id),
    amount: int,
    reason: maybe(str),
    status: { type: "string", enum: ["pending", "succeeded", "failed"] },
    created_at: time,
    settled_at: maybe(time),
  }),
);
const RMA_TIMES = { created_at: time, approved_at: maybe(time), received_at: maybe(time), rejected_at: maybe(time) };
export const RETURN_SCHEMA = describes<ReturnFieldsFragment>()(
  object({
    id,
    order_id: id,
    status: { type: "string", enum: ["requested", "approved", "received", "refunded", "rejected"] },
    reason: str,
    rma_number: { ...maybe(str), description: "Issued at approval." },
    restocked: maybe({ type: "boolean" }),
    warehouse_id: maybe(id),
    rejection_reason: maybe(str),
    items: list(object({ id, line_item_id: id, quantity: int })),
    ...RMA_TIMES,
    refunded_at: maybe(time),
  }),
);
export const EXCHANGE_SCHEMA = describes<ExchangeFieldsFragment>()(
  object({
    id,
    order_id: id,
    status: { type: "string", enum: ["requested", "approved", "received", "rejected"] },
    reason: str,
    rma_number: maybe(str),
    price_difference: {
      ...int,
      description: "Replacements minus what was paid: positive is charged, negative refunded.",
    },
    restocked: maybe({ type: "boolean" }),
    warehouse_id: maybe(id),
    rejection_reason: maybe(str),
    items: list(
      object({ id, line_item_id: id, quantity: int, new_variant_id: id, new_sku: maybe(str), new_unit_price: int }),
    ),
    fulfillments: list(object({ id, carrier: maybe(str), tracking_number: maybe(str), created_at: time })),
    ...RMA_TIMES,
  }),
);
export const ORDER_SCHEMA = describes<ReturnType<typeof presentOrder>>()(
  object({
    id,
    number: { type: "string", description: "ORD-YYYY-NNNNNN." },
    site_slug: { type: "string", description: "The store's slug." },
    status: { type: "string", enum: [...STOREFRONT_ORDER_STATUSES] },
    payment_status: { type: "string", enum: ["unpaid", "paid", "partially_refunded", "refunded"] },
    fulfillment_status: { type: "string", enum: ["unfulfilled", "partially_fulfilled", "fulfilled"] },
    currency: str,
    buyer: object({ email: maybe(str), name: maybe(str), customer_id: maybe(id) }),
    shipping_address: maybe(ADDRESS),
    billing_address: maybe(ADDRESS),
    items: list(
      object({
        id,
        product_id: id,
        variant_id: maybe(id),
        sku: maybe(str),
        name: str,
        quantity: int,
        unit_price: int,
        subtotal: int,
        discount: int,
        total: int,
        fulfilled_quantity: int,
        cancelled_quantity: int,
        returned_quantity: int,
      }),
    ),
    totals: object({ subtotal: int, shipping: int, tax: int, discount: int, total: int }),
    payment: maybe(PAYMENT_SCHEMA),
    payments: list(PAYMENT_SCHEMA),
    fulfillments: list(FULFILLMENT_SCHEMA),
    refunds: list(REFUND_SCHEMA),
    returns: list(RETURN_SCHEMA),
    exchanges: list(EXCHANGE_SCHEMA),
    created_at: time,
    updated_at: time,
  }),
);

const idempotency =
  "Send an `Idempotency-Key`: the same key and body replay the first answer; the same key with another body is 409 `idempotency_conflict`.";

/** An RMA action (approve, receive, reject) on a return or an exchange. */
function rmaAction(
  kind: "return" | "exchange",
  verb: "approve" | "receive" | "reject",
  summary: string,
  description: string,
  body?: unknown,
) {
  const Kind = kind === "return" ? "Return" : "Exchange";
  const field = `${verb}${Kind}`;
  const param = `${kind}Id`;
  const inputType =
    verb === "approve" ? `${Kind}ActionInput` : `${verb === "receive" ? "Receive" : "Reject"}${Kind}Input`;
  return storefrontRoute({
    method: "POST",
    path: `/merchant/orders/:id/${kind}s/:${param}/${verb}`,
    summary,
    tag,
    scope: "write:orders",
    description,
    operation: mutationOperation({ field, inputType, dataField: kind, selection: `...${Kind}Fields` }),
    ...(body
      ? { body: { variable: "input", pathFields: { id: "orderId", [param]: param }, example: body } }
      : { variables: ({ params }) => ({ input: { orderId: params.id, [param]: params[param] } }) }),
    result: [field, kind],
    responseSchema: () => (kind === "return" ? RETURN_SCHEMA : EXCHANGE_SCHEMA),
  });
}

export const orderRoutes = [
  storefrontRoute({
    method: "GET",
    path: "/merchant/orders",
    summary: "List orders",
    tag,
    scope: "read:orders",
    description:
      "Newest first. `status` is seed 001's vocabulary (see the dialect's status table in the API description). " +
      "`site_slug` names the store (your key's own; another store's is 403); a platform-wide key may name any.",
    paginated: true,
    query: {
      status: {
        type: "string",
        enum: STOREFRONT_ORDER_STATUSES,
        description: "pending | fulfilled | cancelled | refunded | returned",
      },
      customer_id: { type: "string", description: "Only this customer's orders." },
      site_slug: { type: "string", description: "The store (its slug)." },
      created_after: {
        type: "string",
        description: "ISO-8601; orders created at or after it.",
        example: "2026-01-01T00:00:00Z",
      },
      created_before: { type: "string", description: "ISO-8601; orders created before it." },
    },
    operation: `query ($first: Int, $after: String, $filter: OrderFilter) {
      orders(first: $first, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { ...OrderFields } } }
    }`,
    variables: ({ query }) => ({
      filter: {
        ...(query.status !== undefined ? orderFilterFor(query.status) : {}),
        customerId: query.customer_id,
        createdAfter: query.created_after,
        createdBefore: query.created_before,
      },
    }),
    result: ["orders"],
    present: presentOrder,
    responseSchema: () => ORDER_SCHEMA,
  }),
  storefrontRoute({
    method: "GET",
    path: "/merchant/orders/:id",
    summary: "Get one order",
    tag,
    scope: "read:orders",
    description:
      "Buyer, addresses, items (their ids are the `line_item_id`s of fulfill, returns and exchanges), totals, payment, fulfillments, refunds, returns, exchanges.",
    operation: `query ($id: ID!) { order(id: $id) { ...OrderFields } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["order"],
    notFound: "Order",
    present: presentOrder,
    responseSchema: () => ORDER_SCHEMA,
  }),
  storefrontRoute({
    method: "POST",
    path: "/merchant/orders/:id/capture",
    summary: "Mark a manual payment paid",
    tag,
    scope: "write:orders",
    description:
      "Ours (seed 001 has no such route): cash on delivery, bank transfer or invoice received. `amount` defaults to the " +
      "whole payment; `reference` is yours (a transfer id). A pending order is confirmed by it. Stripe payments move only " +
      "through Stripe's webhooks (409).",
    operation: mutationOperation({
      field: "capturePayment",
      inputType: "CapturePaymentInput",
      dataField: "payment",
      selection: "...PaymentFields",
    }),
    body: { variable: "input", pathFields: { id: "orderId" }, example: { reference: "bank transfer 2026-0142" } },
    result: ["capturePayment", "payment"],
    responseSchema: () => PAYMENT_SCHEMA,
  }),
  storefrontRoute({
    method: "POST",
    path: "/merchant/orders/:id/fulfill",
    summary: "Record a shipment",
    tag,
    scope: "write:orders",
    description:
      "Partial fulfillment is supported: ship some line items now, others later (`items` defaults to everything not yet " +
      "shipped; more than a line has left is 400). The order reads `fulfilled` when every item has shipped. Fulfilling a " +
      `cancelled order is 422 \`operation_refused\`; one not yet paid or confirmed is 409 \`invalid_state\`. ${idempotency}`,
    operation: `mutation ($input: CreateFulfillmentInput!, $idempotencyKey: String) {
      createFulfillment(input: $input, idempotencyKey: $idempotencyKey) {
        ...ErrorFields ... on CreateFulfillmentPayload { fulfillment { ...FulfillmentFields } }
      }
    }`,
    body: {
      variable: "input",
      pathFields: { id: "orderId" },
      example: {
        carrier: "USPS",
        tracking_number: "9400111202555582846137",
        items: [{ line_item_id: "00000000-0000-4000-8000-000000000003", quantity: 1 }],
      },
    },
    idempotent: true,
    result: ["createFulfillment", "fulfillment"],
    status: 201,
    responseSchema: () => FULFILLMENT_SCHEMA,
  }),
  storefrontRoute({
    method: "POST",
    path: "/merchant/orders/:id/refund",
    summary: "Refund",
    tag,
    scope: "write:orders",
    description:
      "Omit `amount` for a full refund (everything captured and not yet refunded, or a received return's value with " +
      "`return_id`). Never more than was captured. Manual payments settle at once; Stripe refunds are `pending` until " +
      `Stripe's webhook lands, and the order moves to \`refunded\` when the captured amount is fully refunded. ${idempotency}`,
    operation: `mutation ($input: RefundOrderInput!, $idempotencyKey: String) {
      refundOrder(input: $input, idempotencyKey: $idempotencyKey) { ...ErrorFields ... on RefundOrderPayload { refund { ...RefundFields } } }
    }`,
    body: { variable: "input", pathFields: { id: "orderId" }, example: { amount: 5076, reason: "Buyer request" } },
    idempotent: true,
    result: ["refundOrder", "refund"],
    status: 201,
    responseSchema: () => REFUND_SCHEMA,
  }),
  storefrontRoute({
    method: "POST",
    path: "/merchant/orders/:id/returns",
    summary: "Request a return",
    tag,
    scope: "write:orders",
    description:
      "Items (`line_item_id`, `quantity`) and a reason; never more per line than shipped minus already returned.",
    operation: mutationOperation({
      field: "requestReturn",
      inputType: "RequestReturnInput",
      dataField: "return",
      selection: "...ReturnFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "orderId" },
      example: { items: [{ line_item_id: "00000000-0000-4000-8000-000000000003", quantity: 1 }], reason: "Too small" },
    },
    result: ["requestReturn", "return"],
    status: 201,
    responseSchema: () => RETURN_SCHEMA,
  }),
  rmaAction("return", "approve", "Approve a return", "requested -> approved; issues the RMA number."),
  rmaAction(
    "return",
    "receive",
    "Receive a return",
    "approved -> received: the items are back, restocked unless `restock` is false (into `warehouse_id`, default: where " +
      "they shipped from). Then refund it: POST .../refund with `return_id`; it reads `refunded` once that refund settles.",
    { restock: true },
  ),
  rmaAction("return", "reject", "Reject a return", "requested | approved -> rejected.", {
    reason: "Outside the return window",
  }),
  storefrontRoute({
    method: "POST",
    path: "/merchant/orders/:id/exchanges",
    summary: "Request an exchange",
    tag,
    scope: "write:orders",
    description: "Like a return, with a replacement variant (`new_variant_id`) per item; priced now.",
    operation: mutationOperation({
      field: "requestExchange",
      inputType: "RequestExchangeInput",
      dataField: "exchange",
      selection: "...ExchangeFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "orderId" },
      example: {
        items: [
          {
            line_item_id: "00000000-0000-4000-8000-000000000003",
            quantity: 1,
            new_variant_id: "00000000-0000-4000-8000-000000000002",
          },
        ],
        reason: "Wrong color",
      },
    },
    result: ["requestExchange", "exchange"],
    status: 201,
    responseSchema: () => EXCHANGE_SCHEMA,
  }),
  rmaAction(
    "exchange",
    "approve",
    "Approve an exchange",
    "requested -> approved: issues the RMA number and reserves the replacements (409 when out of stock).",
  ),
  rmaAction(
    "exchange",
    "receive",
    "Receive an exchange and ship the replacements",
    "approved -> received: the items are back (restocked unless `restock` is false), the replacements ship as a new " +
      "fulfillment (`carrier`, `tracking_number`), and the price difference is refunded or charged (a new payment).",
    { restock: true, carrier: "USPS", tracking_number: "9400111202555582846138" },
  ),
  rmaAction(
    "exchange",
    "reject",
    "Reject an exchange",
    "requested | approved -> rejected; reserved replacements are released.",
    { reason: "Out of stock" },
  ),
];

import { ORDER_STATUSES } from "../../../domain/orders/lifecycle.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Orders";

export const orderFragments: Record<string, string> = {
  OrderFields: /* GraphQL */ `
    fragment OrderFields on Order {
      id number status paymentStatus fulfillmentStatus currency email customerId cartId clientReference
      totals { subtotal discount tax shipping total }
      promotionCodes shippingAddress billingAddress metadata createdAt updatedAt
      lines { id entityId variantId sku title quantity unitPrice subtotal discount total fulfilledQuantity cancelledQuantity returnedQuantity }
      payments { ...PaymentFields }
    }`,
  PaymentFields: /* GraphQL */ `
    fragment PaymentFields on Payment {
      id provider providerRef status amount capturedAmount refundedAmount refundableAmount currency reference capturedAt
      exchangeId createdAt
    }`,
  FulfillmentFields: /* GraphQL */ `
    fragment FulfillmentFields on Fulfillment {
      id orderId status carrier trackingNumber items { lineId quantity } exchangeId createdAt
    }`,
  RefundFields: /* GraphQL */ `
    fragment RefundFields on Refund {
      id paymentId orderId returnId amount reason status providerRef settledAt createdAt
    }`,
};

export const orderRoutes = [
  route({
    method: "GET",
    path: "/orders",
    summary: "List orders",
    tag,
    permission: "orders:read",
    description: "Newest first.",
    paginated: true,
    query: { status: { type: "string", enum: ORDER_STATUSES, description: "Filter by status." } },
    operation: `query ($first: Int, $after: String, $filter: OrderFilter) {
      orders(first: $first, after: $after, filter: $filter) { totalCount edges { node { ...OrderFields } } }
    }`,
    variables: ({ query }) => ({ filter: { status: query.status } }),
    result: ["orders"],
  }),
  route({
    method: "GET",
    path: "/orders/:idOrNumber",
    summary: "Get order by UUID or order number (ORD-YYYY-NNNNNN)",
    tag,
    permission: "orders:read",
    description:
      "The order with its status history, fulfillments, refunds, returns and exchanges. `paymentStatus` (unpaid, paid, " +
      "partially_refunded, refunded) follows the captured payments and settled refunds; `fulfillmentStatus` (unfulfilled, " +
      "partially_fulfilled, fulfilled) the lines.",
    operation: `query ($key: ID!) {
      order(id: $key) {
        ...OrderFields statusHistory { fromStatus toStatus reason actor createdAt }
        fulfillments { ...FulfillmentFields } refunds { ...RefundFields } returns { ...ReturnFields } exchanges { ...ExchangeFields }
      }
    }`,
    variables: ({ params }) => ({ key: params.idOrNumber }),
    result: ["order"],
    notFound: "Order",
  }),
  route({
    method: "PATCH",
    path: "/orders/:id/status",
    summary: "Change order status",
    tag,
    permission: "orders:update",
    description:
      "Valid transitions: pending -> confirmed -> processing -> partially_fulfilled | fulfilled -> refunded; cancelled " +
      "from pending, confirmed, processing, partially_fulfilled. Anything else is 409 CONFLICT with details.currentStatus, " +
      "details.requestedStatus and details.allowedStatuses. The facts come first: partially_fulfilled and fulfilled come " +
      "only from POST /orders/:id/fulfillments, refunded only from settled refunds (POST /orders/:id/refunds); asking for " +
      "them here is 409 with details.guard `fulfillments_only` / `refunds_only`. Confirming an order whose payment failed is " +
      "409 `payment_failed`, cancelling one with open returns or exchanges 409 `open_returns`. Cancelling releases the " +
      "unshipped stock and refunds what was captured for it (all of it when nothing shipped).",
    operation: mutationOperation({
      field: "updateOrderStatus",
      inputType: "UpdateOrderStatusInput",
      dataField: "order",
      selection: "...OrderFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "id" },
      example: { status: "confirmed", reason: "optional reason string" },
    },
    result: ["updateOrderStatus", "order"],
  }),
  route({
    method: "POST",
    path: "/orders/:id/refunds",
    summary: "Refund an order's payment",
    tag,
    permission: "orders:update",
    description:
      "Our extension (seed 002 has none). Body {amount?, reason?, returnId?}: minor units, the whole refundable remainder " +
      "(or, with returnId, the received return's value) when omitted; never more than was captured, even concurrently " +
      "(more is 422). 201 with the refund: `succeeded` at once for manual payments, `pending` for Stripe until its " +
      "charge.refunded webhook; settling emits order.refunded (and return.refunded). The order moves to refunded once the " +
      "captured amount is fully refunded and settled. An order without a captured payment is 409 with the payment's " +
      "allowed moves. Send an Idempotency-Key header to make retries safe.",
    operation: `mutation ($input: RefundOrderInput!, $idempotencyKey: String) {
      refundOrder(input: $input, idempotencyKey: $idempotencyKey) {
        ...ErrorFields ... on RefundOrderPayload { refund { ...RefundFields } }
      }
    }`,
    body: { variable: "input", pathFields: { id: "orderId" }, example: { amount: 5076, reason: "Buyer request" } },
    variables: ({ headers }) => ({ idempotencyKey: headers.get("idempotency-key") }),
    result: ["refundOrder", "refund"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/orders/:id/fulfillments",
    summary: "List fulfillments for an order",
    tag,
    permission: "orders:read",
    operation: `query ($key: ID!) { order(id: $key) { fulfillments { ...FulfillmentFields } } }`,
    variables: ({ params }) => ({ key: params.id }),
    result: ["order", "fulfillments"],
    notFound: "Order",
  }),
  route({
    method: "POST",
    path: "/orders/:id/fulfillments",
    summary: "Create a fulfillment (ship some or all remaining items)",
    tag,
    permission: "orders:update",
    description:
      "For orders in processing or partially_fulfilled. `items` ([{ lineId, quantity }]) defaults to everything not yet " +
      "fulfilled; more than a line has left (ordered minus fulfilled minus cancelled) is 422. The shipped units' stock is " +
      "consumed; the order moves to partially_fulfilled, or to fulfilled once every line is. Emits fulfillment.create, and " +
      "order.fulfilled when the order is complete. Send an Idempotency-Key header to make retries safe.",
    operation: `mutation ($input: CreateFulfillmentInput!, $idempotencyKey: String) {
      createFulfillment(input: $input, idempotencyKey: $idempotencyKey) {
        ...ErrorFields ... on CreateFulfillmentPayload { fulfillment { ...FulfillmentFields } }
      }
    }`,
    variables: ({ headers }) => ({ idempotencyKey: headers.get("idempotency-key") }),
    body: {
      variable: "input",
      pathFields: { id: "orderId" },
      example: {
        items: [{ lineId: "00000000-0000-4000-8000-000000000003", quantity: 1 }],
        carrier: "DHL",
        trackingNumber: "00340434161234567890",
      },
    },
    result: ["createFulfillment", "fulfillment"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/orders/:id/payment/capture",
    summary: "Mark the order's manual payment paid (capture)",
    tag,
    permission: "orders:update",
    description:
      "Our extension. For the manual provider (cash on delivery, bank transfer, invoice): the order's oldest pending or " +
      "authorized payment (or `paymentId`) becomes captured, for `amount` (minor units, at most the payment's; all of it " +
      "when omitted), with an optional `reference`. A pending order is confirmed. Capturing a payment that is not pending " +
      "or authorized is 409 with details.allowedStatuses; Stripe payments move only through their verified webhooks (409, " +
      "details.guard `provider_webhooks_only`). " +
      "Emits payment.captured.",
    operation: mutationOperation({
      field: "capturePayment",
      inputType: "CapturePaymentInput",
      dataField: "payment",
      selection: "...PaymentFields order { id number status paymentStatus }",
    }),
    body: {
      variable: "input",
      pathFields: { id: "orderId" },
      example: { amount: 5076, reference: "BANK-TRANSFER-4711" },
    },
    result: ["capturePayment", "payment"],
  }),
];

import { ORDER_STATUSES } from "../../../domain/orders/lifecycle.js";
import { mutationOperation, route } from "../../route.js";

const tag = "Orders";

export const orderFragments: Record<string, string> = {
  OrderFields: /* GraphQL */ `
    fragment OrderFields on Order {
      id number status currency email customerId cartId
      totals { subtotal discount tax shipping total }
      promotionCodes shippingAddress billingAddress metadata createdAt updatedAt
      lines { id entityId variantId sku title quantity unitPrice subtotal discount total fulfilledQuantity }
      payments { id provider providerRef status amount refundedAmount currency createdAt }
    }`,
  FulfillmentFields: /* GraphQL */ `
    fragment FulfillmentFields on Fulfillment {
      id orderId status carrier trackingNumber items { lineId quantity } createdAt
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
    operation: `query ($key: ID!) { order(id: $key) { ...OrderFields statusHistory { fromStatus toStatus reason actor createdAt } } }`,
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
      "from pending, confirmed, processing, partially_fulfilled (cancelling releases reserved stock). Anything else is " +
      "409 CONFLICT with details.currentStatus and details.requestedStatus.",
    operation: mutationOperation({ field: "updateOrderStatus", inputType: "UpdateOrderStatusInput", dataField: "order", selection: "...OrderFields" }),
    body: { variable: "input", pathFields: { id: "id" }, example: { status: "confirmed", reason: "optional reason string" } },
    result: ["updateOrderStatus", "order"],
  }),
  route({
    method: "POST",
    path: "/orders/:id/refunds",
    summary: "Refund an order's payment",
    tag,
    permission: "orders:update",
    description:
      "Our extension (seed 002 has none). Body {amount?, reason?}: minor units, the whole refundable remainder when " +
      "omitted; more than remains is 422. 201 with the refund: `succeeded` at once for manual payments, `pending` for " +
      "Stripe until its charge.refunded webhook. A fully refunded order moves to refunded when its status allows. Send " +
      "an Idempotency-Key header to make retries safe.",
    operation: `mutation ($input: RefundOrderInput!, $idempotencyKey: String) {
      refundOrder(input: $input, idempotencyKey: $idempotencyKey) {
        ...ErrorFields ... on RefundOrderPayload { refund { id paymentId amount reason status providerRef createdAt } }
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
      "fulfilled; more than a line has left is 422. The order moves to partially_fulfilled, or to fulfilled (shipping its " +
      "reserved stock) once every line is; emits fulfillment.create.",
    operation: mutationOperation({ field: "createFulfillment", inputType: "CreateFulfillmentInput", dataField: "fulfillment", selection: "...FulfillmentFields" }),
    body: { variable: "input", pathFields: { id: "orderId" }, example: { carrier: "DHL", trackingNumber: "00340434161234567890" } },
    result: ["createFulfillment", "fulfillment"],
    status: 201,
  }),
];

import { ORDER_STATUSES } from "../../../domain/orders/lifecycle.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Me";
const SESSION_NOTE = "Needs a customer session (cookie or `Authorization: Bearer <token>`); 401 without one.";

export const meFragments: Record<string, string> = {
  ProfileFields: /* GraphQL */ `
    fragment ProfileFields on Customer {
      id email name phone emailVerified metadata createdAt updatedAt groups { id name slug }
    }`,
  AddressFields: /* GraphQL */ `
    fragment AddressFields on CustomerAddress {
      id label firstName lastName company line1 line2 city region postalCode country phone
      isDefaultShipping isDefaultBilling createdAt updatedAt
    }`,
};

export const meRoutes = [
  route({
    method: "GET",
    path: "/me/profile",
    summary: "Get current customer profile",
    tag,
    description: SESSION_NOTE,
    operation: `query { me { ...ProfileFields } }`,
    result: ["me"],
  }),
  route({
    method: "PATCH",
    path: "/me/profile",
    summary: "Update current customer profile",
    tag,
    description: `${SESSION_NOTE} Name and phone (null clears it); the email cannot be changed here, and metadata is the merchant's.`,
    operation: mutationOperation({
      field: "updateMyProfile",
      inputType: "UpdateMyProfileInput",
      dataField: "customer",
      selection: "...ProfileFields",
    }),
    body: { variable: "input", example: { name: "Jane Doe", phone: "+49 30 1234567" } },
    result: ["updateMyProfile", "customer"],
  }),
  route({
    method: "GET",
    path: "/me/addresses",
    summary: "List customer addresses",
    tag,
    description: SESSION_NOTE,
    operation: `query { me { addresses { ...AddressFields } } }`,
    result: ["me", "addresses"],
  }),
  route({
    method: "POST",
    path: "/me/addresses",
    summary: "Add a new address",
    tag,
    description: `${SESSION_NOTE} The first address becomes the default shipping and billing address; marking another default unmarks the previous one.`,
    operation: mutationOperation({
      field: "addMyAddress",
      inputType: "AddMyAddressInput",
      dataField: "address",
      selection: "...AddressFields",
    }),
    body: {
      variable: "input",
      example: {
        firstName: "Jane",
        lastName: "Doe",
        line1: "Main St 1",
        city: "Berlin",
        postalCode: "10115",
        country: "DE",
      },
    },
    result: ["addMyAddress", "address"],
    status: 201,
  }),
  route({
    method: "DELETE",
    path: "/me/addresses/:id",
    summary: "Delete an address",
    tag,
    description: `${SESSION_NOTE} Answers with the deleted address; another customer's address is a 404.`,
    operation: mutationOperation({
      field: "deleteMyAddress",
      inputType: "IdInput",
      dataField: "address",
      selection: "...AddressFields",
    }),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: ["deleteMyAddress", "address"],
  }),
  route({
    method: "GET",
    path: "/me/orders",
    summary: "List orders for the current customer",
    tag,
    description: `${SESSION_NOTE} Newest first.`,
    paginated: true,
    query: { status: { type: "string", enum: ORDER_STATUSES, description: "Filter by order status." } },
    operation: `query ($first: Int, $after: String, $status: OrderStatus) {
      me { orders(first: $first, after: $after, status: $status) { totalCount edges { node { ...OrderFields } } } }
    }`,
    variables: ({ query }) => ({ status: query.status }),
    result: ["me", "orders"],
  }),
  route({
    method: "GET",
    path: "/me/orders/:idOrNumber",
    summary: "Get a specific order by UUID or order number",
    tag,
    description: `${SESSION_NOTE} Another customer's order is a 404.`,
    operation: `query ($key: String!) {
      me { order(idOrNumber: $key) { ...OrderFields statusHistory { fromStatus toStatus reason createdAt } } }
    }`,
    variables: ({ params }) => ({ key: params.idOrNumber }),
    result: ["me", "order"],
    notFound: "Order",
  }),
  route({
    method: "GET",
    path: "/me/orders/:idOrNumber/tracking",
    summary: "Get fulfillment tracking for an order",
    tag,
    description: `${SESSION_NOTE} \`{ orderId, number, status, fulfillments: [{ id, status, carrier, trackingNumber, items, createdAt }] }\`.`,
    operation: `query ($key: String!) {
      me { order(idOrNumber: $key) { id number status fulfillments { ...FulfillmentFields } } }
    }`,
    variables: ({ params }) => ({ key: params.idOrNumber }),
    result: ["me", "order"],
    notFound: "Order",
    respond: (order) => ({
      data: { orderId: order.id, number: order.number, status: order.status, fulfillments: order.fulfillments },
    }),
    responseSchema: (order) => ({
      type: "object",
      properties: {
        data: {
          type: "object",
          properties: {
            orderId: order.properties.id,
            number: order.properties.number,
            status: order.properties.status,
            fulfillments: order.properties.fulfillments,
          },
        },
      },
    }),
  }),
  route({
    method: "GET",
    path: "/me/orders/:orderId/downloads",
    summary: "Get download links for digital items",
    tag,
    description:
      `${SESSION_NOTE} One entry per file attached (role \`download\`) to an item the order bought: ` +
      "{ lineId, entityId, title, mediaAssetId, fileName, contentType, byteSize, url, expiresAt }. `url` is signed and " +
      "expires (MEDIA_SIGNED_URL_TTL_SECONDS); it needs no credentials while valid. Empty until the order is paid " +
      "(confirmed or later) and after a refund or cancellation. The order may be named by id or number.",
    operation: `query ($key: String!) {
      me { order(idOrNumber: $key) { downloads { lineId entityId title mediaAssetId fileName contentType byteSize url expiresAt } } }
    }`,
    variables: ({ params }) => ({ key: params.orderId }),
    result: ["me", "order", "downloads"],
    notFound: "Order",
  }),
  route({
    method: "POST",
    path: "/me/orders/:orderId/reorder",
    summary: "Create a new cart pre-filled from a previous order",
    tag,
    description:
      `${SESSION_NOTE} The new cart (201) holds the order's lines at today's prices; lines that can no longer be ` +
      "bought are left out and listed in `meta.skipped` ({ lineId, entityId, variantId, reason }).",
    operation: mutationOperation({
      field: "reorder",
      inputType: "IdInput",
      dataField: "reorder",
      selection: "cart { ...CartFields } skipped { lineId entityId variantId reason }",
    }),
    variables: ({ params }) => ({ input: { id: params.orderId } }),
    result: ["reorder", "reorder"],
    status: 201,
    respond: (payload) => ({
      data: payload.cart,
      meta: { skipped: payload.skipped },
    }),
    responseSchema: (payload) => ({
      type: "object",
      properties: {
        data: payload.properties.cart,
        meta: { type: "object", properties: { skipped: payload.properties.skipped } },
      },
    }),
  }),
];

import { describes } from "../../route.js";
import { presentCart, presentCoupon } from "./present.js";
import { PROJECT, type ProjectsRoute, projectsRoute } from "./route.js";

export const cartFragments: Record<string, string> = {
  ProjectCartFields: /* GraphQL */ `
    fragment ProjectCartFields on ClientCart {
      id currency
      cart {
        status promotionCodes createdAt updatedAt
        items { id entityId variantId sku title quantity unitPrice subtotal discount total }
        totals { subtotal discount tax shipping total }
      }
    }`,
};

const amount = { type: "number", description: "Major units (29.99)." } as const;
const CART_SCHEMA = describes<ReturnType<typeof presentCart>>()({
  type: "object",
  properties: {
    cart: {
      type: "object",
      properties: {
        id: { type: "string", description: "Your cart id." },
        status: { type: "string", enum: ["active", "checked_out"] },
        currency: { type: "string" },
        items: {
          type: "array",
          items: {
            type: "object",
            properties: {
              id: { type: "string", description: "The item id for PATCH / DELETE." },
              product_id: { type: "string" },
              variant_id: { type: "string", nullable: true },
              sku: { type: "string", nullable: true },
              name: { type: "string" },
              quantity: { type: "integer" },
              unit_price: amount,
              subtotal: amount,
              discount: amount,
              total: amount,
            },
          },
        },
        item_count: { type: "integer" },
        coupon_codes: { type: "array", items: { type: "string" } },
        subtotal: amount,
        discount_total: amount,
        tax_total: amount,
        shipping_total: amount,
        grand_total: amount,
        created_at: { type: "integer", nullable: true, description: "Epoch ms; null until the first item." },
        updated_at: { type: "integer", nullable: true },
      },
    },
  },
});

const cartMutation = (field: string, inputType: string) => `mutation ($input: ${inputType}!) {
  ${field}(input: $input) { ...ErrorFields ... on ${field[0]!.toUpperCase()}${field.slice(1)}Payload { clientCart { ...ProjectCartFields } } }
}`;

const CART_ID =
  "`cartId` is yours: 8-128 URL-safe characters (a UUID kept in localStorage). It names a cart of this project only; " +
  "a checked-out cart keeps its id, so adding to it is 409: start a new id after checkout.";

const cartRoute = (spec: Omit<ProjectsRoute, "tag">) =>
  projectsRoute({ ...spec, tag: "Cart", present: presentCart, responseSchema: () => CART_SCHEMA });

export const cartRoutes = [
  cartRoute({
    method: "GET",
    path: `${PROJECT}/cart/:cartId`,
    summary: "Retrieve a cart's contents (or an empty cart if it does not exist yet).",
    description: `${CART_ID} Totals (discount, tax, shipping) are computed by the server.`,
    operation: `query ($id: String!) { clientCart(id: $id) { ...ProjectCartFields } }`,
    variables: ({ params }) => ({ id: params.cartId }),
    result: ["clientCart"],
  }),
  cartRoute({
    method: "POST",
    path: `${PROJECT}/cart/:cartId/items`,
    summary: "Add or increment an item in a cart (creates the cart if it does not exist).",
    description: `${CART_ID} \`variantId\` is required when the product has variants. Answers the whole cart.`,
    operation: cartMutation("addClientCartItem", "AddClientCartItemInput"),
    body: {
      variable: "input",
      pathFields: { cartId: "cartId" },
      example: { productId: "uuid", quantity: 1, variantId: "uuid-or-omit" },
    },
    result: ["addClientCartItem", "clientCart"],
  }),
  cartRoute({
    method: "PATCH",
    path: `${PROJECT}/cart/:cartId/items/:itemId`,
    summary: "Update item quantity.",
    operation: cartMutation("updateClientCartItem", "UpdateClientCartItemInput"),
    body: { variable: "input", pathFields: { cartId: "cartId", itemId: "itemId" }, example: { quantity: 2 } },
    result: ["updateClientCartItem", "clientCart"],
  }),
  cartRoute({
    method: "DELETE",
    path: `${PROJECT}/cart/:cartId/items/:itemId`,
    summary: "Remove item from cart.",
    operation: cartMutation("removeClientCartItem", "RemoveClientCartItemInput"),
    variables: ({ params }) => ({ input: { cartId: params.cartId, itemId: params.itemId } }),
    result: ["removeClientCartItem", "clientCart"],
  }),
  cartRoute({
    method: "DELETE",
    path: `${PROJECT}/cart/:cartId`,
    summary: "Clear the entire cart.",
    description: "Removes every item and coupon; a cart that does not exist yet answers empty.",
    operation: cartMutation("clearClientCart", "ClearClientCartInput"),
    variables: ({ params }) => ({ input: { cartId: params.cartId } }),
    result: ["clearClientCart", "clientCart"],
  }),
  projectsRoute({
    method: "POST",
    path: `${PROJECT}/coupons/validate`,
    summary: "Validate a coupon code.",
    tag: "Coupons",
    description:
      "Whether `code` applies to the cart `cartId` as it is now, and what it takes off (`discount`, major units). Nothing is " +
      "applied: send the code as `couponCode` at checkout. An unknown or inapplicable code is `valid: false` with a `reason` " +
      "(NOT_FOUND, EXPIRED, MIN_SUBTOTAL_NOT_MET, ...), never an error.",
    operation: `query ($input: ClientCartCouponInput!) {
      validateClientCartCoupon(input: $input) {
        currency validation { valid code reason discount freeShipping promotion { name type value currency } }
      }
    }`,
    body: { variable: "input", example: { code: "SAVE10", cartId: "your-cart-id" } },
    result: ["validateClientCartCoupon"],
    present: presentCoupon,
    responseSchema: () =>
      describes<ReturnType<typeof presentCoupon>>()({
        type: "object",
        properties: {
          valid: { type: "boolean" },
          code: { type: "string" },
          reason: { type: "string", nullable: true },
          discount: amount,
          free_shipping: { type: "boolean" },
          currency: { type: "string" },
          name: { type: "string", description: "When valid." },
          type: {
            type: "string",
            description:
              "When valid: percentage_off_order, fixed_amount_off_order, percentage_off_item, free_shipping.",
          },
          value: { type: "number", description: "When valid: a percentage, or an amount in major units." },
        },
      }),
  }),
];

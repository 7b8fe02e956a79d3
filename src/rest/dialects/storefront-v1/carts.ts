import { describes, mutationOperation } from "../../route.js";
import { ORDER_SCHEMA, type OrderNode, presentOrder } from "./orders.js";
import { storefrontRoute } from "./route.js";

const tag = "Cart + checkout";

/** The order checkout created; its `payment` is the one to complete (Stripe: with its client_secret). */
function presentCheckout({
  order,
  payment,
}: {
  order: OrderNode;
  payment: { id: string; provider: string; status: string; clientSecret: string | null };
}) {
  const shaped = presentOrder(order);
  return {
    ...shaped,
    payment: {
      ...shaped.payment,
      id: payment.id,
      provider: payment.provider,
      status: payment.status,
      client_secret: payment.clientSecret,
    },
  };
}

export const cartFragments: Record<string, string> = {
  CartFields: /* GraphQL */ `
    fragment CartFields on Cart {
      id currency email status coupons: promotionCodes created_at: createdAt updated_at: updatedAt
      line_items: items {
        id product_id: entityId variant_id: variantId sku name: title quantity
        unit_price: unitPrice subtotal discount total
      }
      totals { subtotal discount tax shipping total }
    }`,
};

const cartMutation = (field: string, inputType: string) =>
  mutationOperation({ field, inputType, dataField: "cart", selection: "...CartFields" });

const guests =
  "No bearer: a guest cart's id is the shopper's capability. Amounts are minor units of the cart's currency, " +
  "computed by the server.";

export const cartRoutes = [
  storefrontRoute({
    method: "POST",
    path: "/stores/:slug/carts",
    summary: "Create a cart",
    tag,
    description: `${guests} \`currency\` is required (the store's is in GET /stores/{slug}).`,
    operation: cartMutation("createCart", "CreateCartInput"),
    body: { variable: "input", example: { currency: "USD", email: "buyer@example.com" } },
    result: ["createCart", "cart"],
    status: 201,
  }),
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug/carts/:id",
    summary: "Get a cart",
    tag,
    description: guests,
    operation: `query ($id: ID!) { cart(id: $id) { ...CartFields } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["cart"],
    notFound: "Cart",
  }),
  storefrontRoute({
    method: "POST",
    path: "/stores/:slug/carts/:id/line_items",
    summary: "Add a line item",
    tag,
    description:
      "The unit price comes from the store's pricing. Adding a product (variant) already in the cart raises its quantity. " +
      "Answers 201 with the whole cart.",
    operation: cartMutation("addCartItem", "AddCartItemInput"),
    body: {
      variable: "input",
      pathFields: { id: "cartId" },
      example: {
        product_id: "00000000-0000-4000-8000-000000000001",
        variant_id: "00000000-0000-4000-8000-000000000002",
        quantity: 1,
      },
    },
    result: ["addCartItem", "cart"],
    status: 201,
  }),
  storefrontRoute({
    method: "PATCH",
    path: "/stores/:slug/carts/:id/line_items/:itemId",
    summary: "Change a line item's quantity",
    tag,
    operation: cartMutation("updateCartItem", "UpdateCartItemInput"),
    body: { variable: "input", pathFields: { id: "cartId", itemId: "itemId" }, example: { quantity: 2 } },
    result: ["updateCartItem", "cart"],
  }),
  storefrontRoute({
    method: "DELETE",
    path: "/stores/:slug/carts/:id/line_items/:itemId",
    summary: "Remove a line item",
    tag,
    operation: cartMutation("removeCartItem", "RemoveCartItemInput"),
    variables: ({ params }) => ({ input: { cartId: params.id, itemId: params.itemId } }),
    result: ["removeCartItem", "cart"],
  }),
  storefrontRoute({
    method: "POST",
    path: "/stores/:slug/carts/:id/coupons",
    summary: "Apply a coupon",
    tag,
    description: "400 validation_failed on `code`, with the reason as its code, when the coupon does not apply now.",
    operation: cartMutation("applyCartPromotion", "CartPromotionInput"),
    body: { variable: "input", pathFields: { id: "cartId" }, example: { code: "SAVE10" } },
    result: ["applyCartPromotion", "cart"],
  }),
  storefrontRoute({
    method: "DELETE",
    path: "/stores/:slug/carts/:id/coupons/:code",
    summary: "Remove a coupon",
    tag,
    operation: cartMutation("removeCartPromotion", "CartPromotionInput"),
    variables: ({ params }) => ({ input: { cartId: params.id, code: params.code } }),
    result: ["removeCartPromotion", "cart"],
  }),
  storefrontRoute({
    method: "POST",
    path: "/stores/:slug/carts/:id/checkout",
    summary: "Check out: create the order and start its payment",
    tag,
    description:
      "Prices, coupons, tax and shipping are computed by the server and stock is reserved. With Stripe the answer's " +
      "`payment.client_secret` confirms the PaymentIntent in the browser (or send `payment_method_id`); the order stays " +
      "pending until Stripe's webhook lands. With the manual provider the merchant captures the payment later. 422 " +
      "`checkout_failed` with `details.reason` (CART_EMPTY, INSUFFICIENT_STOCK, PROMOTION_INVALID, PAYMENT_FAILED, ...). Send an " +
      "`Idempotency-Key` to retry safely: the same key and body answer with the same order; the same key with another " +
      "body is 409 `idempotency_conflict`.",
    operation: `mutation ($input: CheckoutInput!, $idempotencyKey: String) {
      checkout(input: $input, idempotencyKey: $idempotencyKey) {
        ...ErrorFields
        ... on CheckoutPayload { checkout { order { ...OrderFields } payment { id provider status clientSecret } } }
      }
    }`,
    body: {
      variable: "input",
      pathFields: { id: "cartId" },
      example: {
        email: "buyer@example.com",
        shipping_address: {
          name: "A. Buyer",
          line1: "1 Main St",
          city: "Springfield",
          state: "IL",
          postal_code: "62701",
          country: "US",
        },
      },
    },
    idempotent: true,
    result: ["checkout", "checkout"],
    status: 201,
    present: presentCheckout,
    responseSchema: () =>
      describes<ReturnType<typeof presentCheckout>>()({
        ...ORDER_SCHEMA,
        properties: {
          ...ORDER_SCHEMA.properties,
          payment: {
            ...ORDER_SCHEMA.properties.payment,
            properties: {
              ...ORDER_SCHEMA.properties.payment.properties,
              client_secret: {
                type: "string",
                nullable: true,
                description: "Stripe: confirms the PaymentIntent in the browser.",
              },
            },
          },
        },
      }),
  }),
];

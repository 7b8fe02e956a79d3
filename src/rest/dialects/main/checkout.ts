import { route } from "./route.js";

export const checkoutRoutes = [
  route({
    method: "POST",
    path: "/checkout",
    summary: "Create an order from a cart",
    tag: "Checkout",
    description:
      "Returns the created order (201), with `payment` ({id, provider, status, clientSecret, url}) embedded (`url`: the hosted payment page when a `successUrl` asked for one). Prices, " +
      "promotions, tax and shipping are computed by the server; stock is reserved. Failure: 422 " +
      '`{ error: { code: "CHECKOUT_FAILED", message, details: { reason } } }` with reason one of CART_NOT_FOUND, ' +
      "CART_EMPTY, CART_ALREADY_CHECKED_OUT, ITEM_UNAVAILABLE, CURRENCY_MISMATCH, PRICE_UNAVAILABLE, PROMOTION_INVALID, " +
      "INSUFFICIENT_STOCK, PAYMENT_FAILED. Send an " +
      "`Idempotency-Key` header to make retries safe. Keys belong to the caller (API key, customer, or for guests the " +
      "cart): the same key and body return the same order (also after a crash: an unfinished attempt is taken over " +
      "after 30 s), a new key of the same caller for a cart that already became an order returns that order, a " +
      "concurrent duplicate gets 409, the same key with another body 422. Guests and customers check out their own " +
      "carts; API keys need `orders:create` (403 otherwise). customerGroupIds are honoured for merchant keys only. " +
      "`clientReference` (seed 004's client-generated reference, up to 255 characters) is kept on the order and, without an " +
      "Idempotency-Key header, is the idempotency key: a retry with the same reference and body answers the first order " +
      "and its payment (201), with the same rules as the header. `placedAt` (ISO 8601, merchant keys with `orders:update` " +
      "only, 403 otherwise) records an order placed earlier, imported from another system: it becomes the order's " +
      "`createdAt` (analytics count the order then) and gives it a number of that year (ORD-2019-...); a future instant or one " +
      "before 2000-01-01 is a 422 field error.",
    operation: `mutation ($input: CheckoutInput!, $idempotencyKey: String) {
      checkout(input: $input, idempotencyKey: $idempotencyKey) {
        ...ErrorFields
        ... on CheckoutPayload { checkout { order { ...OrderFields } payment { id provider status clientSecret url } } }
      }
    }`,
    body: {
      variable: "input",
      example: {
        cartId: "uuid",
        clientReference: "app-7f3c2a9e-0001",
        paymentMethodId: "pm_card_visa",
        currency: "USD",
        promotionCodes: ["SAVE10"],
        shippingAddress: { line1: "123 Main St", city: "Springfield", state: "IL", postalCode: "62701", country: "US" },
      },
    },
    variables: ({ headers }) => ({ idempotencyKey: headers.get("idempotency-key") }),
    result: ["checkout", "checkout"],
    respond: (payload) => ({
      data: { ...payload.order, payment: payload.payment },
    }),
    responseSchema: (payload) => ({
      type: "object",
      properties: {
        data: {
          ...payload.properties.order,
          properties: { ...payload.properties.order.properties, payment: payload.properties.payment },
        },
      },
      required: ["data"],
    }),
    status: 201,
  }),
];

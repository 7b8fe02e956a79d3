import { describes } from "../../route.js";
import { presentCheckout, presentOrder, presentOrderSummary } from "./present.js";
import { PROJECT, projectsRoute } from "./route.js";

export const orderFragments: Record<string, string> = {
  ProjectOrderSummaryFields: /* GraphQL */ `
    fragment ProjectOrderSummaryFields on OrderSummary { id number status paymentStatus currency totals { subtotal discount tax shipping total } createdAt }`,
};

const amount = { type: "number", description: "Major units (29.99)." } as const;
const ORDER_SUMMARY = describes<ReturnType<typeof presentOrderSummary>>()({
  type: "object",
  properties: {
    id: { type: "string" },
    order_number: { type: "string", example: "ORD-2026-000001" },
    status: {
      type: "string",
      description: "pending, confirmed, processing, partially_fulfilled, fulfilled, refunded, cancelled",
    },
    payment_status: { type: "string", description: "unpaid, paid, partially_refunded, refunded" },
    currency: { type: "string" },
    grand_total: amount,
    created_at: { type: "integer", description: "Epoch milliseconds." },
  },
});

const LOOKUP =
  "Anyone holding the project's key and a shopper's email sees that shopper's orders (numbers, statuses, totals, items; " +
  "never addresses or payment details). Lookups are limited per email and key (429 with Retry-After). An email with no " +
  "orders answers an empty list, and an order of another email is 404, as an unknown id.";

/** A browser page's own origin, where a hosted payment page returns the shopper when the body names no successUrl. */
const pageOrigin = (headers: Headers) => {
  const origin = headers.get("origin");
  return origin && /^https?:\/\/[^/]+$/.test(origin) ? `${origin}/` : null;
};

export const orderRoutes = [
  projectsRoute({
    method: "POST",
    path: `${PROJECT}/checkout`,
    summary: "Initialize checkout and create order. Returns payment session for Stripe.",
    tag: "Checkout",
    description:
      "Creates the order from the cart: prices, coupon, tax and shipping computed by the server, stock reserved. With the " +
      "store's provider `stripe`, `payment` is a Stripe Checkout Session: redirect the shopper to `payment.url` (`id` is " +
      "`cs_...`); its webhook (`checkout.session.completed`) marks the order paid. `successUrl`/`cancelUrl` default to the " +
      "page's origin; a request with neither (no browser) gets a PaymentIntent to confirm with `payment.client_secret`. " +
      'With `manual`, `payment` is `{ provider: "manual", status: "pending", url: null }`: the order waits for the ' +
      "merchant (cash on delivery, invoice). Failures: 422 `CHECKOUT_FAILED` with `details.reason` (CART_NOT_FOUND, " +
      "CART_EMPTY, CART_ALREADY_CHECKED_OUT, PROMOTION_INVALID, INSUFFICIENT_STOCK, PAYMENT_FAILED, ...); invalid fields " +
      "422 `VALIDATION_FAILED` with `details[].path` as sent (`shippingAddress.postal_code`).",
    operation: `mutation ($input: ClientCartCheckoutInput!, $returnUrl: String) {
      checkoutClientCart(input: $input, returnUrl: $returnUrl) {
        ...ErrorFields
        ... on CheckoutClientCartPayload { checkout {
          order { id number status paymentStatus currency totals { total } }
          payment { id provider providerRef status clientSecret url }
        } }
      }
    }`,
    body: {
      variable: "input",
      example: {
        cartId: "your-cart-id",
        email: "customer@example.com",
        shippingAddress: { line1: "123 Main St", city: "City", postal_code: "12345", country: "US" },
        billingAddress: { line1: "123 Main St", city: "City", postal_code: "12345", country: "US" },
        couponCode: "SAVE10",
        customerName: "John Doe",
        customerPhone: "+1234567890",
        successUrl: "https://yoursite.com/order/success",
        cancelUrl: "https://yoursite.com/cart",
      },
    },
    variables: ({ headers }) => ({ returnUrl: pageOrigin(headers) }),
    result: ["checkoutClientCart", "checkout"],
    status: 201,
    present: presentCheckout,
    responseSchema: () =>
      describes<ReturnType<typeof presentCheckout>>()({
        type: "object",
        properties: {
          success: { type: "boolean", enum: [true] },
          order: {
            type: "object",
            properties: {
              id: { type: "string" },
              order_number: { type: "string" },
              grand_total: amount,
              currency: { type: "string" },
              status: { type: "string" },
              payment_status: { type: "string" },
            },
          },
          payment: {
            type: "object",
            properties: {
              id: {
                type: "string",
                description: "The provider's id: cs_... (Stripe Checkout Session), pi_..., manual_...",
              },
              provider: { type: "string", enum: ["stripe", "manual"] },
              status: { type: "string" },
              url: { type: "string", nullable: true, description: "Stripe: where to send the shopper." },
              client_secret: {
                type: "string",
                description: "Stripe without a return URL: the PaymentIntent's client secret.",
              },
            },
          },
        },
      }),
  }),
  projectsRoute({
    method: "GET",
    path: `${PROJECT}/orders`,
    summary: "List customer orders by email (query: ?email=...).",
    tag: "Orders",
    description: `\`{ orders, total, page, limit }\`, newest first. ${LOOKUP}`,
    query: {
      email: {
        type: "string",
        description: "The email the orders were placed with (required).",
        example: "customer@example.com",
      },
    },
    operation: `query ($email: String!, $first: Int, $after: String) {
      ordersByEmail(email: $email, first: $first, after: $after) { totalCount edges { node { ...ProjectOrderSummaryFields } } }
    }`,
    variables: ({ query }) => ({ email: query.email ?? "" }),
    paginated: true,
    listKey: "orders",
    result: ["ordersByEmail"],
    present: presentOrderSummary,
    responseSchema: () => ORDER_SUMMARY,
  }),
  projectsRoute({
    method: "GET",
    path: `${PROJECT}/orders/:id`,
    summary: "Retrieve a single order by id (query: ?email=... required).",
    tag: "Orders",
    description: `\`{ order }\` with its items and totals. ${LOOKUP}`,
    query: { email: { type: "string", description: "The email the order was placed with (required)." } },
    operation: `query ($id: ID!, $email: String!) {
      orderByEmail(id: $id, email: $email) {
        ...ProjectOrderSummaryFields promotionCodes
        lines { id entityId variantId sku title quantity unitPrice total }
      }
    }`,
    variables: ({ params, query }) => ({ id: params.id, email: query.email ?? "" }),
    result: ["orderByEmail"],
    notFound: "Order",
    present: presentOrder,
    responseSchema: () =>
      describes<ReturnType<typeof presentOrder>>()({
        type: "object",
        properties: {
          order: {
            type: "object",
            properties: {
              ...ORDER_SUMMARY.properties,
              subtotal: amount,
              discount_total: amount,
              tax_total: amount,
              shipping_total: amount,
              coupon_codes: { type: "array", items: { type: "string" } },
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    product_id: { type: "string" },
                    variant_id: { type: "string", nullable: true },
                    sku: { type: "string", nullable: true },
                    name: { type: "string" },
                    quantity: { type: "integer" },
                    unit_price: amount,
                    total: amount,
                  },
                },
              },
            },
          },
        },
      }),
  }),
];

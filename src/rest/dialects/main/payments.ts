import { route } from "./route.js";

export const paymentRoutes = [
  route({
    method: "POST",
    path: "/payments/webhook",
    summary: "Payment provider webhook receiver",
    tag: "Payments",
    description:
      "Accepts raw webhook payloads from the configured payment adapter (Stripe: the Stripe-Signature header is " +
      "verified over the raw body; a bad or stale signature is 400 and changes nothing). On payment_intent.succeeded " +
      "with metadata.orderId the order moves from pending to confirmed; redeliveries are acknowledged with " +
      "`duplicate: true` and change nothing.",
    rawBody: true,
    operation: `mutation ($input: PaymentWebhookInput!) {
      handlePaymentWebhook(input: $input) { ...ErrorFields ... on HandlePaymentWebhookPayload { receipt { received eventId eventType duplicate } } }
    }`,
    variables: ({ rawBody, headers }) => ({ input: { payload: rawBody, signature: headers.get("stripe-signature") } }),
    result: ["handlePaymentWebhook", "receipt"],
  }),
];

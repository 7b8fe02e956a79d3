import type Stripe from "stripe";
import { type PaymentProvider, WebhookSignatureError } from "../../domain/payments/provider.js";

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | undefined;
  /** Another API host (tests' fake server, stripe-mock), e.g. http://127.0.0.1:12111. */
  apiBase?: string;
}

/** Stripe through the official SDK: PaymentIntents, refunds, and webhook signature verification. */
export async function stripeProvider(settings: StripeSettings): Promise<PaymentProvider> {
  // Loaded only when Stripe is configured: the SDK is the largest module of the default start-up.
  const { default: StripeSdk } = await import("stripe");
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  const stripe = new StripeSdk(settings.secretKey, {
    maxNetworkRetries: base ? 0 : 2,
    telemetry: false,
    ...(base ? { host: base.hostname, port: Number(base.port), protocol: base.protocol.replace(":", "") as "http" | "https" } : {}),
  });
  return {
    name: "stripe",
    async createPayment({ orderId, orderNumber, amount, currency, paymentMethodId, idempotencyKey }) {
      const intent = await stripe.paymentIntents.create(
        {
          amount,
          currency: currency.toLowerCase(),
          metadata: { orderId, orderNumber },
          ...(paymentMethodId ? { payment_method: paymentMethodId, confirm: true } : {}),
          automatic_payment_methods: paymentMethodId ? undefined : { enabled: true },
        },
        { idempotencyKey },
      );
      return {
        providerRef: intent.id,
        status: intent.status === "succeeded" ? "succeeded" : "pending",
        clientSecret: intent.client_secret ?? null,
      };
    },
    async refund({ providerRef, amount, reason, idempotencyKey }) {
      const refund = await stripe.refunds.create(
        { payment_intent: providerRef, amount, ...(reason ? { metadata: { reason } } : {}) },
        { idempotencyKey },
      );
      return {
        providerRef: refund.id,
        status: refund.status === "succeeded" ? "succeeded" : refund.status === "failed" ? "failed" : "pending",
      };
    },
    async retrievePayment(providerRef) {
      const intent = await stripe.paymentIntents.retrieve(providerRef);
      // requires_payment_method after an attempt is a failed try the customer may still repeat: pending.
      return intent.status === "succeeded" ? "succeeded" : intent.status === "canceled" ? "cancelled" : "pending";
    },
    async cancelPayment(providerRef) {
      await stripe.paymentIntents.cancel(providerRef, {}, { idempotencyKey: `cancel:${providerRef}` });
    },
    verifyWebhook(payload, signature) {
      if (!settings.webhookSecret) throw new WebhookSignatureError("STRIPE_WEBHOOK_SECRET is not configured.");
      if (!signature) throw new WebhookSignatureError("Missing Stripe-Signature header.");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(payload, signature, settings.webhookSecret);
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : "Invalid signature.");
      }
      const object = event.data.object as { id?: string; object?: string; metadata?: Record<string, string>; payment_intent?: string | null };
      const paymentRef =
        object.object === "payment_intent" ? (object.id ?? null) : typeof object.payment_intent === "string" ? object.payment_intent : null;
      return { id: event.id, type: event.type, paymentRef, orderId: object.metadata?.orderId ?? null };
    },
  };
}

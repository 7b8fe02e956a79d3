import type Stripe from "stripe";
import { z } from "zod";
import {
  type PaymentProvider,
  type PaymentWebhookEvent,
  WebhookSignatureError,
} from "../../domain/payments/provider.js";

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string | undefined;
  /** Another API host (tests' fake server, stripe-mock), e.g. http://127.0.0.1:12111. */
  apiBase?: string;
}

/** The official SDK's client for these settings (payments and Connect payouts share it). */
export async function stripeClient(settings: Pick<StripeSettings, "secretKey" | "apiBase">): Promise<Stripe> {
  // Loaded only when Stripe is configured: the SDK is the largest module of the default start-up.
  const { default: StripeSdk } = await import("stripe");
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new StripeSdk(settings.secretKey, {
    maxNetworkRetries: base ? 0 : 2,
    telemetry: false,
    ...(base
      ? { host: base.hostname, port: Number(base.port), protocol: base.protocol.replace(":", "") as "http" | "https" }
      : {}),
  });
}

/** Stripe through the official SDK: PaymentIntents, refunds, and webhook signature verification. */
export async function stripeProvider(settings: StripeSettings): Promise<PaymentProvider> {
  const stripe = await stripeClient(settings);
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
    async createCheckoutSession({
      orderId,
      orderNumber,
      amount,
      currency,
      customerEmail,
      successUrl,
      cancelUrl,
      idempotencyKey,
    }) {
      // One line for the whole order: its total (discounts, tax and shipping included) is computed here.
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: currency.toLowerCase(),
                unit_amount: amount,
                product_data: { name: `Order ${orderNumber}` },
              },
            },
          ],
          success_url: successUrl,
          cancel_url: cancelUrl,
          client_reference_id: orderId,
          ...(customerEmail ? { customer_email: customerEmail } : {}),
          metadata: { orderId, orderNumber },
          payment_intent_data: { metadata: { orderId, orderNumber } },
        },
        { idempotencyKey },
      );
      if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL.");
      return { providerRef: session.id, url: session.url };
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
      if (providerRef.startsWith("cs_")) {
        // A Checkout Session not completed yet (a completed one names its PaymentIntent instead).
        const session = await stripe.checkout.sessions.retrieve(providerRef);
        return session.payment_status === "paid" ? "succeeded" : session.status === "expired" ? "cancelled" : "pending";
      }
      const intent = await stripe.paymentIntents.retrieve(providerRef);
      // requires_payment_method after an attempt is a failed try the customer may still repeat: pending.
      return intent.status === "succeeded" ? "succeeded" : intent.status === "canceled" ? "cancelled" : "pending";
    },
    async cancelPayment(providerRef) {
      if (providerRef.startsWith("cs_")) {
        await stripe.checkout.sessions.expire(providerRef, {}, { idempotencyKey: `cancel:${providerRef}` });
        return;
      }
      await stripe.paymentIntents.cancel(providerRef, {}, { idempotencyKey: `cancel:${providerRef}` });
    },
    verifyWebhook(payload, signature) {
      if (!settings.webhookSecret) throw new WebhookSignatureError("STRIPE_WEBHOOK_SECRET is not configured.");
      if (!signature) throw new WebhookSignatureError("Missing Stripe-Signature header.");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(payload, signature, settings.webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : "Invalid signature.");
      }
      // The SDK refuses only events signed too long ago; the skew is checked both ways here (a signature
      // time in the future, or none that is a number, is refused too).
      const skew = signedAt(signature) - Math.floor(Date.now() / 1000);
      if (!(Math.abs(skew) <= WEBHOOK_TOLERANCE_SECONDS)) {
        throw new WebhookSignatureError("Timestamp outside the tolerance zone.");
      }
      return readEvent(event);
    },
  };
}

/** How far a webhook's signature time may be from ours, either way (Stripe's default for the past). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The `t=` of a Stripe-Signature header, read as the SDK reads it (the last one; the one it verified). */
function signedAt(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") timestamp = Number.parseInt(value ?? "", 10);
  }
  return timestamp;
}

// A signed event may still not be one we can read (a test event, another API version): such an event
// is refused like a bad signature (400, nothing recorded), never a 500.
const SignedEvent = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  data: z.object({ object: z.looseObject({}) }),
});

function readEvent(event: unknown): PaymentWebhookEvent {
  const parsed = SignedEvent.safeParse(event);
  if (!parsed.success) {
    throw new WebhookSignatureError(
      `The event is malformed: ${parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ")}.`,
    );
  }
  const { id, type, data } = parsed.data;
  const object: Record<string, unknown> = data.object;
  const text = (value: unknown) => (typeof value === "string" && value ? value : null);
  const metadata =
    object.metadata && typeof object.metadata === "object" ? (object.metadata as Record<string, unknown>) : {};
  // A Checkout Session is the payment itself until it completes and names its PaymentIntent.
  const session = object.object === "checkout.session";
  const paymentRef = object.object === "payment_intent" || session ? text(object.id) : text(object.payment_intent);
  return {
    id,
    type,
    paymentRef,
    orderId: text(metadata.orderId),
    ...(session ? { intentRef: text(object.payment_intent), paid: object.payment_status === "paid" } : {}),
  };
}

/** What checkout, refunds and webhooks need from a payment service provider. */
export interface PaymentProvider {
  readonly name: "manual" | "stripe";
  /** Creates the provider-side payment for an order (a Stripe PaymentIntent with metadata.orderId). */
  createPayment(input: {
    orderId: string;
    orderNumber: string;
    amount: number;
    currency: string;
    paymentMethodId?: string | null;
    /** Retries with the same key never create a second payment at the provider. */
    idempotencyKey: string;
  }): Promise<{ providerRef: string; status: "pending" | "succeeded"; clientSecret: string | null }>;
  /**
   * A hosted payment page for an order, where the provider has one (a Stripe Checkout Session with
   * metadata.orderId): the shopper is sent to `url` and comes back to successUrl or cancelUrl. Its
   * completion arrives as a webhook (`checkout.session.completed`) and settles the order like a
   * succeeded PaymentIntent. Providers without hosted pages leave it out.
   */
  createCheckoutSession?(input: {
    orderId: string;
    orderNumber: string;
    amount: number;
    currency: string;
    customerEmail: string | null;
    successUrl: string;
    cancelUrl: string;
    idempotencyKey: string;
  }): Promise<{ providerRef: string; url: string }>;
  refund(input: {
    providerRef: string;
    amount: number;
    reason?: string | null;
    idempotencyKey: string;
  }): Promise<{ providerRef: string; status: "pending" | "succeeded" | "failed" }>;
  /**
   * Where the provider says a payment stands (for follow-ups when a webhook never came); null when the
   * provider settles nothing by itself (manual payments wait for a merchant).
   */
  retrievePayment(providerRef: string): Promise<ProviderPaymentStatus | null>;
  /** Gives up on a payment that was never completed, so it can no longer be paid. */
  cancelPayment(providerRef: string): Promise<void>;
  /** Verifies the signature over the raw body and parses the event; throws WebhookSignatureError. */
  verifyWebhook(payload: string, signature: string | null): PaymentWebhookEvent;
}

export type ProviderPaymentStatus = "pending" | "succeeded" | "failed" | "cancelled";

export interface PaymentWebhookEvent {
  id: string;
  type: string;
  /** The provider's payment id the event is about (PaymentIntent id, Checkout Session id), when it is about one. */
  paymentRef: string | null;
  orderId: string | null;
  /** A hosted checkout's (Checkout Session's) PaymentIntent, once it has one: refunds and later events name it. */
  intentRef?: string | null;
  /** A hosted checkout: whether the money is taken (false while a delayed method such as a bank debit clears). */
  paid?: boolean;
}

export class WebhookSignatureError extends Error {}

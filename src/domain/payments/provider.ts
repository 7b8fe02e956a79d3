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
  refund(input: {
    providerRef: string;
    amount: number;
    reason?: string | null;
    idempotencyKey: string;
  }): Promise<{ providerRef: string; status: "pending" | "succeeded" | "failed" }>;
  /** Verifies the signature over the raw body and parses the event; throws WebhookSignatureError. */
  verifyWebhook(payload: string, signature: string | null): PaymentWebhookEvent;
}

export interface PaymentWebhookEvent {
  id: string;
  type: string;
  /** The provider's payment id the event is about (PaymentIntent id), when it is about one. */
  paymentRef: string | null;
  orderId: string | null;
}

export class WebhookSignatureError extends Error {}

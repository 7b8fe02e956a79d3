import { randomUUID } from "node:crypto";
import { type PaymentProvider, WebhookSignatureError } from "../../domain/payments/provider.js";

/**
 * Payment taken outside the platform (cash on delivery, bank transfer): the payment stays pending and
 * a merchant confirms the order. Lets the embedded default take orders end to end without Stripe.
 */
export function manualProvider(): PaymentProvider {
  return {
    name: "manual",
    async createPayment() {
      return { providerRef: `manual_${randomUUID()}`, status: "pending", clientSecret: null };
    },
    async refund() {
      return { providerRef: `manual_refund_${randomUUID()}`, status: "succeeded" };
    },
    async retrievePayment() {
      return null;
    },
    async cancelPayment() {},
    verifyWebhook() {
      throw new WebhookSignatureError("The manual payment provider receives no webhooks.");
    },
  };
}

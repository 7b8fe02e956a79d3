import type { PayoutProvider } from "../../domain/marketplace/marketplace-deps.js";
import { type StripeSettings, stripeClient } from "../payments/stripe.js";

/**
 * Stripe Connect through the official SDK: a payout is a Transfer from the platform's balance to the
 * vendor's connected account, under the payout's idempotency key (a retry never transfers twice).
 */
export async function stripeConnectPayouts(
  settings: Pick<StripeSettings, "secretKey" | "apiBase">,
): Promise<PayoutProvider> {
  const stripe = await stripeClient(settings);
  return {
    name: "stripe_connect",
    async transfer({ payoutId, vendorId, destination, amount, currency, idempotencyKey }) {
      if (!destination) throw new Error("the vendor has no connected Stripe account");
      const transfer = await stripe.transfers.create(
        {
          amount,
          currency: currency.toLowerCase(),
          destination,
          transfer_group: `payout_${payoutId}`,
          metadata: { payoutId, vendorId },
        },
        { idempotencyKey },
      );
      return { providerRef: transfer.id };
    },
  };
}

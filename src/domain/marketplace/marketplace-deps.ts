import type { RefundDeps } from "../payments/refunds.js";

/**
 * Sends money to a vendor. `idempotencyKey` is the payout's own (`payout:<id>`): a retry of a payout
 * that reached the provider before failing here never transfers twice.
 */
export interface PayoutProvider {
  readonly name: "manual" | "stripe_connect";
  transfer(input: {
    payoutId: string;
    vendorId: string;
    /** The vendor's connected account (Stripe Connect `acct_...`), when it has one. */
    destination: string | null;
    amount: number;
    currency: string;
    idempotencyKey: string;
  }): Promise<{ providerRef: string }>;
}

export interface MarketplaceSettings {
  /** Hours a delivered sale's credit is held before a payout may take it (MARKETPLACE_PAYOUT_HOLD_HOURS). */
  holdHours: number;
  payouts: PayoutProvider;
}

/** What marketplace order services need: the request scope, payment providers (refunds) and marketplace settings. */
export interface MarketplaceDeps extends RefundDeps {
  marketplace: MarketplaceSettings;
}

/** Without a payout provider configured: the payout is recorded as paid and the money is sent by hand. */
export function manualPayoutProvider(): PayoutProvider {
  return {
    name: "manual",
    async transfer({ payoutId }) {
      return { providerRef: `manual:${payoutId}` };
    },
  };
}

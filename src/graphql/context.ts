import type { Actor } from "../domain/auth/actor.js";
import type { ClientInfo, IdentityServices } from "../domain/customers/accounts.js";
import type { JobRunner } from "../domain/jobs/queue.js";
import type { MarketplaceSettings } from "../domain/marketplace/marketplace-deps.js";
import type { MediaOptions } from "../domain/media/storage.js";
import type { OrderLookupThrottle } from "../domain/orders/email-lookup.js";
import type { PaymentFollowUpSettings } from "../domain/payments/follow-up.js";
import type { PaymentProvider } from "../domain/payments/provider.js";
import type { PaymentProviders } from "../domain/payments/providers.js";
import type { Scope } from "../domain/scope.js";
import type { Db } from "../infra/db.js";
import type { PubSub } from "../infra/pubsub.js";
import type { AppSecrets } from "../infra/secrets.js";

/** Per-request GraphQL context; REST routes run through the same one. */
export interface GraphQLContext {
  prisma: Db;
  actor: Actor;
  storeId: string;
  requestId: string;
  /** The domain scope (prisma + store + actor + events) services take. */
  scope: Scope;
  /** Where subscriptions listen. */
  pubsub: PubSub;
  /** The configured payment service provider (Stripe, or manual). */
  payments: PaymentProvider;
  /** Every configured provider by name: checkout takes the one its store's settings select. */
  paymentProviders: PaymentProviders;
  /** Rate limits of order lookups by email (seed 003). */
  orderLookups: OrderLookupThrottle;
  /** The background job handlers and the queue's clock. */
  jobs: JobRunner;
  /** Customer sessions and sign-in throttling. */
  identity: IdentityServices;
  /** When unpaid orders are looked at again and given up. */
  paymentFollowUp: PaymentFollowUpSettings;
  /** The calling client (address, user agent), for sessions and throttling. */
  client: ClientInfo;
  /** Signing keys for session tokens and signed URLs. */
  secrets: AppSecrets;
  /** Media storage driver and limits. */
  media: MediaOptions;
  /** Whether webhook URLs may resolve to private addresses (local development, tests). */
  webhookAllowPrivateTargets: boolean;
  /** Marketplace payouts: the hold period and the payout provider. */
  marketplace: MarketplaceSettings;
}

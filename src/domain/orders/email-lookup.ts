import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Actor } from "../auth/actor.js";
import { TooManyRequestsError, ValidationError } from "../errors.js";

/**
 * Orders looked up by the email they were placed with (seed 003's `GET /orders?email=`): what a
 * storefront's "My orders" page shows a guest without an account.
 *
 * The exposure is the seed's: whoever holds the store's publishable key (it is in every page) and knows
 * a shopper's email sees that shopper's orders: numbers, statuses, totals and lines, never addresses,
 * phone numbers or payment details (`OrderSummary`). To keep guessing slow, lookups are counted per
 * store, email and caller (`LOOKUPS_PER_WINDOW` per `WINDOW_SECONDS`, then 429), on top of the request
 * rate limit. An email without orders answers exactly like one whose orders are elsewhere: an empty
 * list (and a single order asked for with the wrong email is a plain 404), so no answer says whether an
 * email is known to the store.
 */
export const LOOKUPS_PER_WINDOW = 20;
export const WINDOW_SECONDS = 10 * 60;

export class OrderLookupThrottle {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    counters: (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract = (o) =>
      new RateLimiterMemory(o),
    points = LOOKUPS_PER_WINDOW,
  ) {
    this.limiter = counters({ keyPrefix: "order-lookup", points, duration: WINDOW_SECONDS });
  }

  /** Counts one lookup of `email` by this caller in the store; 429 past the limit. */
  async consume(storeId: string, email: string, actor: Actor): Promise<void> {
    const caller = actor.kind === "anonymous" ? "anonymous" : `${actor.kind}:${actor.id}`;
    try {
      await this.limiter.consume(`${storeId}:${caller}:${email}`);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new TooManyRequestsError(
        "Too many order lookups for this email; try again later.",
        Math.ceil(rejection.msBeforeNext / 1000),
      );
    }
  }
}

/** An email as orders keep it (lower-cased); a malformed one is a 422 on `email`. */
export function lookupEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalized) || normalized.length > 254) {
    throw ValidationError.field("email", "invalid_email", "A valid email address is required.");
  }
  return normalized;
}

/** The store's orders placed with this email. */
export function ordersOfEmail(storeId: string, email: string): Prisma.OrderWhereInput {
  return { storeId, email };
}

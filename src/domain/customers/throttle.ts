import ipaddr from "ipaddr.js";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyRequestsError } from "../errors.js";

const WINDOW_SECONDS = 15 * 60;
/** Past the account's cap, an address that never signed in to it gets one try per this many seconds. */
const SLOW_LANE_SECONDS = 5;

export interface SignInThrottleLimits {
  /** Failures of one account from one client address (or IPv6 /64): that pair is then locked for the window. */
  perPair: number;
  /** Failures from one client address, whatever the accounts: that address is then locked. */
  perClient: number;
  /** Failures of one account from all addresses together (distributed guessing): the account then slows down. */
  perAccount: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInThrottleLimits = { perPair: 5, perClient: 50, perAccount: 100 };

/** Who is signing in: the account (store + email) and the client's address, when known. */
export interface SignInAttempt {
  storeId: string;
  email: string;
  address: string | null | undefined;
}

/**
 * Brute-force protection for sign-in, shaped so an attacker cannot lock the owner out:
 * - 5 failures of an account from one address lock that (account, address) pair for 15 minutes, even
 *   for the right password; the owner elsewhere is not affected;
 * - 50 failures from one address (any accounts) lock that address;
 * - 100 failures of an account from all addresses (a distributed guess) do not lock it: from then on,
 *   addresses that signed in to it before go through as usual, and any other address gets one try per
 *   5 seconds for the whole account, so the owner waits seconds, not minutes, and guessing stays slow.
 * A success clears its pair's count. IPv6 clients are counted per /64, which one subscriber usually has.
 */
export class SignInThrottle {
  private readonly perPair: RateLimiterAbstract;
  private readonly perClient: RateLimiterAbstract;
  private readonly perAccount: RateLimiterAbstract;
  private readonly slowLane: RateLimiterAbstract;

  /** `counters` makes the counters: in memory by default, shared through Redis when instances must agree. */
  constructor(
    counters: (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract = (o) =>
      new RateLimiterMemory(o),
    limits: SignInThrottleLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {
    this.perPair = counters({ keyPrefix: "signin-pair", points: limits.perPair, duration: WINDOW_SECONDS });
    this.perClient = counters({ keyPrefix: "signin-client", points: limits.perClient, duration: WINDOW_SECONDS });
    this.perAccount = counters({ keyPrefix: "signin-account", points: limits.perAccount, duration: WINDOW_SECONDS });
    this.slowLane = counters({ keyPrefix: "signin-slow", points: 1, duration: SLOW_LANE_SECONDS });
  }

  /**
   * Throws 429 when this attempt may not be checked now. `signedInFromHereBefore` is asked only when the
   * account is over its cap (whether this address has had a session of the account).
   */
  async admit(attempt: SignInAttempt, signedInFromHereBefore: () => Promise<boolean>): Promise<void> {
    const { account, client, pair } = keys(attempt);
    await refuseWhenUsedUp(this.perPair, pair);
    if (client) await refuseWhenUsedUp(this.perClient, client);
    if (!usedUp(this.perAccount, await this.perAccount.get(account))) return;
    if (client && (await signedInFromHereBefore())) return;
    try {
      await this.slowLane.consume(account);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw tooMany(rejection);
    }
  }

  async failed(attempt: SignInAttempt): Promise<void> {
    const { account, client, pair } = keys(attempt);
    await Promise.all([
      this.perPair.consume(pair).catch(ignoreLimit),
      client ? this.perClient.consume(client).catch(ignoreLimit) : undefined,
      this.perAccount.consume(account).catch(ignoreLimit),
    ]);
  }

  async succeeded(attempt: SignInAttempt): Promise<void> {
    await this.perPair.delete(keys(attempt).pair);
  }
}

/** The address a client is counted under: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function clientKey(address: string | null | undefined): string | undefined {
  if (!address || !ipaddr.isValid(address)) return address || undefined;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(":")}::/64`;
}

/** The counters' keys, all within the store: account, client (when its address is known) and the pair. */
function keys({ storeId, email, address }: SignInAttempt) {
  const account = `${storeId}:${email}`;
  const from = clientKey(address);
  return { account, client: from && `${storeId}:${from}`, pair: `${account}|${from ?? "unknown"}` };
}

function usedUp(limiter: RateLimiterAbstract, state: RateLimiterRes | null): state is RateLimiterRes {
  return !!state && state.remainingPoints <= 0 && state.consumedPoints >= limiter.points;
}

async function refuseWhenUsedUp(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const state = await limiter.get(key);
  if (usedUp(limiter, state)) throw tooMany(state);
}

function tooMany(state: RateLimiterRes): TooManyRequestsError {
  return new TooManyRequestsError(
    "Too many failed sign-in attempts; try again later.",
    Math.ceil(state.msBeforeNext / 1000),
  );
}

function ignoreLimit(rejection: unknown): void {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
}

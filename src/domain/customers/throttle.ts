import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyRequestsError } from "../errors.js";

const WINDOW_SECONDS = 15 * 60;

/**
 * Brute-force protection for sign-in: failed attempts are counted per account (store + email) and per
 * client address; past the limit, sign-in answers 429 until the window passes, even with the right
 * password. A success clears the account's count.
 */
export class SignInThrottle {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perClient: RateLimiterAbstract;

  /** `counters` makes the counters: in memory by default, shared through Redis when instances must agree. */
  constructor(
    counters: (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract = (o) => new RateLimiterMemory(o),
    limits: { perAccount: number; perClient: number } = { perAccount: 5, perClient: 50 },
  ) {
    this.perAccount = counters({ keyPrefix: "signin-account", points: limits.perAccount, duration: WINDOW_SECONDS });
    this.perClient = counters({ keyPrefix: "signin-client", points: limits.perClient, duration: WINDOW_SECONDS });
  }

  /** Throws 429 when the account or the client has used up its failed attempts. */
  async check(account: string, client: string | undefined): Promise<void> {
    const checks: [RateLimiterAbstract, string][] = [[this.perAccount, account]];
    if (client) checks.push([this.perClient, client]);
    for (const [limiter, key] of checks) {
      const state = await limiter.get(key);
      if (state && state.remainingPoints <= 0 && state.consumedPoints >= limiter.points) {
        throw new TooManyRequestsError("Too many failed sign-in attempts; try again later.", Math.ceil(state.msBeforeNext / 1000));
      }
    }
  }

  async failed(account: string, client: string | undefined): Promise<void> {
    await Promise.all([
      this.perAccount.consume(account).catch(ignoreLimit),
      client ? this.perClient.consume(client).catch(ignoreLimit) : undefined,
    ]);
  }

  async succeeded(account: string): Promise<void> {
    await this.perAccount.delete(account);
  }
}

function ignoreLimit(rejection: unknown): void {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
}

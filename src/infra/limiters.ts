import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

/** Makes the counters behind rate limits and sign-in throttling: per process, or shared through Redis. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/**
 * Counters in Redis, so every instance behind a load balancer counts the same requests and failed
 * sign-ins. Keys are under the deployment's id (`AppSecrets.deploymentId`), so another deployment on the
 * same Redis (staging next to production, a test run) keeps its own counts for the same caller. If Redis
 * is unreachable, each instance falls back to counting in memory rather than refusing every request.
 */
export function redisLimiters(client: Redis, deploymentId: string): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: `cartograph:${deploymentId}:${options.keyPrefix}`,
      storeClient: client,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}

/** A Redis connection for the limiters (ioredis is loaded only when Redis is configured). */
export async function connectRedis(url: string, onError: (error: Error) => void = () => {}): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // ioredis reconnects by itself; without a listener every failed attempt is an "Unhandled error event".
  client.on("error", onError);
  return client;
}

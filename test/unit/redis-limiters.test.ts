import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, redisLimiters } from "../../src/infra/limiters.js";

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)("rate-limit counters in a shared Redis", () => {
  let client: Redis;
  beforeAll(async () => {
    client = await connectRedis(redisUrl!);
    // No offline queue (a request never waits on Redis): wait until it is connected.
    if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
  });
  afterAll(() => client?.quit());

  it("are shared by the instances of one deployment and separate between deployments", async () => {
    const caller = `caller-${randomUUID()}`;
    const options = { keyPrefix: "requests", points: 2, duration: 60 };
    const instanceA = redisLimiters(client, "deployment1")(options);
    const instanceB = redisLimiters(client, "deployment1")(options);
    const otherDeployment = redisLimiters(client, "deployment2")(options);
    await instanceA.consume(caller);
    await instanceB.consume(caller);
    // The deployment's third request is refused, whichever instance it reaches...
    await expect(instanceA.consume(caller)).rejects.toMatchObject({ remainingPoints: 0 });
    // ...while another deployment sharing the Redis counts the same caller from zero.
    await expect(otherDeployment.consume(caller)).resolves.toMatchObject({ remainingPoints: 1 });
  });
});

import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";

const t = useTestApp({ rateLimitPerMinute: 3 });

describe("rate limiting", () => {
  it("answers 429 TOO_MANY_REQUESTS with Retry-After once the window is used up", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.request("GET", "/api/health", { key: null });
      statuses.push(res.status);
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(2 - i));
    }
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await t.request("GET", "/api/health", { key: null });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("counts API keys separately from anonymous callers", async () => {
    const res = await t.request("GET", "/api/health", { key: await t.createKey(["catalog:read"]) });
    expect(res.status).toBe(200);
  });
});

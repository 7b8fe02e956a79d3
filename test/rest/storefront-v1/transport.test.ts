import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { SF, sf } from "./support.js";

// Errors raised before a route runs (body limit, media type, method, rate limit) take the dialect's shape too.
const t = useTestApp({ rateLimitPerMinute: 6 });

describe("storefront v1: transport errors in the dialect's shape", () => {
  it("answers 413, 415, 405 and 429 with seed 000's error body", async () => {
    const huge = await t.request("POST", `${SF}/stores/default/carts`, {
      key: null,
      raw: JSON.stringify({ currency: "USD", metadata: { blob: "x".repeat(1024 * 1024) } }),
      headers: { "content-type": "application/json" },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
    const text = await t.request("POST", `${SF}/stores/default/carts`, {
      key: null,
      raw: '{"currency":"USD"}',
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe("unsupported_media_type");
    const put = await sf(t, "PUT", "/stores/default/carts");
    expect(put.status).toBe(405);
    expect(put.body.error.code).toBe("method_not_allowed");

    let limited;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await sf(t, "GET", "/stores/default");
      if (res.status === 429) limited = res;
    }
    expect(limited?.body).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { findChromium, launchChromium } from "../helpers/browser.js";

/**
 * A customer session in a real browser: the HttpOnly cookie is set and sent back by Chromium itself,
 * script cannot read it, and another site cannot use it. Needs Debian's chromium (CHROMIUM_PATH or
 * `chromium` on PATH); skipped where there is none.
 */
const executablePath = findChromium();

describe.runIf(executablePath)("customer sessions in Chromium", () => {
  const t = useTestApp();
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    base = (await t.app.start()).url;
    browser = await launchChromium(executablePath!);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t.app.stop();
  });

  it("signs up, stays signed in by an HttpOnly cookie script cannot read, and signs out", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/api/health`);
    const email = `browser-${Date.now()}@example.com`;
    const result = await page.evaluate(async (email) => {
      const json = (r: Response) => r.json().then((body) => ({ status: r.status, body }));
      const signUp = await fetch("/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "browser-password", name: "Browser User" }),
      }).then(json);
      const profile = await fetch("/api/me/profile").then(json);
      const session = await fetch("/api/auth/get-session").then(json);
      const visibleCookies = document.cookie;
      const signOut = await fetch("/api/auth/sign-out", { method: "POST" }).then(json);
      const afterSignOut = await fetch("/api/me/profile").then(json);
      return { signUp, profile, session, visibleCookies, signOut, afterSignOut };
    }, email);
    expect(result.signUp.status).toBe(200);
    expect(result.profile).toMatchObject({ status: 200, body: { data: { email } } });
    expect(result.session.body.user.email).toBe(email);
    expect(result.visibleCookies).not.toContain("session_token");
    expect(result.signOut).toMatchObject({ status: 200, body: { success: true } });
    expect(result.afterSignOut.status).toBe(401);
    await page.close();
  });

  it("does not let another site act with the session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/api/health`);
    const email = `csrf-${Date.now()}@example.com`;
    await page.evaluate(async (email) => {
      await fetch("/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "browser-password", name: "Victim" }),
      });
    }, email);
    // localhost and 127.0.0.1 are different sites: a page there plays the attacker
    const evil = await context.newPage();
    await evil.goto(`${base.replace("127.0.0.1", "localhost")}/api/health`);
    const status = await evil.evaluate(async (target) => {
      const response = await fetch(`${target}/api/me/addresses`, {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ line1: "Attacker St 1", city: "Evil", country: "DE" }),
      }).catch(() => null);
      return response?.status ?? "blocked";
    }, base);
    // refused by the server (origin check, and SameSite keeps the cookie home) or unreadable to the attacker
    expect([401, 403, 0, "blocked"]).toContain(status);
    const addresses = await page.evaluate(() => fetch("/api/me/addresses").then((r) => r.json()));
    expect(addresses.data).toEqual([]);
    await context.close();
  });

  it("serves the API reference (Swagger UI) that renders offline", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/api/reference`);
    await page.waitForSelector(".swagger-ui .info .title", { timeout: 30_000 });
    expect(await page.textContent(".swagger-ui .info .title")).toMatch(/Cartograph/i);
    expect(await page.locator(".opblock-tag").count()).toBeGreaterThan(5);
    await page.close();
  });
});

import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "../helpers/browser.js";
import {
  ADMIN_KEY,
  freshDatabase,
  type ServerProcess,
  startServer,
  stopServer,
  type TestDatabase,
} from "../helpers/server-process.js";

/**
 * The live orders dashboard in a real browser against a real server process: sign in with an API key,
 * see the orders and the chart, watch a status changed through REST arrive over graphql-ws, filter by
 * status, and survive a server restart (the socket drops, the page says so and reconnects). Needs
 * Debian's chromium (CHROMIUM_PATH or `chromium` on PATH); skipped where there is none.
 */
const executablePath = findChromium();
const RESULTS_DIR = fileURLToPath(new URL("../../test-results", import.meta.url));
/** How soon a change made through REST must show on the open page. */
const LIVE_WITHIN_MS = 2_000;
/** For what only has to happen eventually (a reload after a click), on a busy machine. */
const SETTLED = { timeout: 15_000, interval: 100 };

async function rest(base: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${base}/api${route}`, {
    method,
    headers: { "x-api-key": ADMIN_KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as { data: any };
  expect(response.status, `${method} ${route}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json.data;
}

/** A pending order through the public API: product, price, guest cart, merchant checkout. */
async function placeOrder(base: string, entityId: string, name: string, quantity: number) {
  const cart = await rest(base, "POST", "/carts", { currency: "USD" });
  await rest(base, "POST", `/carts/${cart.id}/items`, { entityId, quantity });
  return (await rest(base, "POST", "/checkout", {
    cartId: cart.id,
    email: `${name.toLowerCase().replace(/\s+/g, ".")}@example.com`,
    shippingAddress: { name, line1: "1 Market St", city: "Springfield", country: "US" },
  })) as { id: string; number: string; status: string };
}

const statusOf = (page: Page, orderId: string) => page.locator(`tr[data-order-id="${orderId}"] .status`);

describe.runIf(executablePath)("live orders dashboard in Chromium", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let browser: Browser;
  let base: string;
  const orders: { id: string; number: string }[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase("dashboard");
    server = await startServer(database.env);
    base = server.url;
    const entity = await rest(base, "POST", "/catalog/entities", {
      type: "product",
      slug: "dashboard-mug",
      status: "active",
    });
    await rest(base, "PUT", `/catalog/entities/${entity.id}/attributes/en`, { title: "Dashboard Mug" });
    await rest(base, "POST", "/pricing/prices", { entityId: entity.id, currency: "USD", amount: 1250 });
    for (const [name, quantity] of [
      ["Ada Lovelace", 1],
      ["Grace Hopper", 2],
      ["Alan Turing", 3],
    ] as const) {
      orders.push(await placeOrder(base, entity.id, name, quantity));
    }
    browser = await launchChromium(executablePath!);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server);
    await database?.drop();
  });

  it("serves the page with a self-only Content-Security-Policy", async () => {
    const response = await fetch(`${base}/dashboard`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    // the vendored graphql-ws client comes from this server, not a CDN
    const client = await fetch(`${base}/dashboard/vendor/graphql-ws/client.js`);
    expect(client.status).toBe(200);
    expect(client.headers.get("content-type")).toMatch(/javascript/);
    // nothing outside the dashboard's own files
    for (const probe of [
      "..%2Fpackage.json",
      "vendor/graphql-ws/..%2F..%2Fpackage.json",
      "vendor/graphql-ws/client.d.ts",
      "nope.js",
    ]) {
      expect((await fetch(`${base}/dashboard/${probe}`)).status, probe).toBe(404);
    }
  });

  it("refuses a wrong key, then signs in and shows orders, the chart and live changes, and reconnects after a restart", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        cspViolations.push(message.text());
    });
    await page.goto(`${base}/dashboard`);

    await page.fill("#api-key", "not-a-real-key-0123456789");
    await page.click("#sign-in-form button[type=submit]");
    await expect.poll(() => page.textContent("#sign-in-error"), SETTLED).toMatch(/not valid/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.fill("#api-key", ADMIN_KEY);
    await page.click("#sign-in-form button[type=submit]");
    await page.waitForSelector("#orders tbody tr", { timeout: 15_000 });
    expect(await page.evaluate(() => sessionStorage.getItem("cartograph.dashboard.apiKey"))).toBe(ADMIN_KEY);
    await page.waitForFunction(() => document.getElementById("connection")?.dataset.state === "live", undefined, {
      timeout: 15_000,
    });

    // Every order with its number, status, customer, total and time; newest first.
    const rows = await page.$$eval("#orders tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim())),
    );
    expect(rows.map((r) => r[0])).toEqual([...orders].reverse().map((o) => o.number));
    const turing = rows[0]!;
    expect(turing[1]).toBe("pending");
    expect(turing[2]).toContain("Alan Turing");
    expect(turing[2]).toContain("alan.turing@example.com");
    expect(turing[3]).toMatch(/37\.50/); // 3 x 12.50 (no tax or shipping configured)
    expect(turing[4]).toBeTruthy();

    // The chart: one bar per day of the last 30, today's with the three orders.
    await page.waitForSelector("#chart svg rect.bar-count", { state: "attached" });
    expect(await page.locator("#chart svg rect.bar-count").count()).toBe(30);
    expect(await page.textContent("#chart-summary")).toMatch(/^3 orders/);

    // A status changed through REST shows on the open page.
    const [first, second, third] = orders as [(typeof orders)[0], (typeof orders)[0], (typeof orders)[0]];
    await rest(base, "PATCH", `/orders/${first.id}/status`, { status: "cancelled" });
    await expect
      .poll(() => statusOf(page, first.id).textContent(), { timeout: LIVE_WITHIN_MS, interval: 50 })
      .toBe("cancelled");

    // Filter by status: only the cancelled order, then all again.
    await page.check("#status-filter input[value=cancelled]");
    await expect.poll(() => page.locator("#orders tbody tr").count(), SETTLED).toBe(1);
    expect(await page.getAttribute("#orders tbody tr", "data-order-id")).toBe(first.id);
    // While filtered, an order moving into the filter joins the list live.
    await rest(base, "PATCH", `/orders/${second.id}/status`, { status: "cancelled" });
    await expect
      .poll(() => page.locator("#orders tbody tr").count(), { timeout: LIVE_WITHIN_MS, interval: 50 })
      .toBe(2);
    await page.uncheck("#status-filter input[value=cancelled]");
    await expect.poll(() => page.locator("#orders tbody tr").count(), SETTLED).toBe(3);

    // The server restarts on the same port: the socket drops, the page says so, then reconnects.
    const port = new URL(base).port;
    await stopServer(server);
    await page.waitForFunction(() => document.getElementById("connection")?.dataset.state === "lost", undefined, {
      timeout: 10_000,
    });
    expect(await page.textContent("#connection")).toMatch(/Connection lost.*reconnecting/);
    server = await startServer({ ...database.env, PORT: port });
    await page.waitForFunction(() => document.getElementById("connection")?.dataset.state === "live", undefined, {
      timeout: 30_000,
    });
    expect(await page.textContent("#connection")).toMatch(/Reconnected/);
    // Reconnected, the page reads the list and the chart again (a load that failed while down is cleared).
    await expect.poll(() => page.textContent("#chart-error"), SETTLED).toBe("");

    // The new socket is subscribed: a capture through the restarted server confirms the order on the page.
    await rest(base, "POST", `/orders/${third.id}/payment/capture`, {});
    await expect
      .poll(() => statusOf(page, third.id).textContent(), { timeout: LIVE_WITHIN_MS, interval: 50 })
      .toBe("confirmed");

    await mkdir(RESULTS_DIR, { recursive: true });
    const screenshot = path.join(RESULTS_DIR, "dashboard.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(1_000);

    expect(cspViolations).toEqual([]);

    // Signing out forgets the key.
    await page.click("#sign-out");
    expect(await page.evaluate(() => sessionStorage.getItem("cartograph.dashboard.apiKey"))).toBeNull();
    expect(await page.isVisible("#sign-in")).toBe(true);
    await context.close();
  }, 180_000);
});

import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PAYMENT_FOLLOW_UP_JOB } from "../../../src/domain/payments/follow-up.js";
import { useTestApp } from "../../helpers/app.js";
import { availableOf, cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";
import {
  ADMIN_KEY,
  freshDatabase,
  type ServerProcess,
  startServer,
  stopServer,
  type TestDatabase,
} from "../../helpers/server-process.js";

/**
 * Payment follow-ups: the job every checkout schedules in its transaction, so an order never waits for
 * a payment forever, whether the provider's webhook was lost or the process died before the provider call.
 */
const fake = await startFakeStripe();
const HOUR = 3_600_000;
/** How far the follow-up job's clock is ahead of the system's: a test moves it, and it is put back after. */
let clockAhead = 0;
const t = useTestApp(
  {
    stripeSecretKey: "sk_test_follow_up",
    stripeWebhookSecret: "whsec_follow_up",
    stripeApiBase: fake.url,
    // looked at again at once (so tests need not wait), given up after an hour
    paymentFollowUp: { timeoutMs: HOUR, intervalMs: 0 },
  },
  { clock: () => new Date(Date.now() + clockAhead) },
);
afterEach(() => {
  clockAhead = 0;
});
afterAll(() => fake.close());

async function placeOrder(stock = 5) {
  const product = await productWithStock(t, { price: 1000, stock });
  const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
  const placed = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: placed.body.data.id } });
  return { product, orderId: placed.body.data.id as string, payment };
}

/** Runs due follow-up jobs for this payment (the cron endpoint, as a deployment would). */
async function runFollowUps() {
  const res = await t.request("GET", "/api/jobs/run?queue=default&limit=100");
  expect(res.status).toBe(200);
}

const orderStatus = async (id: string) => (await t.app.db.prisma.order.findUniqueOrThrow({ where: { id } })).status;
const paymentStatus = async (id: string) => (await t.app.db.prisma.payment.findUniqueOrThrow({ where: { id } })).status;
const pendingFollowUps = (paymentId: string) =>
  t.app.db.prisma.job.count({
    where: { name: PAYMENT_FOLLOW_UP_JOB, status: "pending", payload: { equals: { paymentId } } },
  });

describe("payment follow-ups", () => {
  it("is scheduled with the order, in the checkout's transaction", async () => {
    const { payment } = await placeOrder();
    expect(await pendingFollowUps(payment.id)).toBe(1);
  });

  it("confirms an order Stripe reports paid when the webhook never arrived", async () => {
    const { orderId, payment } = await placeOrder();
    fake.setIntentStatus(payment.providerRef!, "succeeded");
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("confirmed");
    expect(await paymentStatus(payment.id)).toBe("captured");
    expect(await pendingFollowUps(payment.id)).toBe(0);
    const history = await t.app.db.prisma.orderStatusChange.findMany({
      where: { orderId },
      orderBy: { createdAt: "asc" },
    });
    expect(history.at(-1)).toMatchObject({ toStatus: "confirmed", actor: "system:job:payments.followUp" });
  });

  it("cancels the order and releases its stock when Stripe cancelled the payment", async () => {
    const { product, orderId, payment } = await placeOrder(5);
    expect(await availableOf(t, product.id)).toBe(3);
    fake.setIntentStatus(payment.providerRef!, "canceled");
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("cancelled");
    expect(await paymentStatus(payment.id)).toBe("voided");
    expect(await availableOf(t, product.id)).toBe(5);
  });

  it("keeps asking while the payment is pending, then gives up past the timeout (at Stripe too)", async () => {
    const { product, orderId, payment } = await placeOrder(4);
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("pending");
    expect(await pendingFollowUps(payment.id)).toBe(1);

    clockAhead = 2 * HOUR; // two hours later, still not paid
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("cancelled");
    expect(await paymentStatus(payment.id)).toBe("voided");
    expect(await availableOf(t, product.id)).toBe(4);
    expect(
      fake.requests.some((r) => r.method === "POST" && r.path === `/v1/payment_intents/${payment.providerRef}/cancel`),
    ).toBe(true);
    expect(await pendingFollowUps(payment.id)).toBe(0);
  });

  it("leaves an order alone that was settled meanwhile", async () => {
    const { orderId, payment } = await placeOrder();
    await t.request("PATCH", `/api/orders/${orderId}/status`, { body: { status: "cancelled" } });
    fake.setIntentStatus(payment.providerRef!, "succeeded");
    const before = fake.requests.length;
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("cancelled");
    // the payment is still pending in our books, so Stripe is asked; the cancelled order is not revived
    expect(fake.requests.length).toBeGreaterThan(before);
  });
});

/** A request to a server process (ADMIN_KEY unless `key` says otherwise). */
async function call(
  server: ServerProcess,
  method: string,
  route: string,
  body?: unknown,
  key: string | null = ADMIN_KEY,
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers["x-api-key"] = key;
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("payment follow-ups after a crash", () => {
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server) await stopServer(server);
    await database?.drop();
  }, 60_000);

  it("releases the stock of an order whose provider call never finished (the process killed while waiting)", async () => {
    database = await freshDatabase("follow-up");
    const env = {
      ...database.env,
      STRIPE_SECRET_KEY: "sk_test_follow_up",
      STRIPE_WEBHOOK_SECRET: "whsec_follow_up",
      STRIPE_API_BASE: fake.url,
      // the shortest a deployment can set: an unpaid order is looked at and given up a minute after checkout
      PAYMENT_TIMEOUT_MINUTES: "1",
      PAYMENT_FOLLOW_UP_MINUTES: "1",
    };
    server = await startServer(env);
    const send = async (method: string, route: string, body?: unknown, key?: string | null) => {
      const res = await call(server!, method, route, body, key);
      expect(res.status, `${method} ${route}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body?.data;
    };
    await send("PATCH", "/api/store/settings", { paymentProvider: "stripe" });
    const entity = await send("POST", "/api/catalog/entities", {
      type: "product",
      slug: "crash-mug",
      status: "active",
    });
    await send("POST", "/api/pricing/prices", { entityId: entity.id, currency: "USD", amount: 1000 });
    const warehouse = await send("POST", "/api/inventory/warehouses", { code: "WH1", name: "Main" });
    await send("POST", "/api/inventory/adjust", {
      entityId: entity.id,
      warehouseId: warehouse.id,
      type: "restock",
      quantity: 6,
    });
    const available = async () =>
      (await send("GET", `/api/inventory/check?entityIds=${entity.id}`))[0].available as number;
    const cart = await send("POST", "/api/carts", { currency: "USD" }, null);
    await send("POST", `/api/carts/${cart.id}/items`, { entityId: entity.id, quantity: 2 }, null);

    // The order commits, then the process dies while Stripe has not answered the PaymentIntent creation.
    const stripe = fake.holdPaymentIntentCreates();
    const held = stripe.held();
    const victim = server;
    const checkout = call(victim, "POST", "/api/checkout", checkoutBody(cart.id), null).catch(() => null);
    const orderId = (await held).params.get("metadata[orderId]")!;
    victim.child.kill("SIGKILL");
    await victim.exited;
    stripe.restore();
    expect(await checkout).toBeNull(); // the shopper got no answer
    const askedBeforeRestart = fake.requests.length;

    server = await startServer(env);
    const order = await send("GET", `/api/orders/${orderId}`);
    expect(order.status).toBe("pending");
    expect(order.payments).toEqual([expect.objectContaining({ status: "pending", providerRef: null })]);
    expect(await available()).toBe(4);

    // The follow-up committed with the order runs once it is due (a minute after checkout) and gives it up.
    const deadline = Date.now() + 5 * 60_000;
    let current = order;
    while (current.status === "pending" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await send("GET", "/api/jobs/run?queue=default&limit=100");
      current = await send("GET", `/api/orders/${orderId}`);
    }
    expect(current.status).toBe("cancelled");
    expect(current.payments).toEqual([expect.objectContaining({ status: "failed", providerRef: null })]);
    expect(await available()).toBe(6);
    // Nothing was made at Stripe, so nothing is asked of it after the crash.
    expect(fake.requests.length).toBe(askedBeforeRestart);
  }, 600_000);
});

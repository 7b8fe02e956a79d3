import { afterAll, describe, expect, it } from "vitest";
import { PAYMENT_FOLLOW_UP_JOB } from "../../../src/domain/payments/follow-up.js";
import { useTestApp } from "../../helpers/app.js";
import { availableOf, cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";

/**
 * Payment follow-ups: the job every checkout schedules in its transaction, so an order never waits for
 * a payment forever, whether the provider's webhook was lost or the process died before the provider call.
 */
const fake = await startFakeStripe();
const HOUR = 3_600_000;
const t = useTestApp({
  stripeSecretKey: "sk_test_follow_up",
  stripeWebhookSecret: "whsec_follow_up",
  stripeApiBase: fake.url,
  // looked at again at once (so tests need not wait), given up after an hour
  paymentFollowUp: { timeoutMs: HOUR, intervalMs: 0 },
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

    await t.app.db.prisma.payment.update({
      where: { id: payment.id },
      data: { createdAt: new Date(Date.now() - 2 * HOUR) },
    });
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("cancelled");
    expect(await paymentStatus(payment.id)).toBe("voided");
    expect(await availableOf(t, product.id)).toBe(4);
    expect(
      fake.requests.some((r) => r.method === "POST" && r.path === `/v1/payment_intents/${payment.providerRef}/cancel`),
    ).toBe(true);
    expect(await pendingFollowUps(payment.id)).toBe(0);
  });

  it("releases the stock of an order whose provider call never happened (a crash after commit)", async () => {
    const { product, orderId, payment } = await placeOrder(6);
    await t.app.db.prisma.payment.update({
      where: { id: payment.id },
      data: { providerRef: null, createdAt: new Date(Date.now() - 2 * HOUR) },
    });
    await runFollowUps();
    expect(await orderStatus(orderId)).toBe("cancelled");
    expect(await paymentStatus(payment.id)).toBe("failed");
    expect(await availableOf(t, product.id)).toBe(6);
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

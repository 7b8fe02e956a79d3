import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody } from "../../helpers/commerce.js";
import { REFUSED_ACCOUNT, startFakeStripe } from "../../helpers/fake-stripe.js";
import { approvedVendor, type TestVendor, vendorProduct } from "../../helpers/marketplace.js";

// Payouts through Stripe Connect: the real stripe SDK talks to the fake Stripe of test/helpers.
const fake = await startFakeStripe();
const t: TestApp = useTestApp({
  stripeSecretKey: "sk_test_connect",
  stripeApiBase: fake.url,
  marketplace: { holdHours: 0, stripeConnect: true },
});
beforeAll(async () => {
  // Stripe configured makes it the store's checkout provider; these buyers pay by hand (the merchant captures).
  const settings = await t.request("PATCH", "/api/store/settings", { body: { paymentProvider: "manual" } });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
});
afterAll(() => fake.close());

let seq = 0;

/** Sets (or clears) the vendor's connected Stripe account through the admin's vendor PATCH (metadata.stripeAccountId). */
async function connectAccount(vendor: TestVendor, account: string | null) {
  const res = await t.request("PATCH", `/api/marketplace/vendors/${vendor.id}`, {
    body: { metadata: account ? { stripeAccountId: account } : {} },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.data.metadata).toEqual(account ? { stripeAccountId: account } : {});
}

/** An approved vendor (with `account` connected, if given) with one delivered sale, so a payable balance. */
async function vendorWithDeliveredSale(price: number, account: string | null) {
  const vendor = await approvedVendor(t);
  if (account) await connectAccount(vendor, account);
  const entityId = await vendorProduct(t, vendor, { price });
  const cartId = await cartWith(t, [{ entityId, quantity: 1 }]);
  const placed = await t.request("POST", "/api/checkout", { body: checkoutBody(cartId) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const captured = await t.request("POST", `/api/orders/${placed.body.data.id}/payment/capture`, { body: {} });
  expect(captured.status, JSON.stringify(captured.body)).toBeLessThan(300);
  const as = { key: vendor.key };
  const [sub] = (await t.request("GET", "/api/marketplace/vendor/me/orders", as)).body.data;
  for (const [step, body] of [
    ["confirm", {}],
    ["ship", { carrier: "UPS", trackingNumber: `1Z${++seq}` }],
    ["deliver", {}],
  ] as const) {
    const res = await t.request("POST", `/api/marketplace/vendor/me/orders/${sub.id}/${step}`, { ...as, body });
    expect(res.status, `${step}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  const balance = await balanceOf(vendor);
  expect(balance.payable).toBeGreaterThan(0);
  return { vendor, payable: balance.payable as number };
}

async function balanceOf(vendor: TestVendor) {
  const res = await t.request("GET", `/api/marketplace/vendors/${vendor.id}/balance`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data[0] as { currency: string; balance: number; payable: number; pending: number };
}

/** Runs payouts and returns this vendor's payouts from the run (the run pays every vendor; other tests' too). */
async function runFor(vendor: TestVendor) {
  const run = await t.request("POST", "/api/marketplace/payouts/run", { body: {} });
  expect(run.status, JSON.stringify(run.body)).toBe(200);
  return (run.body.data as Payout[]).filter((p) => p.vendorId === vendor.id);
}

async function payoutsOf(vendor: TestVendor) {
  const res = await t.request("GET", `/api/marketplace/payouts?vendorId=${vendor.id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Payout[];
}

interface Payout {
  id: string;
  vendorId: string;
  amount: number;
  currency: string;
  status: string;
  provider: string;
  providerRef: string | null;
  failureReason: string | null;
}

const retry = (id: string) => t.request("POST", `/api/marketplace/payouts/${id}/retry`, { body: {} });
const transferCalls = (payoutId: string) =>
  fake.requests.filter((r) => r.path === "/v1/transfers" && r.idempotencyKey === `payout:${payoutId}`);
const transfersTo = (account: string) => [...fake.transfers.values()].filter((tr) => tr.destination === account);

describe("payouts through Stripe Connect", () => {
  it("a run creates a Stripe transfer to the vendor's connected account and records its id", async () => {
    const { vendor, payable } = await vendorWithDeliveredSale(4250, "acct_vendor_ok");
    const [payout] = await runFor(vendor);
    expect(payout).toMatchObject({
      status: "paid",
      provider: "stripe_connect",
      amount: payable,
      currency: "USD",
      providerRef: expect.stringMatching(/^tr_/),
      failureReason: null,
    });

    const [call] = transferCalls(payout!.id);
    expect(call!.params.get("amount")).toBe(String(payable));
    expect(call!.params.get("currency")).toBe("usd");
    expect(call!.params.get("destination")).toBe("acct_vendor_ok");
    expect(call!.params.get("metadata[payoutId]")).toBe(payout!.id);
    const transfer = fake.transfers.get(payout!.providerRef!);
    expect(transfer).toMatchObject({ amount: payable, currency: "usd", destination: "acct_vendor_ok" });

    expect(await balanceOf(vendor)).toMatchObject({ balance: 0, payable: 0 });
    expect(await runFor(vendor)).toEqual([]);
    expect(transfersTo("acct_vendor_ok")).toHaveLength(1);
    // A paid payout is not retried.
    const again = await retry(payout!.id);
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(transfersTo("acct_vendor_ok")).toHaveLength(1);
  });

  it("a vendor without a connected account: the payout fails with a reason, the money stays reserved, a retry pays once connected", async () => {
    const { vendor, payable } = await vendorWithDeliveredSale(1999, null);
    const [failed] = await runFor(vendor);
    expect(failed).toMatchObject({
      status: "failed",
      amount: payable,
      providerRef: null,
      failureReason: expect.stringMatching(/no connected Stripe account/),
    });
    expect(transferCalls(failed!.id)).toHaveLength(0);

    // The payout's ledger debit stays while it is failed: the balance shows 0 (the money is reserved for the
    // retry, not payable again), and a second run pays nothing more.
    expect(await balanceOf(vendor)).toMatchObject({ balance: 0, payable: 0 });
    expect(await runFor(vendor)).toEqual([]);
    expect(await payoutsOf(vendor)).toHaveLength(1);

    // Retrying before the vendor has an account fails again, still clearly.
    const early = await retry(failed!.id);
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect(early.body.data).toMatchObject({
      status: "failed",
      failureReason: expect.stringMatching(/no connected Stripe account/),
    });

    await connectAccount(vendor, "acct_vendor_late");
    const paid = await retry(failed!.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.data).toMatchObject({
      id: failed!.id,
      status: "paid",
      amount: payable,
      providerRef: expect.stringMatching(/^tr_/),
      failureReason: null,
    });
    expect(transfersTo("acct_vendor_late")).toEqual([
      expect.objectContaining({ id: paid.body.data.providerRef, amount: payable }),
    ]);
    // Paid once, debited once.
    expect(await balanceOf(vendor)).toMatchObject({ balance: 0, payable: 0 });

    const twice = await retry(failed!.id);
    expect(twice.status, JSON.stringify(twice.body)).toBe(409);
    expect(transfersTo("acct_vendor_late")).toHaveLength(1);
  });

  it("an account Stripe refuses: failed with Stripe's reason; a retry after the vendor fixes its account pays", async () => {
    const { vendor, payable } = await vendorWithDeliveredSale(1200, REFUSED_ACCOUNT);
    const [failed] = await runFor(vendor);
    expect(failed).toMatchObject({ status: "failed", failureReason: expect.stringMatching(/No such destination/) });
    expect(transferCalls(failed!.id)).toHaveLength(1);

    await connectAccount(vendor, "acct_vendor_fixed");
    const paid = await retry(failed!.id);
    expect(paid.body.data).toMatchObject({
      status: "paid",
      amount: payable,
      providerRef: expect.stringMatching(/^tr_/),
    });
    expect(transfersTo("acct_vendor_fixed")).toHaveLength(1);
  });

  it("a retry after a transfer whose response was lost does not pay twice (idempotency key payout:<id>)", async () => {
    const { vendor, payable } = await vendorWithDeliveredSale(3050, "acct_vendor_lost");
    const lost = fake.loseTransferResponses();
    const [failed] = await runFor(vendor);
    lost.restore();
    expect(failed).toMatchObject({ status: "failed", providerRef: null, failureReason: expect.any(String) });
    // Stripe did make the transfer; the SDK's own retry of the closed connection reused the key and made no second one.
    const made = transfersTo("acct_vendor_lost");
    expect(made).toEqual([
      expect.objectContaining({ amount: payable, metadata: expect.objectContaining({ payoutId: failed!.id }) }),
    ]);
    expect(transferCalls(failed!.id).length).toBeGreaterThanOrEqual(1);

    const paid = await retry(failed!.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    // The retry got the same transfer back: one transfer at Stripe, its id recorded.
    expect(paid.body.data).toMatchObject({ status: "paid", amount: payable, providerRef: made[0]!.id });
    expect(transfersTo("acct_vendor_lost")).toHaveLength(1);
    expect(new Set(transferCalls(failed!.id).map((r) => r.params.toString())).size).toBe(1);
    expect(await balanceOf(vendor)).toMatchObject({ balance: 0, payable: 0 });
  });
});

describe("the payout account", () => {
  it("is set by the marketplace admin only: a vendor key cannot point its payouts elsewhere", async () => {
    const vendor = await approvedVendor(t);
    await connectAccount(vendor, "acct_vendor_own");
    const redirect = await t.request("PATCH", "/api/marketplace/vendor/me", {
      key: vendor.key,
      body: { metadata: { stripeAccountId: "acct_attacker" } },
    });
    expect(redirect.status, JSON.stringify(redirect.body)).toBe(422);
    expect(redirect.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "metadata.stripeAccountId" })]),
    );
    // Other metadata stays the vendor's own, as long as the account is left as it is.
    const kept = await t.request("PATCH", "/api/marketplace/vendor/me", {
      key: vendor.key,
      body: { metadata: { stripeAccountId: "acct_vendor_own", note: "hi" } },
    });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    const after = await t.request("GET", `/api/marketplace/vendors/${vendor.id}`);
    expect(after.body.data.metadata.stripeAccountId).toBe("acct_vendor_own");
  });
});

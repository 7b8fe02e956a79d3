import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../../helpers/app.js";
import { checkoutBody } from "../../helpers/commerce.js";
import { approvedVendor, registerVendor, type TestVendor, vendorProduct } from "../../helpers/marketplace.js";

// The public catalog (anonymous and publishable-key reads, search, suggestions, GraphQL) shows platform
// products and those of approved vendors only. The anonymous reads go through the public response cache,
// so these also prove a vendor's suspension drops the cached answers.
const t: TestApp = useTestApp();
let publishableKey: string;
beforeAll(async () => {
  const res = await t.request("POST", "/api/api-keys", { body: { name: "storefront", kind: "publishable" } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  publishableKey = res.body.data.secret;
});

type Caller = { key: string | null };
const callers = (): [string, Caller][] => [
  ["anonymous", { key: null }],
  ["publishable key", { key: publishableKey }],
];

/** What a shopper sees of one product: in the list, its detail, search and suggestions, and GraphQL. */
async function publicView(caller: Caller, entityId: string, word: string) {
  const list = await t.request("GET", "/api/catalog/entities?limit=100", caller);
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  const detail = await t.request("GET", `/api/catalog/entities/${entityId}`, caller);
  const search = await t.request("GET", `/api/search?q=${word}`, caller);
  expect(search.status, JSON.stringify(search.body)).toBe(200);
  const suggest = await t.request("GET", `/api/search/suggest?prefix=${word}`, caller);
  expect(suggest.status, JSON.stringify(suggest.body)).toBe(200);
  const graphql = await t.graphql(
    `query($id: ID!) { catalogEntity(id: $id) { id } }`,
    { id: entityId },
    caller.key ?? null,
  );
  expect(graphql.body.errors, JSON.stringify(graphql.body)).toBeUndefined();
  return {
    listed: list.body.data.some((e: { id: string }) => e.id === entityId),
    detail: detail.status,
    searched: search.body.data.some((hit: { entity: { id: string } }) => hit.entity.id === entityId),
    suggested: suggest.body.data.some((s: { entityId: string }) => s.entityId === entityId),
    graphql: graphql.body.data.catalogEntity?.id === entityId,
  };
}

const VISIBLE = { listed: true, detail: 200, searched: true, suggested: true, graphql: true };
const HIDDEN = { listed: false, detail: 404, searched: false, suggested: false, graphql: false };

async function move(vendor: { id: string }, action: string, body: Record<string, unknown> = {}) {
  const res = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/${action}`, { body });
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
}

describe("public catalog and vendor status", () => {
  it("a suspended vendor's products leave the public catalog and come back on reinstatement", async () => {
    const vendor: TestVendor = await approvedVendor(t);
    const id = await vendorProduct(t, vendor, { slug: "zephyrlamp-one" });
    const other = await approvedVendor(t);
    const untouched = await vendorProduct(t, other, { slug: "zephyrlamp-two" });

    for (const [name, caller] of callers()) expect(await publicView(caller, id, "zephyrlamp"), name).toEqual(VISIBLE);

    await move(vendor, "suspend", { reason: "Late shipments" });
    for (const [name, caller] of callers()) {
      expect(await publicView(caller, id, "zephyrlamp"), name).toEqual(HIDDEN);
      // Another vendor's products stay.
      expect(await publicView(caller, untouched, "zephyrlamp"), name).toEqual(VISIBLE);
    }
    // Nor can a shopper put it in a cart.
    const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    const add = () =>
      t.request("POST", `/api/carts/${cart.body.data.id}/items`, { key: null, body: { entityId: id, quantity: 1 } });
    const refused = await add();
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "entityId", code: "not_found" })]);
    // The merchant still sees it (every status); the suspended vendor's own key too.
    expect((await t.request("GET", `/api/catalog/entities/${id}`)).status).toBe(200);
    expect((await t.request("GET", `/api/catalog/entities/${id}`, { key: vendor.key })).status).toBe(200);

    await move(vendor, "reinstate");
    for (const [name, caller] of callers()) expect(await publicView(caller, id, "zephyrlamp"), name).toEqual(VISIBLE);
    const added = await add();
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);

    // Already in a cart when the vendor is suspended: checkout refuses it, nothing is ordered.
    await move(vendor, "suspend", { reason: "Late shipments" });
    const checkout = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cart.body.data.id) });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(422);
    expect(checkout.body.error.code).toBe("CHECKOUT_FAILED");
    expect(JSON.stringify(checkout.body)).toContain("zephyrlamp-one");
    expect((await t.request("GET", `/api/carts/${cart.body.data.id}`, { key: null })).body.data.status).toBe("active");
  });

  it("a rejected (or still pending) vendor's products are never public", async () => {
    // A pending vendor cannot add products itself; the merchant may assign one to it.
    const pending = await registerVendor(t);
    const created = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: "quillbrush-one", status: "active", vendorId: pending.id },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data.vendorId).toBe(pending.id);
    const id = created.body.data.id as string;
    const titled = await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, {
      body: { title: "Quillbrush deluxe" },
    });
    expect(titled.status, JSON.stringify(titled.body)).toBeLessThan(300);
    for (const [name, caller] of callers()) expect(await publicView(caller, id, "quillbrush"), name).toEqual(HIDDEN);

    await move(pending, "reject", { reason: "Incomplete documents" });
    for (const [name, caller] of callers()) expect(await publicView(caller, id, "quillbrush"), name).toEqual(HIDDEN);
    expect((await t.request("GET", `/api/catalog/entities/${id}`)).status).toBe(200);
  });
});

import { describe, expect, it } from "vitest";
import { mainDialect } from "../../../src/rest/dialects/main/index.js";
import { marketplaceVendorRoutes } from "../../../src/rest/dialects/main/marketplace-vendors.js";
import { type TestApp, useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import {
  approvedVendor,
  approveVendor,
  deliveredPurchase,
  registerVendor,
  type TestVendor,
  uploadDocument,
  vendorKey,
  vendorProduct,
} from "../../helpers/marketplace.js";
import { mainWarehouse } from "../../helpers/post-purchase.js";
import { buyAndReceive } from "../../helpers/storefront.js";

const t = useTestApp();

describe("vendor lifecycle", () => {
  it("registers pending, approves, suspends, reinstates; an illegal move is 409 with the allowed ones", async () => {
    const vendor = await registerVendor(t, { name: "Lifecycle Gear", email: "Sales@Lifecycle.example" });
    const shown = await t.request("GET", `/api/marketplace/vendors/${vendor.id}`);
    expect(shown.body.data).toMatchObject({
      status: "pending",
      slug: "lifecycle-gear",
      email: "sales@lifecycle.example",
    });

    const suspendPending = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/suspend`, { body: {} });
    expect(suspendPending.status).toBe(409);
    expect(suspendPending.body.error.details).toMatchObject({
      currentStatus: "pending",
      requestedStatus: "suspended",
      allowedStatuses: ["approved", "rejected"],
    });

    await approveVendor(t, vendor.id);
    const suspended = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/suspend`, {
      body: { reason: "Late shipments" },
    });
    expect(suspended.body.data.status).toBe("suspended");
    const approveSuspended = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/approve`, { body: {} });
    expect(approveSuspended.status).toBe(409);
    expect(approveSuspended.body.error.details.allowedStatuses).toEqual(["approved"]);
    const reinstated = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reinstate`, { body: {} });
    expect(reinstated.body.data.status).toBe("approved");

    const audit = await t.request("GET", `/api/audit/vendor/${vendor.id}`);
    expect(audit.body.data.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(["vendor.registered", "vendor.approved", "vendor.suspended", "vendor.reinstated"]),
    );
  });

  it("rejects with a reason (required) and lists by status", async () => {
    const vendor = await registerVendor(t);
    const noReason = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reject`, { body: {} });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details.map((d: { path: string }) => d.path)).toContain("reason");
    const rejected = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reject`, {
      body: { reason: "No licence" },
    });
    expect(rejected.body.data).toMatchObject({ status: "rejected", rejectionReason: "No licence" });
    const list = await t.request("GET", "/api/marketplace/vendors?status=rejected&limit=100");
    expect(list.body.data.map((v: { id: string }) => v.id)).toContain(vendor.id);
    expect(list.body.data.every((v: { status: string }) => v.status === "rejected")).toBe(true);
    expect(list.body.meta.pagination).toMatchObject({ page: 1 });
  });

  it("needs marketplace:admin to approve; the public sees approved vendors only, without private fields", async () => {
    const pending = await registerVendor(t);
    const catalogKey = await t.createKey(["catalog:*"]);
    expect(
      (await t.request("POST", `/api/marketplace/vendors/${pending.id}/approve`, { key: catalogKey, body: {} })).status,
    ).toBe(403);
    expect(
      (await t.request("POST", `/api/marketplace/vendors/${pending.id}/approve`, { key: null, body: {} })).status,
    ).toBe(401);
    expect((await t.request("GET", `/api/marketplace/vendors/${pending.id}`, { key: null })).status).toBe(404);
    await approveVendor(t, pending.id);
    const publicView = await t.request("GET", `/api/marketplace/vendors/${pending.id}`, { key: null });
    expect(publicView.status).toBe(200);
    expect(publicView.body.data).toMatchObject({ id: pending.id, status: "approved", email: null, metadata: null });
  });
});

describe("vendor keys and vendor products", () => {
  it("a vendor key's entity is its own whatever vendorId it sends; a merchant may set any", async () => {
    const a = await approvedVendor(t);
    const b = await approvedVendor(t);
    const created = await t.request("POST", "/api/catalog/entities", {
      key: a.key,
      body: { type: "product", slug: `own-${a.slug}`, vendorId: b.id },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.vendorId).toBe(a.id);
    const byMerchant = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: `merchant-${b.slug}`, vendorId: b.id },
    });
    expect(byMerchant.body.data.vendorId).toBe(b.id);
    const platform = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: `platform-${b.slug}` },
    });
    expect(platform.body.data.vendorId).toBeNull();
  });

  it("a vendor key holds only its vendor's catalog, prices and stock, whatever permissions it names", async () => {
    const vendor = await approvedVendor(t);
    const everything = await vendorKey(t, vendor.id, ["*:*"]);
    for (const [method, path] of [
      ["GET", "/api/orders"],
      ["GET", "/api/admin/jobs/failed"],
      ["GET", "/api/webhooks"],
      ["GET", "/api/api-keys"],
      ["GET", "/api/audit"],
    ] as const) {
      expect((await t.request(method, path, { key: everything })).status, path).toBe(403);
    }
    expect(
      (await t.request("POST", `/api/marketplace/vendors/${vendor.id}/suspend`, { key: everything, body: {} })).status,
    ).toBe(403);
    expect(
      (await t.request("POST", "/api/catalog/categories", { key: everything, body: { name: "Vendor made" } })).status,
    ).toBe(403);
    const own = await t.request("POST", "/api/catalog/entities", {
      key: everything,
      body: { type: "product", slug: `star-${vendor.slug}` },
    });
    expect(own.status).toBe(201);
    expect(own.body.data.vendorId).toBe(vendor.id);
  });

  it("a pending vendor cannot add products yet", async () => {
    const pending = await registerVendor(t);
    const key = await vendorKey(t, pending.id);
    const refused = await t.request("POST", "/api/catalog/entities", {
      key,
      body: { type: "product", slug: `early-${pending.slug}` },
    });
    expect(refused.status).toBe(409);
  });

  it("a vendor lists only its own entities, drafts included", async () => {
    const a = await approvedVendor(t);
    const b = await approvedVendor(t);
    const aProduct = await vendorProduct(t, a);
    const bProduct = await vendorProduct(t, b);
    const aDraft = await t.request("POST", "/api/catalog/entities", {
      key: a.key,
      body: { type: "product", slug: `draft-${a.slug}` },
    });
    const listed = await t.request("GET", "/api/catalog/entities?limit=100", { key: a.key });
    const ids = listed.body.data.map((e: { id: string }) => e.id);
    expect(ids).toEqual(expect.arrayContaining([aProduct, aDraft.body.data.id]));
    expect(ids).not.toContain(bProduct);
    expect(listed.body.data.every((e: { vendorId: string }) => e.vendorId === a.id)).toBe(true);
  });
});

/** Vendor A with everything a vendor owns: a product (variant, price, stock), an option type, a document, a review. */
async function vendorWithEverything(t: TestApp) {
  const vendor = await approvedVendor(t, { phone: "+1 555 0100", metadata: { iban: "secret-iban" } });
  const entityId = await vendorProduct(t, vendor, { price: 2500, stock: 7 });
  const as = { key: vendor.key };
  // Bought and delivered before it has variants (a line then needs one).
  const buyer = await signUp(t, { name: "Bea Buyer" });
  await deliveredPurchase(t, buyer, vendor, [entityId]);
  const option = await t.request("POST", `/api/catalog/entities/${entityId}/options`, {
    ...as,
    body: { name: "Size", values: [{ value: "m" }] },
  });
  expect(option.status, JSON.stringify(option.body)).toBe(201);
  const variant = await t.request("POST", `/api/catalog/entities/${entityId}/variants`, {
    ...as,
    body: { sku: `A-${vendor.slug}-M`, optionValueIds: [option.body.data.values[0].id] },
  });
  expect(variant.status, JSON.stringify(variant.body)).toBe(201);
  const prices = await t.request("GET", `/api/pricing/prices?entityId=${entityId}`, as);
  const document = await uploadDocument(t, vendor.id, { key: vendor.key });
  expect(document.status, JSON.stringify(document.body)).toBe(201);
  const review = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reviews`, {
    ...buyer.as,
    body: { rating: 4, body: "Good" },
  });
  expect(review.status, JSON.stringify(review.body)).toBe(201);
  return {
    vendor,
    entityId,
    optionTypeId: option.body.data.id as string,
    variantId: variant.body.data.id as string,
    priceId: prices.body.data[0].id as string,
    documentId: document.body.data.id as string,
    assetId: document.body.data.mediaAssetId as string,
    reviewId: review.body.data.id as string,
    buyer,
  };
}

/** All that vendor A owns, as the admin sees it: a refused request must leave every bit of it as it was. */
async function snapshotOf(t: TestApp, a: Awaited<ReturnType<typeof vendorWithEverything>>) {
  const get = async (path: string) => {
    const res = await t.request("GET", path);
    expect(res.status, path).toBe(200);
    return res.body.data;
  };
  return {
    vendor: await get(`/api/marketplace/vendors/${a.vendor.id}`),
    // Signed download links carry their own expiry: everything else of a document must be as it was.
    documents: (await get(`/api/marketplace/vendors/${a.vendor.id}/documents`)).map(
      ({ downloadUrl: _url, ...rest }: { downloadUrl: string }) => rest,
    ),
    reviews: await get(`/api/marketplace/vendors/${a.vendor.id}/reviews`),
    entity: await get(
      `/api/catalog/entities/${a.entityId}?include=attributes,variants,inventory,pricing,media,categories,brands`,
    ),
  };
}

describe("vendor isolation: vendor B's key against vendor A", () => {
  it("reads and changes nothing of A on any catalog, pricing, inventory, media, search or marketplace route", async () => {
    const a = await vendorWithEverything(t);
    const b: TestVendor = await approvedVendor(t);
    const bStrongest = await vendorKey(t, b.id, ["*:*"]);
    await vendorProduct(t, b);
    const before = await snapshotOf(t, a);
    const warehouseId = await mainWarehouse(t);
    const category = (await t.request("POST", "/api/catalog/categories", { body: { name: `Walk ${a.vendor.slug}` } }))
      .body.data;

    const secrets = [
      a.entityId,
      a.variantId,
      a.priceId,
      a.optionTypeId,
      a.documentId,
      a.assetId,
      a.reviewId,
      a.vendor.id,
      "secret-iban",
      "+1 555 0100",
    ];
    const params: Record<string, (path: string) => string> = {
      id: (path) =>
        path.startsWith("/pricing/prices")
          ? a.priceId
          : path.startsWith("/media")
            ? a.assetId
            : path.startsWith("/marketplace")
              ? a.vendor.id
              : a.entityId,
      idOrSlug: () => a.entityId,
      optionTypeId: () => a.optionTypeId,
      docId: () => a.documentId,
      reviewId: () => a.reviewId,
      locale: () => "en",
      categoryId: () => category.id,
      brandId: () => category.id,
      customerId: () => a.buyer.id,
    };
    const body = {
      entityId: a.entityId,
      entityIds: [a.entityId],
      variantId: a.variantId,
      warehouseId,
      mediaAssetId: a.assetId,
      role: "gallery",
      type: "restock",
      quantity: 1,
      currency: "USD",
      amount: 1,
      title: "Taken over",
      name: "Taken over",
      slug: `walk-${b.slug}`,
      sku: `WALK-${b.slug}`,
      values: [{ value: "xl" }],
      value: "xl",
      rating: 1,
      body: "Bad",
      reply: "Not mine",
      hidden: true,
      reason: "Because",
      description: "Taken over",
      status: "archived",
      vendorId: a.vendor.id,
      optionValueIds: [],
      kind: "tax_id",
      reservationId: a.entityId,
      query: "Title",
      prefix: "Title",
    };
    const prefixes = ["/catalog", "/pricing", "/inventory", "/media", "/search", "/marketplace"];
    const routes = mainDialect.routes.filter((r) => prefixes.some((p) => r.path.startsWith(p)));
    // Every route of our own table is walked, so a new marketplace route is walked too.
    for (const own of marketplaceVendorRoutes) expect(routes).toContain(own);
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) =>
        (params[name] ?? (() => a.entityId))(route.path),
      );
      const url = `/api${path}${route.method === "GET" ? `?entityId=${a.entityId}&q=Title&query=Title&prefix=Title&include=variants,pricing,inventory&entityIds=${a.entityId}` : ""}`;
      for (const key of [b.key, bStrongest]) {
        const res = await t.request(route.method, url, {
          key,
          ...(route.method === "GET" || route.method === "DELETE" ? {} : { body }),
        });
        const label = `${route.method} ${route.path} -> ${res.status}`;
        expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (res.status < 300) {
          const text = JSON.stringify(res.body);
          for (const secret of secrets)
            expect(text.includes(secret), `${label} leaks ${secret}: ${text.slice(0, 300)}`).toBe(false);
        }
      }
    }
    // The document upload route with a real file (the walk sent JSON).
    expect((await uploadDocument(t, a.vendor.id, { key: b.key })).status).toBe(404);
    // B cannot show A's verification document on B's own product.
    const bEntity = (await t.request("GET", "/api/catalog/entities?limit=1", { key: b.key })).body.data[0].id;
    expect(
      (
        await t.request("POST", "/api/media/attach", {
          key: b.key,
          body: { entityId: bEntity, mediaAssetId: a.assetId, role: "gallery" },
        })
      ).status,
    ).toBe(404);
    expect(await snapshotOf(t, a)).toEqual(before);
  });

  it("A's vendor key reaches A's own things on the same routes", async () => {
    const a = await vendorWithEverything(t);
    const as = { key: a.vendor.key };
    expect((await t.request("GET", `/api/catalog/entities/${a.entityId}`, as)).status).toBe(200);
    expect(
      (
        await t.request("PATCH", `/api/catalog/entities/${a.entityId}`, {
          ...as,
          body: { metadata: { colour: "red" } },
        })
      ).body.data.metadata,
    ).toEqual({ colour: "red" });
    expect(
      (await t.request("PATCH", `/api/pricing/prices/${a.priceId}`, { ...as, body: { amount: 2600 } })).body.data
        .amount,
    ).toBe(2600);
    expect(
      (await t.request("GET", `/api/marketplace/vendors/${a.vendor.id}/documents`, as)).body.data.map(
        (d: { id: string }) => d.id,
      ),
    ).toEqual([a.documentId]);
    const me = await t.request("GET", "/api/marketplace/vendor/me", as);
    expect(me.body.data).toMatchObject({ id: a.vendor.id, phone: "+1 555 0100", metadata: { iban: "secret-iban" } });
    const replied = await t.request("PATCH", `/api/marketplace/vendors/${a.vendor.id}/reviews/${a.reviewId}`, {
      ...as,
      body: { reply: "Thanks!" },
    });
    expect(replied.body.data).toMatchObject({ reply: "Thanks!", hidden: false });
    const hideByVendor = await t.request("PATCH", `/api/marketplace/vendors/${a.vendor.id}/reviews/${a.reviewId}`, {
      ...as,
      body: { hidden: true },
    });
    expect(hideByVendor.status).toBe(422);
  });
});

describe("documents and reviews", () => {
  it("uploads documents through media storage; the admin approves and rejects them (409 past the table)", async () => {
    const vendor = await registerVendor(t);
    const uploaded = await uploadDocument(t, vendor.id, { kind: "tax_id" });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body.data).toMatchObject({ kind: "tax_id", status: "pending", contentType: "application/pdf" });
    const download = await t.app.fetch(
      new Request(
        `http://localhost${new URL(uploaded.body.data.downloadUrl, "http://localhost").pathname}${new URL(uploaded.body.data.downloadUrl, "http://localhost").search}`,
      ),
    );
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString("latin1")).toContain("%PDF-1.7");
    const base = `/api/marketplace/vendors/${vendor.id}/documents/${uploaded.body.data.id}`;
    expect((await t.request("POST", `${base}/reject`, { body: {} })).status).toBe(422);
    expect((await t.request("POST", `${base}/approve`, { body: {} })).body.data.status).toBe("approved");
    const again = await t.request("POST", `${base}/approve`, { body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ currentStatus: "approved", allowedStatuses: ["rejected"] });
    expect((await t.request("POST", `${base}/reject`, { body: { reason: "Blurry" } })).body.data).toMatchObject({
      status: "rejected",
      reason: "Blurry",
    });
    const bad = await uploadDocument(t, vendor.id, { bytes: Buffer.from("just text") });
    expect(bad.status).toBe(422);
  });

  it("only a buyer with a delivered purchase reviews a vendor, once; the admin hides; the public list is paginated", async () => {
    const vendor = await approvedVendor(t);
    const entityId = await vendorProduct(t, vendor);
    const stranger = await signUp(t);
    const refused = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reviews`, {
      ...stranger.as,
      body: { rating: 5 },
    });
    expect(refused.status).toBe(403);
    const notDelivered = await signUp(t);
    await buyAndReceive(t, notDelivered, [entityId], { ship: false });
    expect(
      (
        await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reviews`, {
          ...notDelivered.as,
          body: { rating: 5 },
        })
      ).status,
    ).toBe(403);
    expect(
      (await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reviews`, { key: null, body: { rating: 5 } }))
        .status,
    ).toBe(401);

    const buyers = [await signUp(t, { name: "First" }), await signUp(t, { name: "Second" })];
    const ids: string[] = [];
    for (const [i, buyer] of buyers.entries()) {
      await deliveredPurchase(t, buyer, vendor, [entityId]);
      const created = await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reviews`, {
        ...buyer.as,
        body: { rating: 4 + i, body: `Review ${i}` },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids.push(created.body.data.id);
    }
    expect(
      (
        await t.request("POST", `/api/marketplace/vendors/${vendor.id}/reviews`, {
          ...buyers[0]!.as,
          body: { rating: 1 },
        })
      ).status,
    ).toBe(409);
    const page = await t.request("GET", `/api/marketplace/vendors/${vendor.id}/reviews?limit=1`, { key: null });
    expect(page.body.data).toHaveLength(1);
    expect(page.body.meta.pagination).toMatchObject({ total: 2 });
    const hidden = await t.request("PATCH", `/api/marketplace/vendors/${vendor.id}/reviews/${ids[0]}`, {
      body: { hidden: true },
    });
    expect(hidden.body.data.hidden).toBe(true);
    const publicList = await t.request("GET", `/api/marketplace/vendors/${vendor.id}/reviews`, { key: null });
    expect(publicList.body.data.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    const mine = await t.request("GET", "/api/marketplace/vendor/me/reviews", { key: vendor.key });
    expect(mine.body.data.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
    const shown = await t.request("GET", `/api/marketplace/vendors/${vendor.id}`, { key: null });
    expect(shown.body.data.rating).toEqual({ average: 5, count: 1 });
    expect(
      (
        await t.request("PATCH", `/api/marketplace/vendors/${vendor.id}/reviews/${ids[1]}`, {
          ...buyers[1]!.as,
          body: { hidden: true },
        })
      ).status,
    ).toBe(403);
  });

  it("a signed-in customer registers a vendor and then acts as its staff", async () => {
    const owner = await signUp(t, { name: "Olga Owner" });
    const registered = await t.request("POST", "/api/marketplace/vendors", {
      ...owner.as,
      body: { name: "Olga's Shop", email: "olga@example.com" },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const me = await t.request("GET", "/api/marketplace/vendor/me", owner.as);
    expect(me.body.data).toMatchObject({ id: registered.body.data.id, status: "pending" });
    expect(
      (
        await t.request("POST", "/api/marketplace/vendors", {
          ...owner.as,
          body: { name: "Second", email: "o2@example.com" },
        })
      ).status,
    ).toBe(403);
    await approveVendor(t, registered.body.data.id);
    const product = await t.request("POST", "/api/catalog/entities", {
      ...owner.as,
      body: { type: "product", slug: "olgas-tote" },
    });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    expect(product.body.data.vendorId).toBe(registered.body.data.id);
    expect((await t.request("GET", "/api/marketplace/vendor/me", { key: null })).status).toBe(401);
    expect((await t.request("GET", "/api/marketplace/vendor/me")).status).toBe(403);
  });
});

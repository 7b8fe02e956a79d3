import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import { buyAndReceive, ok, product } from "../../helpers/storefront.js";

const t = useTestApp();

const review = { rating: 4, title: "Solid", text: "Does what it says." };

describe("product reviews: customers who received a product review it once; merchants moderate", () => {
  it("refuses a customer without a delivered line (403), accepts one after delivery (201, pending), refuses a second review (409)", async () => {
    const item = await product(t, { title: "Linen Tote" });
    const buyer = await signUp(t, { name: "Ada L." });
    const stranger = await signUp(t);

    const before = await t.request("POST", `/api/catalog/entities/${item.id}/reviews`, {
      ...stranger.as,
      body: review,
    });
    expect(before.status).toBe(403);
    expect(before.body.error.code).toBe("FORBIDDEN");

    // Bought and paid but not shipped yet: still not a delivered line.
    await buyAndReceive(t, buyer, [item.id], { ship: false });
    expect(
      (await t.request("POST", `/api/catalog/entities/${item.id}/reviews`, { ...buyer.as, body: review })).status,
    ).toBe(403);

    await buyAndReceive(t, buyer, [item.id]);
    const written = await t.request("POST", `/api/catalog/entities/${item.id}/reviews`, { ...buyer.as, body: review });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body.data).toMatchObject({
      entityId: item.id,
      rating: 4,
      title: "Solid",
      text: "Does what it says.",
      status: "pending",
      authorName: "Ada L.",
      verifiedPurchase: true,
      customerId: buyer.id,
      reply: null,
    });

    const second = await t.request("POST", `/api/catalog/entities/${item.id}/reviews`, {
      ...buyer.as,
      body: { ...review, rating: 1 },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("CONFLICT");
  });

  it("validates the review (rating 1-5, title, text) with field details, and needs a customer session", async () => {
    const item = await product(t);
    const buyer = await signUp(t);
    await buyAndReceive(t, buyer, [item.id]);
    for (const [body, path] of [
      [{ ...review, rating: 6 }, "rating"],
      [{ ...review, rating: 0 }, "rating"],
      [{ ...review, title: " " }, "title"],
      [{ rating: 5, title: "x" }, "text"],
    ] as const) {
      const res = await t.request("POST", `/api/catalog/entities/${item.id}/reviews`, { ...buyer.as, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    expect(
      (await t.request("POST", `/api/catalog/entities/${item.id}/reviews`, { key: null, body: review })).status,
    ).toBe(401);
    expect(
      (
        await t.request("POST", `/api/catalog/entities/00000000-0000-4000-8000-000000000000/reviews`, {
          ...buyer.as,
          body: review,
        })
      ).status,
    ).toBe(404);
  });

  it("shows only published reviews to the public; merchants publish, hide and reply; the rating summary counts published ones", async () => {
    const item = await product(t);
    const [a, b, c] = [await signUp(t, { name: "A" }), await signUp(t, { name: "B" }), await signUp(t, { name: "C" })];
    const ids: string[] = [];
    for (const [who, rating] of [
      [a, 5],
      [b, 3],
      [c, 1],
    ] as const) {
      await buyAndReceive(t, who, [item.id]);
      ids.push(
        (await ok(t, "POST", `/api/catalog/entities/${item.id}/reviews`, { ...who.as, body: { ...review, rating } }))
          .id,
      );
    }
    const publicList = () => t.request("GET", `/api/catalog/entities/${item.id}/reviews`, { key: null });

    let list = await publicList();
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    expect(list.body.meta.ratingSummary).toEqual({
      average: null,
      count: 0,
      counts: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: 0 })),
    });

    const moderator = await t.createKey(["reviews:moderate"]);
    for (const id of ids) await ok(t, "PATCH", `/api/reviews/${id}`, { key: moderator, body: { status: "published" } });
    const hidden = await ok(t, "PATCH", `/api/reviews/${ids[2]}`, { key: moderator, body: { status: "hidden" } });
    expect(hidden.status).toBe("hidden");
    const replied = await ok(t, "PATCH", `/api/reviews/${ids[1]}`, {
      key: moderator,
      body: { reply: "Thanks, we are on it." },
    });
    expect(replied).toMatchObject({ status: "published", reply: "Thanks, we are on it." });
    expect(replied.repliedAt).toBeTruthy();

    list = await publicList();
    expect(list.body.data.map((r: any) => r.id)).toEqual([ids[1], ids[0]]);
    expect(list.body.data[0].customerId).toBeNull(); // not for the public
    expect(list.body.meta.pagination.total).toBe(2);
    expect(list.body.meta.ratingSummary).toEqual({
      average: 4,
      count: 2,
      counts: [
        { rating: 1, count: 0 },
        { rating: 2, count: 0 },
        { rating: 3, count: 1 },
        { rating: 4, count: 0 },
        { rating: 5, count: 1 },
      ],
    });
    // A hidden review is not public even by status filter; merchants see it.
    expect(
      (await t.request("GET", `/api/catalog/entities/${item.id}/reviews?status=hidden`, { key: null })).body.data.map(
        (r: any) => r.id,
      ),
    ).not.toContain(ids[2]);
    const merchantView = await t.request("GET", `/api/catalog/entities/${item.id}/reviews?status=hidden`, {
      key: moderator,
    });
    expect(merchantView.body.data.map((r: any) => r.id)).toEqual([ids[2]]);

    // GraphQL: CatalogEntity.reviews and ratingSummary, published only for the public.
    const gql = await t.graphql(
      `query ($id: ID!) { catalogEntity(id: $id) { ratingSummary { average count } reviews(first: 10) { totalCount edges { node { rating status } } } } }`,
      { id: item.id },
      null,
    );
    expect(gql.body.data.catalogEntity.ratingSummary).toEqual({ average: 4, count: 2 });
    expect(gql.body.data.catalogEntity.reviews.totalCount).toBe(2);
    expect(gql.body.data.catalogEntity.reviews.edges.every((e: any) => e.node.status === "published")).toBe(true);
  });

  it("moderation follows its table (never back to pending), needs reviews:moderate, and lists reviews for merchants", async () => {
    const item = await product(t);
    const buyer = await signUp(t);
    await buyAndReceive(t, buyer, [item.id]);
    const written = await ok(t, "POST", `/api/catalog/entities/${item.id}/reviews`, { ...buyer.as, body: review });

    const reader = await t.createKey(["reviews:read"]);
    expect(
      (await t.request("PATCH", `/api/reviews/${written.id}`, { key: reader, body: { status: "published" } })).status,
    ).toBe(403);
    expect(
      (await t.request("PATCH", `/api/reviews/${written.id}`, { ...buyer.as, body: { status: "published" } })).status,
    ).toBe(403);
    expect((await t.request("GET", "/api/reviews", { key: null })).status).toBe(401);

    const pending = await t.request("GET", `/api/reviews?status=pending&entityId=${item.id}`, { key: reader });
    expect(pending.status).toBe(200);
    expect(pending.body.data.map((r: any) => r.id)).toEqual([written.id]);
    expect(pending.body.data[0].customerId).toBe(buyer.id);

    const back = await t.request("PATCH", `/api/reviews/${written.id}`, { body: { status: "pending" } });
    expect(back.status).toBe(422);
    const empty = await t.request("PATCH", `/api/reviews/${written.id}`, { body: {} });
    expect(empty.status).toBe(422);

    await ok(t, "PATCH", `/api/reviews/${written.id}`, { body: { status: "hidden" } });
    const published = await ok(t, "PATCH", `/api/reviews/${written.id}`, { body: { status: "published" } });
    expect(published.publishedAt).toBeTruthy();
    expect(
      (await t.request("GET", `/api/reviews?status=published&entityId=${item.id}`, { key: reader })).body.data,
    ).toHaveLength(1);
    expect(
      (await t.request("PATCH", "/api/reviews/00000000-0000-4000-8000-000000000000", { body: { status: "hidden" } }))
        .status,
    ).toBe(404);

    const audit = await t.request("GET", `/api/audit?entityType=product_review&entityId=${written.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.data.map((e: any) => e.event)).toEqual(
      expect.arrayContaining(["reviews.create", "reviews.moderate"]),
    );
  });
});

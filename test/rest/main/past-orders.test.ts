import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";

/**
 * Orders recorded after the fact (imported from another system): a merchant's checkout with `placedAt`
 * makes the order's createdAt that instant, which analytics count by period.
 */
const t = useTestApp();

async function cart() {
  const product = await productWithStock(t, { price: 1500, stock: null });
  return cartWith(t, [{ entityId: product.id, quantity: 1 }]);
}

const checkout = async (body: Record<string, unknown>, key?: string | null) =>
  t.request("POST", "/api/checkout", { body: checkoutBody(await cart(), body), key });

describe("checkout with placedAt", () => {
  it("records the order as placed then: its createdAt, the analytics period and the audit trail", async () => {
    const placed = await checkout({ placedAt: "2024-02-29T13:45:00+01:00" });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.data.createdAt).toBe("2024-02-29T12:45:00.000Z");
    // Numbered in the year it was placed, from that year's own counter.
    expect(placed.body.data.number).toBe("ORD-2024-000001");
    expect((await t.request("GET", `/api/orders/${placed.body.data.id}`)).body.data.createdAt).toBe(
      "2024-02-29T12:45:00.000Z",
    );

    const revenue = await t.request("POST", "/api/analytics/query", {
      body: { model: "orders", measures: ["count", "revenue"], dateRange: { from: "2024-02-29", to: "2024-02-29" } },
    });
    expect(revenue.body.data.rows).toEqual([{ currency: "USD", count: 1, revenue: 1500 }]);

    const trail = await t.request("GET", `/api/audit/order/${placed.body.data.id}`);
    expect(trail.body.data).toContainEqual(
      expect.objectContaining({
        event: "orders.create",
        after: expect.objectContaining({ placedAt: "2024-02-29T12:45:00.000Z" }),
      }),
    );
  });

  it("is taken over GraphQL too", async () => {
    const answer = await t.graphql(
      `mutation ($input: CheckoutInput!) { checkout(input: $input) { __typename ... on CheckoutPayload { checkout { order { createdAt number } } } } }`,
      { input: checkoutBody(await cart(), { placedAt: "2023-12-31T23:59:59.000Z" }) },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.checkout.checkout.order.createdAt).toBe("2023-12-31T23:59:59.000Z");
    expect(answer.body.data.checkout.checkout.order.number).toBe("ORD-2023-000001");
  });

  it("answers 422 with a field error for a future instant, one before 2000, or no date at all", async () => {
    const tomorrow = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const ordersBefore = (await t.request("GET", "/api/orders?limit=100")).body.data.length;
    for (const placedAt of [tomorrow, "1999-12-31T23:59:59Z", "yesterday"]) {
      const answer = await checkout({ placedAt });
      expect(answer.status, placedAt).toBe(422);
      expect(answer.body.error.code).toBe("VALIDATION_FAILED");
      expect(answer.body.error.details, placedAt).toContainEqual(expect.objectContaining({ path: "placedAt" }));
    }
    // Nothing was ordered by the refused checkouts.
    expect((await t.request("GET", "/api/orders?limit=100")).body.data).toHaveLength(ordersBefore);
  });

  it("is for merchants who manage orders: 403 for a key that may only create orders, and for shoppers", async () => {
    const placedAt = "2024-06-01T10:00:00Z";
    const creator = await t.createKey(["orders:create"]);
    const refused = await checkout({ placedAt }, creator);
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    expect((await checkout({}, creator)).status).toBe(201);

    const guestCart = await cart();
    const guest = await t.request("POST", "/api/checkout", {
      key: null,
      body: checkoutBody(guestCart, { placedAt }),
    });
    expect(guest.status).toBe(403);
    // The cart was not checked out by the refused attempt.
    expect((await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(guestCart) })).status).toBe(201);
  });

  it("documents placedAt as a date-time in the OpenAPI document", async () => {
    const doc = (await t.request("GET", "/api/doc")).body;
    const body = doc.paths["/api/checkout"].post.requestBody.content["application/json"].schema;
    const resolve = (schema: { $ref?: string }) =>
      schema.$ref ? doc.components.schemas[schema.$ref.split("/").at(-1)!] : schema;
    expect(resolve(body).properties.placedAt).toMatchObject({ type: expect.anything(), format: "date-time" });
  });
});

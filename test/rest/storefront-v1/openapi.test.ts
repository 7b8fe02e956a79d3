import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { SF } from "./support.js";

const t = useTestApp();

describe("storefront v1: its OpenAPI document and the reference UI", () => {
  it("serves an OpenAPI 3.1 document of the dialect's routes, in its names and conventions", async () => {
    const res = await t.request("GET", `${SF}/openapi.json`, { key: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        `${SF}/stores/{slug}`,
        `${SF}/stores/{slug}/products`,
        `${SF}/stores/{slug}/collections`,
        `${SF}/stores/{slug}/search`,
        `${SF}/stores/{slug}/carts/{id}/checkout`,
        `${SF}/merchant/orders`,
        `${SF}/merchant/orders/{id}`,
        `${SF}/merchant/orders/{id}/fulfill`,
        `${SF}/merchant/orders/{id}/refund`,
        `${SF}/merchant/orders/{id}/returns/{return_id}/receive`,
        `${SF}/merchant/orders/{id}/exchanges/{exchange_id}/approve`,
      ]),
    );

    const products = doc.paths[`${SF}/stores/{slug}/products`].get;
    expect(products.security).toEqual([]);
    expect(products.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["slug", "limit", "cursor"]),
    );
    const page = products.responses["200"].content["application/json"].schema;
    expect(page.properties).toHaveProperty("next_cursor");
    expect(page.properties.data.items.properties).toHaveProperty("created_at");

    const fulfill = doc.paths[`${SF}/merchant/orders/{id}/fulfill`].post;
    expect(fulfill.security).toEqual([{ MerchantToken: ["write:orders"] }]);
    const body = fulfill.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties).sort()).toEqual(["carrier", "items", "tracking_number"]);
    expect(body.properties.items.items.required).toEqual(["line_item_id", "quantity"]);
    expect(fulfill.parameters.map((p: { name: string }) => p.name)).toContain("Idempotency-Key");
    expect(Object.keys(fulfill.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "404", "409", "422", "429"]),
    );

    const order = doc.paths[`${SF}/merchant/orders/{id}`].get.responses["200"].content["application/json"].schema;
    expect(order.properties.status.enum).toEqual(["pending", "fulfilled", "cancelled", "refunded", "returned"]);
    expect(order.properties.shipping_address.type).toContain("null");
    expect(doc.paths[`${SF}/merchant/orders`].get.security).toEqual([{ MerchantToken: ["read:orders"] }]);
    expect(doc.info.description).toContain("| pending | pending, confirmed, processing, partially_fulfilled |");
  });

  it("shows both documents in /api/reference", async () => {
    const page = await t.request("GET", "/api/reference", { key: null });
    expect(page.status).toBe(200);
    expect(page.body).toContain("/api/doc");
    expect(page.body).toContain(`${SF}/openapi.json`);
  });
});

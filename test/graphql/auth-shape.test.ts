import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";

const t = useTestApp();

/** Every field that needs a customer session, with an operation that selects it. */
const CUSTOMER_FIELDS: Record<string, string> = {
  me: `{ me { id } }`,
  updateMyProfile: `mutation { updateMyProfile(input: { name: "X" }) { __typename } }`,
  addMyAddress: `mutation { addMyAddress(input: { line1: "1 Main St", city: "Springfield", country: "US" }) { __typename } }`,
  deleteMyAddress: `mutation { deleteMyAddress(input: { id: "00000000-0000-4000-8000-000000000000" }) { __typename } }`,
  reorder: `mutation { reorder(input: { id: "00000000-0000-4000-8000-000000000000" }) { __typename } }`,
};

describe("authentication failures have one shape", () => {
  it("is a top-level UNAUTHORIZED error, never a typed error in data, for every field that needs a customer session", async () => {
    const merchantKey = await t.createKey(["*:*"]);
    for (const [field, query] of Object.entries(CUSTOMER_FIELDS)) {
      for (const key of [null, merchantKey]) {
        const res = await t.graphql(query, {}, key);
        expect(res.body.errors?.[0]?.extensions?.code, `${field} as ${key ? "a merchant key" : "anonymous"}`).toBe(
          "UNAUTHORIZED",
        );
        expect(res.body.errors[0].path).toEqual([field]);
        expect(res.body.data?.[field] ?? null).toBeNull();
      }
    }
  });

  it("matches a permission field's: UNAUTHORIZED anonymous, FORBIDDEN with a key that lacks the permission", async () => {
    const create = `mutation { createCatalogEntity(input: { type: "product", slug: "auth-shape" }) { __typename } }`;
    expect((await t.graphql(create, {}, null)).body.errors[0].extensions.code).toBe("UNAUTHORIZED");
    const reader = await t.createKey(["orders:read"]);
    expect((await t.graphql(create, {}, reader)).body.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("answers 401 on the REST routes of the same fields", async () => {
    const address = { line1: "1 Main St", city: "X", country: "US" };
    for (const [method, path, body] of [
      ["GET", "/api/me/profile", undefined],
      ["POST", "/api/me/addresses", address],
      ["PATCH", "/api/me/profile", { name: "X" }],
    ] as const) {
      const res = await t.request(method, path, { key: null, body });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
    }
  });
});

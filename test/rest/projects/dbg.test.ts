import { it } from "vitest";
import { useTestApp } from "/work/main/test/helpers/app.js";
const t = useTestApp();
it("dbg", async () => {
  const c = await t.request("POST", "/api/stores", { body: { name: "B", slug: "shop-b" } });
  const k = await t.request("POST", "/api/api-keys", { body: { name: "k", permissions: ["*:*"], storeId: c.body.data.id } });
  const r = await t.request("GET", `/api/stores/${t.app.defaultStoreId}`, { key: k.body.data.secret });
  console.log(r.status, JSON.stringify(r.body));
  const p = await t.request("POST", "/api/api-keys", { body: { name: "p", kind: "publishable", storeId: c.body.data.id } });
  const e = await t.request("POST", "/api/catalog/entities", { key: p.body.data.secret, body: { slug: "x" } });
  console.log(e.status, JSON.stringify(e.body));
});

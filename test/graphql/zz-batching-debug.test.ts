import { it } from "vitest";
import { useTestApp } from "../helpers/app.js";
const t = useTestApp();
it("dbg", async () => {
  const { prisma } = t.app.db;
  await prisma.customer.create({ data: { storeId: t.app.defaultStoreId, email: "x@example.com" } });
  for (const q of [`{ customers(first: 2) { edges { node { id orders(first: 10) { totalCount } } } } }`, `{ customers(first: 2) { edges { node { id orders(first: 10) { pageInfo { hasNextPage } edges { cursor } } } } } }`, `{ customers(first: 2) { edges { node { id orders(first: 10) { edges { node { id } } } } } } }`]) {
    const r = await t.graphql(q);
    console.log(JSON.stringify(r.body).slice(0, 300));
  }
});

import { builder } from "../builder.js";

// The store a request works on, for storefronts (public), and the store of an order.

builder.queryField("currentStore", (t) =>
  t.prismaField({
    type: "Store",
    description:
      "The store the request works on: the caller's key's store, or the one a storefront path names. Public.",
    resolve: (query, _root, _args, ctx) => ctx.prisma.store.findUniqueOrThrow({ ...query, where: { id: ctx.storeId } }),
  }),
);

builder.prismaObjectFields("Order", (t) => ({
  store: t.relation("store", { description: "The store the order was placed in (seed 001's site_slug is its slug)." }),
}));

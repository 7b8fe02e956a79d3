import { addFavorite, favoritesWhere, removeFavorite } from "../../domain/catalog/favorites.js";
import { builder } from "../builder.js";
import { pageComplexity, relationConnection, relationPageQuery, totalCountField } from "../pagination.js";
import { CatalogEntity } from "./catalog.js";
import { mutationResult } from "./errors.js";

// Seed 004's favorites: `me.favorites` (the products, newest favorite first) and two idempotent
// mutations for a customer session.

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { entityId: "asc" as const }];

/** Prisma refuses an empty `select`: with nothing selected under `edges.node`, read the products' ids. */
function nonEmpty<T>(selection: T): T {
  const select = (selection as { select?: object }).select;
  return select && Object.keys(select).length === 0 ? ({ select: { id: true } } as T) : selection;
}

builder.prismaObjectFields("Customer", (t) => ({
  favorites: t.connection(
    {
      type: CatalogEntity,
      complexity: pageComplexity,
      description: "The customer's favorite products (active ones), most recently added first.",
      // Planned into the customer's query: the page and its products are one statement.
      select: (args, ctx, nestedSelection) => ({
        favorites: relationPageQuery(args, (page) => ({
          where: favoritesWhere(ctx.storeId),
          orderBy: NEWEST_FIRST,
          ...page,
          select: { entity: nonEmpty(nestedSelection(true, ["edges", "node"])) },
        })),
      }),
      resolve: (customer, args, ctx) =>
        relationConnection(
          args,
          ctx,
          customer.favorites.map((f) => f.entity),
          {
            field: "Customer.favorites",
            model: ctx.prisma.customer,
            parentId: customer.id,
            relation: "favorites",
            where: favoritesWhere(ctx.storeId),
          },
        ),
    },
    { name: "FavoriteConnection", fields: totalCountField },
  ),
}));

const Favorite = builder.objectRef<{ entityId: string; createdAt?: Date }>("Favorite").implement({
  description: "A product in the customer's favorites.",
  fields: (t) => ({
    entityId: t.exposeID("entityId"),
    favorited: t.boolean({
      description: "Whether the product is in the favorites after this change.",
      resolve: (f) => f.createdAt !== undefined,
    }),
    addedAt: t.field({ type: "DateTime", nullable: true, resolve: (f) => f.createdAt ?? null }),
  }),
});

const FavoriteInput = builder.inputType("FavoriteInput", {
  fields: (t) => ({ entityId: t.id({ required: true, description: "The product (catalog entity) id." }) }),
});

builder.mutationFields((t) => ({
  addFavorite: t.field({
    type: Favorite,
    description:
      "Adds an active product to the signed-in customer's favorites. Idempotent: adding it again answers the same.",
    authScopes: { customer: true },
    args: { input: t.arg({ type: FavoriteInput, required: true }) },
    errors: mutationResult("AddFavorite", "favorite"),
    resolve: (_root, { input }, ctx) => addFavorite(ctx.scope, input),
  }),
  removeFavorite: t.field({
    type: Favorite,
    description:
      "Removes a product from the signed-in customer's favorites. Idempotent: removing one that is not there answers the same.",
    authScopes: { customer: true },
    args: { input: t.arg({ type: FavoriteInput, required: true }) },
    errors: mutationResult("RemoveFavorite", "favorite"),
    resolve: (_root, { input }, ctx) => removeFavorite(ctx.scope, input),
  }),
}));

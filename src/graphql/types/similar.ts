import { similarEntities } from "../../domain/catalog/similar.js";
import { ValidationError } from "../../domain/errors.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { loaderFor } from "../loaders.js";

// Seed 004's "similars": products sharing categories, brands and title words with this one.

const MAX_SIMILAR = 50;

/**
 * The similar products of every entity of the request, with the client's selection: one statement finds
 * the matches of all of them (similar.ts), one more loads those products with their planned relations.
 * Entities selecting `similar` with different arguments or selections get a loader each.
 */
function similarLoader(ctx: GraphQLContext, first: number, query: object) {
  return loaderFor<string, object[]>(ctx, `similar:${first}:${JSON.stringify(query)}`, async (sourceIds) => {
    const matches = await similarEntities(ctx.prisma, ctx.storeId, sourceIds, first);
    const ids = [...new Set(matches.map((m) => m.entityId))];
    const rows = ids.length
      ? await ctx.prisma.catalogEntity.findMany({
          ...(query as object),
          where: { id: { in: ids }, storeId: ctx.storeId, status: "active" },
        })
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return sourceIds.map((id) => matches.filter((m) => m.sourceId === id).flatMap((m) => byId.get(m.entityId) ?? []));
  });
}

builder.prismaInterfaceFields("CatalogEntity", (t) => ({
  similar: t.prismaField({
    type: ["CatalogEntity"],
    description:
      "Active products like this one, most similar first: shared categories weigh 3, shared brands 2, each shared title word 1 " +
      "(ties: newest first). Products sharing nothing are left out, so the list may be shorter than `first`.",
    args: { first: t.arg.int({ defaultValue: 10, description: `At most ${MAX_SIMILAR}.` }) },
    complexity: (args) => ({ field: 1, multiplier: args.first ?? 10 }),
    resolve: async (query, entity, args, ctx) => {
      const first = args.first ?? 10;
      if (first < 0 || first > MAX_SIMILAR)
        throw ValidationError.field("first", "out_of_range", `first must be between 0 and ${MAX_SIMILAR}.`);
      return (await similarLoader(ctx, first, query).load(entity.id)) as never;
    },
  }),
}));

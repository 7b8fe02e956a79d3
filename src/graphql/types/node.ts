import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";

/**
 * Relay's Node, with plain UUIDs as ids (the same ids REST uses) instead of global ids. `node(id:)`
 * finds the table holding the id in one statement, then loads the row within the caller's store.
 */
export const NodeInterface = builder.interfaceRef<{ id: string }>("Node").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
  resolveType: (value) => (value as { __typename?: string }).__typename ?? null,
});

/** `{ id }`: the input of every mutation that needs nothing but the id of what it acts on. */
export const IdInput = builder.inputType("IdInput", { fields: (t) => ({ id: t.id({ required: true }) }) });

type NodeLoader = (ctx: GraphQLContext, id: string) => Promise<object | null>;

const loaders = new Map<string, { table: string; load: NodeLoader; concreteType?: (row: object) => string }>();

/**
 * Registers a type for `node(id:)`; `load` must enforce the store (and any visibility) itself. An interface
 * (CatalogEntity) names the object type of each row with `concreteType`.
 */
export function registerNode(
  typename: string,
  table: string,
  load: NodeLoader,
  concreteType?: (row: object) => string,
): void {
  loaders.set(typename, { table, load, concreteType });
}

builder.queryField("node", (t) =>
  t.field({
    type: NodeInterface,
    nullable: true,
    description: "Any object by its id, if the caller may see it.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      if (!isUuid(id) || loaders.size === 0) return null;
      const union = [...loaders]
        .map(([typename, { table }]) => `SELECT '${typename}' AS typename FROM "${table}" WHERE id = $1::uuid`)
        .join(" UNION ALL ");
      const [hit] = await ctx.prisma.$queryRawUnsafe<{ typename: string }[]>(`${union} LIMIT 1`, id);
      if (!hit) return null;
      const loader = loaders.get(hit.typename)!;
      const row = await loader.load(ctx, id);
      return row
        ? (Object.assign(row, { __typename: loader.concreteType?.(row) ?? hit.typename }) as unknown as { id: string })
        : null;
    },
  }),
);

import { decodeBase64 } from "@pothos/core";
import { queryFromInfo } from "@pothos/plugin-prisma";
import { offsetForArgs, offsetToCursor, resolveOffsetConnection } from "@pothos/plugin-relay";
import type { GraphQLResolveInfo } from "graphql";
import { ValidationError } from "../domain/errors.js";
import { INPUT_LIMITS } from "../domain/validation.js";
import type { SchemaTypes } from "./builder.js";
import type { GraphQLContext } from "./context.js";
import { loaderFor } from "./loaders.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * A Relay connection over offset pagination (so REST's page/limit maps onto the same field), with a
 * lazily computed `totalCount`: the COUNT query runs only when the client selects it.
 */
export async function offsetConnection<T>(
  args: ConnectionArgs,
  load: (page: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
) {
  checkConnectionArgs(args, { lastAlone: true });
  let total: Promise<number> | undefined;
  const totalCount = () => (total ??= count());
  // Relay's `last` without `before` is the end of the list: the page before its last offset.
  const paged =
    args.last != null && args.before == null && args.first == null
      ? { ...args, before: offsetToCursor(await totalCount()) }
      : args;
  const connection = await resolveOffsetConnection(
    { args: paged, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
    ({ offset, limit }) => load({ skip: offset, take: limit }),
  );
  return { ...connection, totalCount };
}

/**
 * Page sizes within 0..MAX_PAGE_SIZE and cursors of ours. `last` alone (the end of the list) needs the
 * list's count first, which top-level connections have; a connection planned into its parent's query
 * (`relationPageQuery`) takes `last` only with `before` or `first`.
 */
function checkConnectionArgs(args: ConnectionArgs, options: { lastAlone?: boolean } = {}) {
  for (const key of ["first", "last"] as const) {
    const size = args[key];
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw ValidationError.field(key, "out_of_range", `${key} must be between 0 and ${MAX_PAGE_SIZE}.`);
    }
  }
  for (const key of ["after", "before"] as const) {
    if (args[key] != null && !isOffsetCursor(args[key])) {
      throw ValidationError.field(key, "invalid_cursor", "The cursor is not valid for this list.");
    }
  }
  if (!options.lastAlone && args.last != null && args.before == null && args.first == null) {
    throw ValidationError.field("last", "invalid", "Within a nested list, last needs before or first.");
  }
}

/**
 * Whether a cursor is one of ours (`offsetToCursor`): decimal digits, an offset within
 * INPUT_LIMITS.offset. Pothos's own parsing takes whatever parseInt makes of it (NaN, negative, 10^23,
 * 1 for "1e400"), which the database then refuses or misreads.
 */
function isOffsetCursor(cursor: string): boolean {
  let text: string;
  try {
    text = decodeBase64(cursor);
  } catch {
    return false;
  }
  const digits = /^OffsetConnection:(\d{1,10})$/.exec(text)?.[1];
  return digits !== undefined && Number(digits) <= INPUT_LIMITS.offset;
}

/** A connection's cost: each node costs as many times as the page may hold. */
export function pageComplexity(args: ConnectionArgs) {
  return { field: 1, multiplier: args.first ?? args.last ?? DEFAULT_PAGE_SIZE };
}

/** Connection-level fields every list shares. */
export function totalCountField(t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, object>) {
  return {
    totalCount: t.int({
      description: "How many items the whole list has, across all pages.",
      resolve: (connection) => (connection as { totalCount: () => Promise<number> }).totalCount(),
    }),
  };
}

interface PagedModel<W, O, T> {
  findMany(args: { where: W; orderBy: O; skip: number; take: number }): Promise<T[]>;
  count(args: { where: W }): Promise<number>;
}

/**
 * A connection over one Prisma model: each page is one query planned from the client's selection of
 * `edges.node` (relations joined in), and the count runs only if `totalCount` is selected.
 */
export function modelConnection<W, O, T>(
  args: ConnectionArgs,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  list: { typeName: string; model: PagedModel<W, O, T>; where: W; orderBy: O },
) {
  return offsetConnection(
    args,
    ({ skip, take }) =>
      list.model.findMany({
        ...queryFromInfo({ context: ctx, info, path: ["edges", "node"], typeName: list.typeName }),
        where: list.where,
        orderBy: list.orderBy,
        skip,
        take,
      }),
    () => list.model.count({ where: list.where }),
  );
}

/**
 * The relation query of a connection's page, for planning it into the parent's query from a field's
 * `select`: `plan` gets the `skip` and `take` (one more than the page, to tell whether a next page
 * exists) that `offsetConnection` will ask for, and passes them to `nestedSelection` with the
 * relation's filter and order. Arguments `offsetConnection` refuses plan no rows (its resolver says
 * why, at the field). With nothing selected under `edges.node` the rows are still read, by id: they
 * are the page's cursors and hasNextPage.
 */
export function relationPageQuery<Q extends object>(
  args: ConnectionArgs,
  plan: (page: { skip: number; take: number }) => Q,
): Q {
  let page = { skip: 0, take: 0 };
  try {
    checkConnectionArgs(args);
    const { offset, limit } = offsetForArgs({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE });
    page = { skip: offset, take: limit };
  } catch {
    // refused: no rows
  }
  const query = plan(page);
  const select = (query as { select?: object }).select;
  return select && Object.keys(select).length === 0 ? { ...query, select: { id: true } } : query;
}

/** A Prisma model whose rows are read by id with a relation counted. */
interface CountedModel {
  findMany(args: {
    where: { id: { in: string[] } };
    select: { id: true; _count: { select: Record<string, unknown> } };
  }): Promise<Record<string, unknown>[]>;
}

/**
 * A connection over a relation of a parent row whose page was planned into the parent's query
 * (`relationPageQuery` in the field's `select`): a list of parents loads every page in its own statement.
 * `totalCount`, when selected, is counted for every parent of the request in one statement.
 */
export function relationConnection<T>(
  args: ConnectionArgs,
  ctx: GraphQLContext,
  rows: T[],
  count: { field: string; model: CountedModel; parentId: string; relation: string; where: object },
) {
  return offsetConnection(
    args,
    async () => rows,
    () =>
      loaderFor<string, number>(
        ctx,
        `relationCount:${count.field}:${JSON.stringify(count.where)}`,
        async (parentIds) => {
          const parents = await count.model.findMany({
            where: { id: { in: [...parentIds] } },
            select: { id: true, _count: { select: { [count.relation]: { where: count.where } } } },
          });
          const counts = new Map(
            parents.map((p) => [p.id as string, (p._count as Record<string, number>)[count.relation]!]),
          );
          return parentIds.map((id) => counts.get(id) ?? 0);
        },
      ).load(count.parentId),
  );
}

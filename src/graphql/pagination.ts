import { queryFromInfo } from "@pothos/plugin-prisma";
import type { GraphQLResolveInfo } from "graphql";
import { ValidationError } from "../domain/errors.js";
import type { SchemaTypes } from "./builder.js";
import type { GraphQLContext } from "./context.js";
import { type CursorPosition, invalidCursor, ListCursors, peekOffset } from "./cursors.js";
import { loaderFor } from "./loaders.js";

export { pageCursor } from "./cursors.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

/** An edge whose cursor is signed when first read: most selections ask for nodes, not cursors. */
class LazyEdge<T> implements Edge<T> {
  #cursor: string | undefined;
  constructor(
    readonly node: T,
    private readonly sign: () => string,
  ) {}
  get cursor(): string {
    this.#cursor ??= this.sign();
    return this.#cursor;
  }
}

/** What every connection resolver answers; `totalCount` runs its COUNT only when selected. */
export interface ConnectionResult<T> {
  edges: Edge<T>[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
  totalCount: () => Promise<number>;
}

/** The list a connection's cursors belong to, and the context whose secrets sign them. */
export interface CursorList {
  ctx: GraphQLContext;
  /** `Type.field`, e.g. `Query.search`. */
  list: string;
}

/**
 * A Relay connection over offsets, for lists with no stable order to seek in (`search`, ranked by
 * relevance) or whose page a domain function reads by skip/take (`commissionRules`): its cursors are
 * signed offsets of this list, so a row inserted before the page shifts it, unlike `modelConnection`'s.
 * REST's page numbers (`pageCursor`) jump to any offset. `totalCount` is counted lazily.
 */
export function offsetConnection<T>(
  args: ConnectionArgs,
  list: CursorList,
  load: (page: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<ConnectionResult<T>> {
  return offsetPages(args, new ListCursors(list.ctx.secrets, list.list), load, count, { lastAlone: true });
}

async function offsetPages<T>(
  args: ConnectionArgs,
  cursors: ListCursors,
  load: (page: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
  options: { lastAlone: boolean },
): Promise<ConnectionResult<T>> {
  checkSizes(args, options);
  const totalCount = lazy(count);
  const after = readCursor(cursors, args, "after");
  const before = readCursor(cursors, args, "before");
  // Keyset cursors are never issued for an offset list; the signature already refuses them.
  if (after?.kind === "keyset") throw invalidCursor("after");
  if (before?.kind === "keyset") throw invalidCursor("before");
  const window = await offsetWindow(args, after as OffsetPosition, before as OffsetPosition, totalCount);
  const rows = await load({ skip: window.skip, take: window.take });
  const edges = rows.slice(0, window.size).map((node, i) => new LazyEdge(node, () => cursors.offset(window.skip + i)));
  return connection(edges, args, {
    hasPreviousPage: window.skip > 0,
    hasNextPage: rows.length > window.size,
    totalCount,
  });
}

/**
 * Page sizes within 0..MAX_PAGE_SIZE. `last` alone (the end of the list) is for top-level connections; a
 * connection planned into its parent's query (`relationPageQuery`) takes `last` only with `before` or `first`.
 */
function checkSizes(args: ConnectionArgs, options: { lastAlone: boolean }) {
  for (const key of ["first", "last"] as const) {
    const size = args[key];
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw ValidationError.field(key, "out_of_range", `${key} must be between 0 and ${MAX_PAGE_SIZE}.`);
    }
  }
  if (!options.lastAlone && args.last != null && args.before == null && args.first == null) {
    throw ValidationError.field("last", "invalid", "Within a nested list, last needs before or first.");
  }
}

function readCursor(cursors: ListCursors, args: ConnectionArgs, field: "after" | "before") {
  const cursor = args[field];
  return cursor == null ? undefined : cursors.read(field, cursor);
}

const lazy = <V>(load: () => Promise<V>) => {
  let value: Promise<V> | undefined;
  return () => (value ??= load());
};

type OffsetPosition = Extract<CursorPosition, { kind: "offset" | "page" }> | undefined;

/**
 * Where an offset page starts and how many rows to read (one more than the page, for hasNextPage), as
 * Relay's algorithm over offsets says: `after`/`before` bound the list, `first` keeps the start of what
 * is left, `last` its end. An offset cursor names a row (after it, before it); a page cursor the boundary
 * before a row. `last` with no end needs the list's count.
 */
function offsetWindow(
  args: ConnectionArgs,
  after: OffsetPosition,
  before: OffsetPosition,
  count?: () => Promise<number>,
): { skip: number; take: number; size: number } | Promise<{ skip: number; take: number; size: number }> {
  const start = after ? after.offset + (after.kind === "offset" ? 1 : 0) : 0;
  const bounded = (listEnd: number) => {
    let skip = start;
    let end = Math.max(listEnd, start);
    if (args.first != null) end = Math.min(end, start + args.first);
    if (args.last != null) skip = Math.max(skip, end - args.last);
    const size = Math.min(
      args.first == null && args.last == null ? DEFAULT_PAGE_SIZE : end - skip,
      MAX_PAGE_SIZE,
      end - skip,
    );
    return { skip, take: size + 1, size };
  };
  if (before) return bounded(before.offset);
  if (args.last != null && args.first == null && count) return count().then(bounded);
  return bounded(Number.POSITIVE_INFINITY);
}

function connection<T>(
  edges: Edge<T>[],
  args: ConnectionArgs,
  page: { hasPreviousPage: boolean; hasNextPage: boolean; totalCount: () => Promise<number> },
): ConnectionResult<T> {
  // An empty page keeps the client's place: the cursor it came with (page cursors stay in the process).
  const given = [args.after, args.before].find((cursor) => cursor != null && peekOffset(cursor)?.kind !== "page");
  return {
    edges,
    pageInfo: {
      get startCursor() {
        return edges[0]?.cursor ?? given ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? given ?? null;
      },
      hasPreviousPage: page.hasPreviousPage,
      hasNextPage: page.hasNextPage,
    },
    totalCount: page.totalCount,
  };
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

// ---- keyset pages ----------------------------------------------------------------------------

interface PagedModel<W, O, T> {
  findMany(args: { where: W; orderBy: O; skip?: number; take: number }): Promise<T[]>;
  count(args: { where: W }): Promise<number>;
}

type Direction = "asc" | "desc";

/** One key of a total order; `nulls` only for a nullable column, which must say where its nulls go. */
interface OrderKey {
  field: string;
  direction: Direction;
  nulls?: "first" | "last";
}

/**
 * The keys of a Prisma orderBy over scalar columns, with `id` last so the order is total. A nullable
 * column must be ordered as `{ field: { sort, nulls } }` (Prisma allows `nulls` only on optional fields):
 * a plain direction means the column is never null.
 */
function totalOrder(orderBy: unknown): OrderKey[] {
  const keys = (Array.isArray(orderBy) ? orderBy : [orderBy]).map((entry): OrderKey => {
    const [pair, extra] = Object.entries(entry as object);
    const [field, spec] = pair ?? [];
    if (field && extra === undefined && (spec === "asc" || spec === "desc")) return { field, direction: spec };
    if (
      field &&
      extra === undefined &&
      spec &&
      typeof spec === "object" &&
      (spec.sort === "asc" || spec.sort === "desc")
    )
      return { field, direction: spec.sort, ...(spec.nulls ? { nulls: spec.nulls } : {}) };
    throw new Error(`A keyset connection orders by scalar columns only, not ${JSON.stringify(entry)}.`);
  });
  const id = keys.findIndex((key) => key.field === "id");
  return id === -1 ? [...keys, { field: "id", direction: "asc" }] : keys.slice(0, id + 1);
}

const reversed = (order: OrderKey[]): OrderKey[] =>
  order.map((key) => ({
    field: key.field,
    direction: key.direction === "asc" ? "desc" : "asc",
    ...(key.nulls ? { nulls: key.nulls === "first" ? "last" : "first" } : {}),
  }));

const prismaOrder = (order: OrderKey[]) =>
  order.map((key) => ({ [key.field]: key.nulls ? { sort: key.direction, nulls: key.nulls } : key.direction }));

/**
 * Rows strictly after `values` in `order`: (k1, k2, ..., id) > (v1, v2, ..., vid), spelled as
 * `k1 > v1 OR (k1 = v1 AND (k2 > v2 OR ...))` with each comparison in its key's direction and nulls place.
 */
function seek(order: OrderKey[], values: unknown[]): object {
  const branches: object[] = [];
  order.forEach((key, i) => {
    const beyond = beyondValue(key, values[i]);
    if (!beyond) return;
    const equalBefore = order.slice(0, i).map((prior, j) => ({ [prior.field]: values[j] ?? null }));
    branches.push({ AND: [...equalBefore, beyond] });
  });
  return { OR: branches };
}

function beyondValue(key: OrderKey, value: unknown): object | undefined {
  const nullsLast = key.nulls ? key.nulls === "last" : key.direction === "asc";
  if (value === null || value === undefined) return nullsLast ? undefined : { [key.field]: { not: null } };
  const compare = { [key.field]: { [key.direction === "asc" ? "gt" : "lt"]: value } };
  return key.nulls === "last" ? { OR: [compare, { [key.field]: null }] } : compare;
}

/**
 * A connection over one Prisma model: each page is one query planned from the client's selection of
 * `edges.node` (relations joined in), and the count runs only if `totalCount` is selected.
 *
 * Keyset pages: the order gets `id` as its last key, a cursor is the row's order-key values and id
 * (signed, bound to this field and order), and `after` is a WHERE on them, so rows inserted or deleted
 * before the cursor do not shift the next page. `before` and `last` read the reversed order and turn the
 * page back. REST's page numbers (`pageCursor`) are offsets into the same order; the rows they return
 * carry keyset cursors again.
 */
export async function modelConnection<W, O, T>(
  args: ConnectionArgs,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  list: { typeName: string; model: PagedModel<W, O, T>; where: W; orderBy: O },
): Promise<ConnectionResult<T>> {
  checkSizes(args, { lastAlone: true });
  const order = totalOrder(list.orderBy);
  const name = order.map((key) => `${key.field}:${key.direction}${key.nulls ? `:nulls-${key.nulls}` : ""}`);
  const cursors = new ListCursors(ctx.secrets, `${info.parentType.name}.${info.fieldName}|${name.join(",")}`);
  const after = readCursor(cursors, args, "after");
  const before = readCursor(cursors, args, "before");
  const totalCount = lazy(() => list.model.count({ where: list.where }));

  const planned = queryFromInfo({ context: ctx, info, path: ["edges", "node"], typeName: list.typeName }) as {
    select?: Record<string, unknown>;
  };
  // The order keys are the cursors: read them whatever the client selected.
  const query = planned.select
    ? { ...planned, select: { ...planned.select, ...Object.fromEntries(order.map((key) => [key.field, true])) } }
    : planned;
  const cursorOf = (row: T) => cursors.keyset(order.map((key) => (row as Record<string, unknown>)[key.field]));
  const read = (where: object[], orderKeys: OrderKey[], page: { skip?: number; take: number }) =>
    list.model.findMany({
      ...query,
      where: (where.length ? { AND: [list.where, ...where] } : list.where) as W,
      orderBy: prismaOrder(orderKeys) as O,
      ...page,
    });
  const edgesOf = (rows: T[]) => rows.map((node) => new LazyEdge(node, () => cursorOf(node)));

  if (after?.kind === "page" || before?.kind === "page" || after?.kind === "offset" || before?.kind === "offset") {
    // An offset jump (REST's page numbers): no keyset cursor may bound it as well.
    if (after?.kind === "keyset") throw invalidCursor("after");
    if (before?.kind === "keyset") throw invalidCursor("before");
    const window = await offsetWindow(args, after as OffsetPosition, before as OffsetPosition, totalCount);
    const rows = await read([], order, { skip: window.skip, take: window.take });
    return connection(edgesOf(rows.slice(0, window.size)), args, {
      hasPreviousPage: window.skip > 0,
      hasNextPage: rows.length > window.size,
      totalCount,
    });
  }

  const bounds = [
    ...(after?.kind === "keyset" ? [seekOrRefuse(order, after.values, "after")] : []),
    ...(before?.kind === "keyset" ? [seekOrRefuse(reversed(order), before.values, "before")] : []),
  ];
  // `last` without `first` reads from the end (the list's or before's) backwards.
  const backward = args.last != null && args.first == null;
  const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE_SIZE;
  const rows = await read(bounds, backward ? reversed(order) : order, { take: size + 1 });
  const more = rows.length > size;
  let page = rows.slice(0, size);
  if (backward) page.reverse();
  const trimmed = !backward && args.last != null && page.length > args.last;
  if (trimmed) page = page.slice(page.length - args.last!);
  return connection(edgesOf(page), args, {
    hasPreviousPage: backward ? more || after != null : after != null || trimmed,
    hasNextPage: backward ? before != null : more || before != null,
    totalCount,
  });
}

function seekOrRefuse(order: OrderKey[], values: unknown[], field: "after" | "before") {
  if (values.length !== order.length) throw invalidCursor(field);
  return seek(order, values);
}

// ---- lists planned into their parent's query -------------------------------------------------

/**
 * The relation query of a connection's page, for planning it into the parent's query from a field's
 * `select`: `plan` gets the `skip` and `take` (one more than the page, to tell whether a next page
 * exists) that `relationConnection` will answer, and passes them to `nestedSelection` with the
 * relation's filter and order. With nothing selected under `edges.node` the rows are still read, by id:
 * they are the page's cursors and hasNextPage.
 *
 * These lists page by offset, not keyset: one statement reads the page of every parent (Prisma's
 * skip/take per parent), which a per-parent seek condition cannot be planned into. Their cursors are
 * signed offsets of their field (`Customer.orders`). The selection is planned before any resolver runs,
 * without the context's keys, so it reads the offset a cursor claims; `relationConnection` verifies the
 * cursor and refuses it at the field (then the rows are discarded), as it does every argument it refuses.
 */
export function relationPageQuery<Q extends object>(
  args: ConnectionArgs,
  plan: (page: { skip: number; take: number }) => Q,
): Q {
  let page = { skip: 0, take: 0 };
  try {
    checkSizes(args, { lastAlone: false });
    const claimed = (field: "after" | "before") => {
      const cursor = args[field];
      if (cursor == null) return undefined;
      const position = peekOffset(cursor);
      if (!position) throw invalidCursor(field);
      return position as OffsetPosition;
    };
    const window = offsetWindow(args, claimed("after"), claimed("before")) as { skip: number; take: number };
    page = { skip: window.skip, take: window.take };
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
): Promise<ConnectionResult<T>> {
  return offsetPages(
    args,
    new ListCursors(ctx.secrets, count.field),
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
    { lastAlone: false },
  );
}

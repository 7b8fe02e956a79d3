import { Prisma } from "../../generated/prisma/client.js";
import type { DimensionDef, Granularity, JoinDef, ModelDef, ValueType } from "./models.js";
import { isDateOnly, type Member, type ResolvedFilter, type ResolvedQuery, timeColumnName } from "./query.js";

/**
 * SQL written in models.ts, chosen by name. The one way text becomes SQL in this module: nothing a caller
 * sends ever passes through here; their values are bound parameters (`${value}` in Prisma.sql).
 */
function definition(sql: string): Prisma.Sql {
  return Prisma.raw(sql);
}

/** Compiler-made SQL (result aliases, ordinals, keywords): never derived from a caller's text. */
function internal(sql: string): Prisma.Sql {
  return Prisma.raw(sql);
}

/** Every bound value is a string cast to the type of what it is compared with. */
const CASTS: Record<ValueType, string> = {
  string: "text",
  id: "uuid",
  boolean: "boolean",
  time: "timestamptz",
  integer: "numeric",
  money: "numeric",
};

export interface Column {
  /** Key of the column in each row: the member's name, `<dimension>.<granularity>` for the time dimension. */
  name: string;
  kind: "dimension" | "timeDimension" | "measure";
  member: string;
  type: ValueType;
  granularity?: Granularity;
}

export interface CompiledQuery {
  sql: Prisma.Sql;
  columns: Column[];
  /** Aliases of the columns in the statement's result, in column order. */
  aliases: string[];
}

/** The joins named plus the ones they build on, in an order where every join follows its requirements. */
function withRequirements(model: ModelDef, names: Iterable<string>): string[] {
  const ordered: string[] = [];
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    const join = model.joins[name];
    if (!join) throw new Error(`Analytics model refers to an undefined join "${name}"`);
    for (const required of join.requires ?? []) visit(required);
    ordered.push(name);
  };
  for (const name of names) visit(name);
  return ordered;
}

function joinClause(join: JoinDef): Prisma.Sql {
  const keyword = join.kind === "inner" ? "JOIN" : "LEFT JOIN";
  return Prisma.sql`${internal(keyword)} ${definition(join.source)} ON ${definition(join.on)}`;
}

function bind(value: string, type: ValueType): Prisma.Sql {
  return Prisma.sql`CAST(${value} AS ${internal(CASTS[type])})`;
}

/** A date means midnight of that day in the query's time zone; a date-time is that instant. */
function instant(value: string, timezone: string, plusDays = 0): Prisma.Sql {
  if (!isDateOnly(value)) return bind(value, "time");
  const day = plusDays
    ? Prisma.sql`(CAST(${value} AS date) + ${internal(String(plusDays))})`
    : Prisma.sql`CAST(${value} AS date)`;
  return Prisma.sql`(CAST(${day} AS timestamp) AT TIME ZONE CAST(${timezone} AS text))`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, "\\$&");
}

function isNegated(operator: ResolvedFilter["operator"]): boolean {
  return operator === "notEquals" || operator === "notIn" || operator === "notContains" || operator === "notSet";
}

/** The positive form of a filter's condition (notIn -> in, notSet -> set, ...) on an expression. */
function positiveCondition(
  expression: Prisma.Sql,
  filter: ResolvedFilter,
  type: ValueType,
  timezone: string,
): Prisma.Sql {
  const value = (v: string) => (type === "time" ? instant(v, timezone) : bind(v, type));
  switch (filter.operator) {
    case "equals":
    case "notEquals":
    case "in":
    case "notIn":
      return Prisma.sql`${expression} IN (${Prisma.join(filter.values.map(value))})`;
    case "contains":
    case "notContains":
      return Prisma.sql`(${Prisma.join(
        filter.values.map((v) => Prisma.sql`${expression} ILIKE CAST(${`%${escapeLike(v)}%`} AS text)`),
        " OR ",
      )})`;
    case "gt":
      return Prisma.sql`${expression} > ${value(filter.values[0]!)}`;
    case "gte":
      return Prisma.sql`${expression} >= ${value(filter.values[0]!)}`;
    case "lt":
      return Prisma.sql`${expression} < ${value(filter.values[0]!)}`;
    case "lte":
      return Prisma.sql`${expression} <= ${value(filter.values[0]!)}`;
    case "set":
    case "notSet":
      return Prisma.sql`${expression} IS NOT NULL`;
  }
}

/** `notEquals` and friends keep rows where the value is null, as in Cube. */
function condition(expression: Prisma.Sql, filter: ResolvedFilter, type: ValueType, timezone: string): Prisma.Sql {
  const positive = positiveCondition(expression, filter, type, timezone);
  return isNegated(filter.operator) ? Prisma.sql`(${expression} IS NULL OR NOT (${positive}))` : positive;
}

function bucket(dimension: Member<DimensionDef> & { granularity: Granularity }, timezone: string): Prisma.Sql {
  // The start of the bucket in the query's time zone, as an instant (timestamptz).
  const tz = Prisma.sql`CAST(${timezone} AS text)`;
  return Prisma.sql`(date_trunc(CAST(${dimension.granularity} AS text), ${definition(dimension.def.sql)} AT TIME ZONE ${tz}) AT TIME ZONE ${tz})`;
}

/**
 * Compiles a resolved query to one parameterised SELECT: the model's table and joins, the caller's store
 * always in the WHERE clause, GROUP BY and ORDER BY by ordinal, and one row more than the limit (to tell
 * whether the result was cut).
 */
export function compileQuery(query: ResolvedQuery, storeId: string): CompiledQuery {
  const { model, timezone } = query;
  const columns: Column[] = [
    ...query.dimensions.map((d): Column => ({ name: d.name, kind: "dimension", member: d.name, type: d.def.type })),
    ...(query.timeDimension
      ? [
          {
            name: timeColumnName(query.timeDimension.name, query.timeDimension.granularity),
            kind: "timeDimension" as const,
            member: query.timeDimension.name,
            type: "time" as const,
            granularity: query.timeDimension.granularity,
          },
        ]
      : []),
    ...query.measures.map((m): Column => ({ name: m.name, kind: "measure", member: m.name, type: m.def.type })),
  ];
  const aliases = columns.map((_, i) => `c${i}`);

  const selects: Prisma.Sql[] = [
    ...query.dimensions.map((d) => definition(d.def.sql)),
    ...(query.timeDimension ? [bucket(query.timeDimension, timezone)] : []),
    ...query.measures.map((m) => Prisma.sql`CAST((${definition(m.def.sql)}) AS bigint)`),
  ].map((expression, i) => Prisma.sql`${expression} AS ${internal(`"${aliases[i]}"`)}`);

  // Joins in the outer query: the model's own, the measures', the grouped dimensions' and those of
  // filtered dimensions that cannot multiply rows.
  const outer = new Set<string>(model.baseJoins ?? []);
  for (const m of query.measures) for (const j of m.def.joins ?? []) outer.add(j);
  for (const d of [...query.dimensions, ...(query.timeDimension ? [query.timeDimension] : [])])
    for (const j of d.def.joins ?? []) outer.add(j);
  for (const f of query.filters) {
    if (f.kind !== "dimension") continue;
    const chain = withRequirements(model, f.member.def.joins ?? []);
    const firstFanOut = chain.findIndex((j) => model.joins[j]!.fanOut);
    for (const j of firstFanOut < 0 ? chain : chain.slice(0, firstFanOut)) outer.add(j);
  }
  const outerJoins = withRequirements(model, outer);

  const where: Prisma.Sql[] = [Prisma.sql`${definition(model.store)} = CAST(${storeId} AS uuid)`];
  if (query.dateRange) {
    const column = definition(query.dateRange.member.def.sql);
    if (query.dateRange.from) where.push(Prisma.sql`${column} >= ${instant(query.dateRange.from, timezone)}`);
    if (query.dateRange.to) where.push(Prisma.sql`${column} < ${instant(query.dateRange.to, timezone, 1)}`);
  }
  const having: Prisma.Sql[] = [];
  for (const f of query.filters) {
    if (f.kind === "measure") {
      having.push(
        condition(Prisma.sql`CAST((${definition(f.member.def.sql)}) AS numeric)`, f, f.member.def.type, timezone),
      );
      continue;
    }
    const needed = withRequirements(model, f.member.def.joins ?? []);
    const missing = needed.filter((j) => !outerJoins.includes(j));
    if (!missing.length) {
      where.push(condition(definition(f.member.def.sql), f, f.member.def.type, timezone));
      continue;
    }
    // A dimension behind a fan-out join that is not grouped: test it in an EXISTS over that join, so a
    // row matching through several categories still counts once.
    where.push(existsCondition(model, missing, f, timezone));
  }

  const groupCount = query.dimensions.length + (query.timeDimension ? 1 : 0);
  const ordinal = (column: string) => columns.findIndex((c) => c.name === column) + 1;
  const orderBy: { position: number; direction: "asc" | "desc" }[] = query.order.map((o) => ({
    position: ordinal(o.column),
    direction: o.direction,
  }));
  if (!orderBy.length) {
    const time = columns.findIndex((c) => c.kind === "timeDimension");
    const measure = columns.findIndex((c) => c.kind === "measure");
    if (time >= 0) orderBy.push({ position: time + 1, direction: "asc" });
    else if (measure >= 0) orderBy.push({ position: measure + 1, direction: "desc" });
  }
  // Then every grouped column, so that pages are stable.
  for (let position = 1; position <= groupCount; position++) {
    if (!orderBy.some((o) => o.position === position)) orderBy.push({ position, direction: "asc" });
  }

  const sql = Prisma.sql`SELECT ${Prisma.join(selects, ", ")}
    FROM ${definition(model.from)}
    ${
      outerJoins.length
        ? Prisma.join(
            outerJoins.map((j) => joinClause(model.joins[j]!)),
            "\n    ",
          )
        : Prisma.empty
    }
    WHERE ${Prisma.join(where, " AND ")}
    ${groupCount ? Prisma.sql`GROUP BY ${internal(Array.from({ length: groupCount }, (_, i) => String(i + 1)).join(", "))}` : Prisma.empty}
    ${having.length ? Prisma.sql`HAVING ${Prisma.join(having, " AND ")}` : Prisma.empty}
    ${orderBy.length ? Prisma.sql`ORDER BY ${internal(orderBy.map((o) => `${o.position} ${o.direction === "desc" ? "DESC" : "ASC"} NULLS LAST`).join(", "))}` : Prisma.empty}
    LIMIT ${query.limit + 1} OFFSET ${query.offset}`;
  return { sql, columns, aliases };
}

/** `[NOT] EXISTS (SELECT 1 FROM <joins from the first fan-out on> WHERE <link> AND <condition>)`. */
function existsCondition(model: ModelDef, joins: string[], filter: ResolvedFilter, timezone: string): Prisma.Sql {
  const [first, ...rest] = joins.map((j) => model.joins[j]!);
  const expression = definition(filter.member.def.sql);
  const positive = positiveCondition(expression, filter, filter.member.def.type, timezone);
  const from = Prisma.sql`${definition(first!.source)}${
    rest.length
      ? Prisma.sql` ${Prisma.join(
          rest.map((j) => Prisma.sql`JOIN ${definition(j.source)} ON ${definition(j.on)}`),
          " ",
        )}`
      : Prisma.empty
  }`;
  const exists = Prisma.sql`EXISTS (SELECT 1 FROM ${from} WHERE ${definition(first!.on)} AND ${positive})`;
  return isNegated(filter.operator) ? Prisma.sql`NOT ${exists}` : exists;
}

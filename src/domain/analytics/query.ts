import { z } from "zod";
import { type FieldError, ValidationError } from "../errors.js";
import { parseInput } from "../validation.js";
import {
  type DimensionDef,
  GRANULARITIES,
  type Granularity,
  ANALYTICS_LIMITS as LIMITS,
  type MeasureDef,
  MODELS,
  type ModelDef,
  OPERATORS,
  OPERATORS_BY_TYPE,
  type Operator,
  type ValueType,
} from "./models.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^-?\d{1,15}(\.\d{1,6})?$/;
const TIMEZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** A date (`2026-01-31`, midnight in the query's timezone) or a date-time with an offset. */
export function isInstant(value: string): boolean {
  // PostgreSQL has no year 0.
  return !value.startsWith("0000") && (isoDate.safeParse(value).success || isoDateTime.safeParse(value).success);
}

export function isDateOnly(value: string): boolean {
  return isoDate.safeParse(value).success;
}

const INSTANT_MESSAGE = "must be an ISO 8601 date (2026-01-31) or date-time with offset (2026-01-31T12:00:00Z)";
const instant = z.string().max(40).refine(isInstant, INSTANT_MESSAGE);
const member = z.string().min(1).max(64);

/**
 * The query format (Cube.js-shaped, with unqualified member names). Nulls count as absent, as GraphQL
 * sends them for omitted input fields.
 */
export const analyticsQuerySchema = z
  .object({
    model: member,
    measures: z.array(member).max(LIMITS.maxMeasures).default([]),
    dimensions: z.array(member).max(LIMITS.maxDimensions).default([]),
    timeDimension: z
      .object({ dimension: member, granularity: z.enum(GRANULARITIES) })
      .strict()
      .optional(),
    dateRange: z.object({ from: instant.optional(), to: instant.optional() }).strict().optional(),
    timezone: z.string().max(64).default("UTC"),
    filters: z
      .array(
        z
          .object({
            member,
            operator: z.enum(OPERATORS),
            // PostgreSQL text cannot hold NUL.
            values: z
              .array(
                z
                  .string()
                  .max(200)
                  .refine((v) => !v.includes("\u0000"), "must not contain NUL characters"),
              )
              .max(LIMITS.maxValues)
              .default([]),
          })
          .strict(),
      )
      .max(LIMITS.maxFilters)
      .default([]),
    order: z
      .array(z.object({ member, direction: z.enum(["asc", "desc"]).default("asc") }).strict())
      .max(LIMITS.maxDimensions + LIMITS.maxMeasures + 1)
      .default([]),
    limit: z.number().int().min(1).max(LIMITS.maxRows).default(LIMITS.defaultRows),
    offset: z.number().int().min(0).max(LIMITS.maxOffset).default(0),
  })
  .strict();

export type AnalyticsQueryInput = z.input<typeof analyticsQuerySchema>;

export interface Member<D> {
  name: string;
  def: D;
}

export type ResolvedFilter =
  | { kind: "dimension"; member: Member<DimensionDef>; operator: Operator; values: string[] }
  | { kind: "measure"; member: Member<MeasureDef>; operator: Operator; values: string[] };

/** A query checked against its model: every name resolved to its definition. */
export interface ResolvedQuery {
  modelName: string;
  model: ModelDef;
  dimensions: Member<DimensionDef>[];
  timeDimension?: Member<DimensionDef> & { granularity: Granularity };
  measures: Member<MeasureDef>[];
  dateRange?: { member: Member<DimensionDef>; from?: string; to?: string };
  timezone: string;
  filters: ResolvedFilter[];
  /** Column names (see columnName) with their direction. */
  order: { column: string; direction: "asc" | "desc" }[];
  limit: number;
  offset: number;
}

export function timeColumnName(dimension: string, granularity: Granularity): string {
  return `${dimension}.${granularity}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}

function isKnownTimezone(name: string): boolean {
  if (!TIMEZONE.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function valueProblem(type: ValueType, value: string): string | null {
  switch (type) {
    case "id":
      return UUID.test(value) ? null : "must be a UUID";
    case "boolean":
      return value === "true" || value === "false" ? null : "must be true or false";
    case "time":
      return isInstant(value) ? null : INSTANT_MESSAGE;
    case "integer":
    case "money":
      return NUMBER.test(value) ? null : "must be a number";
    case "string":
      return null;
  }
}

function expectedValueCount(operator: Operator): "none" | "one" | "some" {
  if (operator === "set" || operator === "notSet") return "none";
  if (operator === "gt" || operator === "gte" || operator === "lt" || operator === "lte") return "one";
  return "some";
}

function names(record: Readonly<Record<string, unknown>>): string {
  return Object.keys(record).join(", ");
}

/**
 * Validates a query against the models: field-level VALIDATION_FAILED for anything unknown, unsupported or
 * malformed (every problem at once, with its path into the query).
 */
export function resolveQuery(input: unknown, models: Readonly<Record<string, ModelDef>> = MODELS): ResolvedQuery {
  const query = parseInput(analyticsQuerySchema, dropNulls(input));
  const model = Object.hasOwn(models, query.model) ? models[query.model] : undefined;
  if (!model) {
    throw ValidationError.field("model", "unknown_model", `Unknown model "${query.model}"; one of ${names(models)}.`);
  }
  const problems: FieldError[] = [];
  const problem = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const measureOf = (name: string) => (Object.hasOwn(model.measures, name) ? model.measures[name] : undefined);
  const dimensionOf = (name: string) => (Object.hasOwn(model.dimensions, name) ? model.dimensions[name] : undefined);

  const measures: Member<MeasureDef>[] = [];
  query.measures.forEach((name, i) => {
    const def = measureOf(name);
    if (!def)
      problem(
        `measures.${i}`,
        "unknown_measure",
        `Unknown measure "${name}" of ${query.model}; one of ${names(model.measures)}.`,
      );
    else if (measures.some((m) => m.name === name))
      problem(`measures.${i}`, "duplicate", `Measure "${name}" is listed twice.`);
    else measures.push({ name, def });
  });

  const dimensions: Member<DimensionDef>[] = [];
  query.dimensions.forEach((name, i) => {
    const def = dimensionOf(name);
    if (!def)
      problem(
        `dimensions.${i}`,
        "unknown_dimension",
        `Unknown dimension "${name}" of ${query.model}; one of ${names(model.dimensions)}.`,
      );
    else if (def.type === "time")
      problem(
        `dimensions.${i}`,
        "time_dimension",
        `"${name}" is a time dimension: group by it with timeDimension and a granularity.`,
      );
    else if (dimensions.some((d) => d.name === name))
      problem(`dimensions.${i}`, "duplicate", `Dimension "${name}" is listed twice.`);
    else dimensions.push({ name, def });
  });

  let timeDimension: ResolvedQuery["timeDimension"];
  if (query.timeDimension) {
    const { dimension: name, granularity } = query.timeDimension;
    const def = dimensionOf(name);
    if (def?.type !== "time") {
      const times = Object.entries(model.dimensions)
        .filter(([, d]) => d.type === "time")
        .map(([n]) => n)
        .join(", ");
      problem(
        "timeDimension.dimension",
        "unknown_dimension",
        `Unknown time dimension "${name}" of ${query.model}; one of ${times}.`,
      );
    } else timeDimension = { name, def, granularity };
  }

  // Money measures come per currency: the currency dimension is always a column next to them.
  const currency = model.currencyDimension;
  if (currency && measures.some((m) => m.def.type === "money") && !dimensions.some((d) => d.name === currency)) {
    dimensions.push({ name: currency, def: model.dimensions[currency]! });
  }

  if (!measures.length && !dimensions.length && !timeDimension && !problems.length) {
    problem("measures", "empty", "Ask for at least one measure, dimension or time dimension.");
  }

  if (!isKnownTimezone(query.timezone))
    problem(
      "timezone",
      "invalid_timezone",
      `Unknown time zone "${query.timezone}"; use an IANA name such as UTC or Europe/Paris.`,
    );

  let dateRange: ResolvedQuery["dateRange"];
  if (query.dateRange && (query.dateRange.from || query.dateRange.to)) {
    const name = timeDimension?.name ?? model.defaultTimeDimension;
    dateRange = { member: { name, def: model.dimensions[name]! }, from: query.dateRange.from, to: query.dateRange.to };
    const { from, to } = query.dateRange;
    // A date-only `to` includes its whole day.
    if (from && to && Date.parse(from) >= Date.parse(to) + (isDateOnly(to) ? 86_400_000 : 0)) {
      problem("dateRange.to", "before_from", "to must be after from.");
    }
  }

  const filters: ResolvedFilter[] = [];
  query.filters.forEach((filter, i) => {
    const at = `filters.${i}`;
    const dimension = dimensionOf(filter.member);
    const measure = measureOf(filter.member);
    const type = dimension?.type ?? measure?.type;
    if (!type) {
      problem(
        `${at}.member`,
        "unknown_member",
        `Unknown member "${filter.member}" of ${query.model}: not a measure or dimension.`,
      );
      return;
    }
    if (!OPERATORS_BY_TYPE[type].includes(filter.operator)) {
      problem(
        `${at}.operator`,
        "unsupported_operator",
        `Operator "${filter.operator}" does not apply to ${type} "${filter.member}"; one of ${OPERATORS_BY_TYPE[type].join(", ")}.`,
      );
      return;
    }
    const count = expectedValueCount(filter.operator);
    const n = filter.values.length;
    if (count === "none" && n > 0) problem(`${at}.values`, "unexpected", `${filter.operator} takes no values.`);
    else if (count === "one" && n !== 1)
      problem(`${at}.values`, "invalid_count", `${filter.operator} takes exactly one value.`);
    else if (count === "some" && n === 0)
      problem(`${at}.values`, "invalid_count", `${filter.operator} takes at least one value.`);
    filter.values.forEach((value, j) => {
      const message = valueProblem(type, value);
      if (message) problem(`${at}.values.${j}`, "invalid_value", `${filter.member} ${message}.`);
    });
    filters.push(
      dimension
        ? {
            kind: "dimension",
            member: { name: filter.member, def: dimension },
            operator: filter.operator,
            values: filter.values,
          }
        : {
            kind: "measure",
            member: { name: filter.member, def: measure! },
            operator: filter.operator,
            values: filter.values,
          },
    );
  });

  const columns = new Set([
    ...dimensions.map((d) => d.name),
    ...measures.map((m) => m.name),
    ...(timeDimension ? [timeColumnName(timeDimension.name, timeDimension.granularity)] : []),
  ]);
  const order: ResolvedQuery["order"] = [];
  query.order.forEach((entry, i) => {
    const column =
      timeDimension && entry.member === timeDimension.name
        ? timeColumnName(timeDimension.name, timeDimension.granularity)
        : entry.member;
    if (!columns.has(column))
      problem(
        `order.${i}.member`,
        "not_selected",
        `Can only order by a selected measure or dimension; "${entry.member}" is not one.`,
      );
    else if (order.some((o) => o.column === column))
      problem(`order.${i}.member`, "duplicate", `"${entry.member}" is ordered by twice.`);
    else order.push({ column, direction: entry.direction });
  });

  if (problems.length) throw new ValidationError(problems);
  return {
    modelName: query.model,
    model,
    dimensions,
    timeDimension,
    measures,
    dateRange,
    timezone: query.timezone,
    filters,
    order,
    limit: query.limit,
    offset: query.offset,
  };
}

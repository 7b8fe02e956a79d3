import type { Db } from "../../infra/db.js";
import { ValidationError } from "../errors.js";
import { type Column, compileQuery } from "./compile.js";
import {
  ANALYTICS_LIMITS,
  type DimensionType,
  GRANULARITIES,
  type Granularity,
  type MeasureType,
  MODELS,
  type ModelDef,
  OPERATORS,
  OPERATORS_BY_TYPE,
  type Operator,
} from "./models.js";
import { resolveQuery } from "./query.js";

export interface AnalyticsResult {
  model: string;
  /** The result's columns, in order: dimensions (with the currency of money measures), time dimension, measures. */
  columns: Column[];
  /** One object per row, keyed by column name. */
  rows: Record<string, string | number | boolean | null>[];
  limit: number;
  offset: number;
  /** More rows matched than `limit`. */
  truncated: boolean;
  timezone: string;
}

export interface AnalyticsMeta {
  models: {
    name: string;
    title: string;
    description: string;
    defaultTimeDimension: string;
    currencyDimension: string | null;
    measures: { name: string; title: string; description: string; type: MeasureType; operators: readonly Operator[] }[];
    dimensions: {
      name: string;
      title: string;
      description: string;
      type: DimensionType;
      operators: readonly Operator[];
    }[];
  }[];
  operators: readonly Operator[];
  granularities: readonly Granularity[];
  limits: { defaultRows: number; maxRows: number; timeoutMs: number };
}

/** What can be asked: every model with its measures and dimensions, the operators, granularities and limits. */
export function analyticsMeta(): AnalyticsMeta {
  return {
    models: Object.entries(MODELS).map(([name, model]) => ({
      name,
      title: model.title,
      description: model.description,
      defaultTimeDimension: model.defaultTimeDimension,
      currencyDimension: model.currencyDimension ?? null,
      measures: Object.entries(model.measures).map(([m, def]) => ({
        name: m,
        title: def.title,
        description: def.description,
        type: def.type,
        operators: OPERATORS_BY_TYPE[def.type],
      })),
      dimensions: Object.entries(model.dimensions).map(([d, def]) => ({
        name: d,
        title: def.title,
        description: def.description,
        type: def.type,
        operators: OPERATORS_BY_TYPE[def.type],
      })),
    })),
    operators: OPERATORS,
    granularities: GRANULARITIES,
    limits: {
      defaultRows: ANALYTICS_LIMITS.defaultRows,
      maxRows: ANALYTICS_LIMITS.maxRows,
      timeoutMs: ANALYTICS_LIMITS.timeoutMs,
    },
  };
}

/** The SQLSTATE and message of a database error, from the driver adapter's cause (either driver). */
function databaseError(error: unknown): { state?: string; message: string } {
  const e = (error ?? {}) as {
    message?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string; message?: string } } };
  };
  const cause = e.meta?.driverAdapterError?.cause;
  return { state: cause?.originalCode ?? cause?.code, message: `${cause?.message ?? ""} ${e.message ?? ""}` };
}

function normalize(value: unknown, column: Column): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case "integer":
    case "money":
      return Number(typeof value === "object" ? String(value) : value);
    case "time":
      return (value instanceof Date ? value : new Date(String(value))).toISOString();
    case "boolean":
      return typeof value === "boolean" ? value : value === "true" || value === "t";
    default:
      return String(value);
  }
}

/**
 * Runs an analytics query within the caller's store: validated against the models, compiled to one
 * parameterised statement, run in a read-only transaction whose statement_timeout cancels it after
 * `timeoutMs` (on PostgreSQL; PGlite accepts the setting but cannot interrupt a statement).
 */
export async function runAnalyticsQuery(
  scope: { prisma: Db; storeId: string },
  input: unknown,
  options: {
    timeoutMs?: number;
    /** Other model definitions (tests); the store filter and parameterisation are the same. */
    models?: Readonly<Record<string, ModelDef>>;
  } = {},
): Promise<AnalyticsResult> {
  const query = resolveQuery(input, options.models);
  const compiled = compileQuery(query, scope.storeId);
  const timeoutMs = options.timeoutMs ?? ANALYTICS_LIMITS.timeoutMs;
  let raw: Record<string, unknown>[];
  try {
    raw = await scope.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SET TRANSACTION READ ONLY`;
        await tx.$queryRaw`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`;
        return tx.$queryRaw<Record<string, unknown>[]>(compiled.sql);
      },
      { maxWait: 10_000, timeout: timeoutMs + 10_000 },
    );
  } catch (error) {
    const { state, message } = databaseError(error);
    if (state === "57014") {
      throw new ValidationError(
        [
          {
            path: "",
            code: "timeout",
            message: `The query ran longer than ${timeoutMs} ms: narrow the date range, filters or dimensions.`,
          },
        ],
        "The analytics query took too long.",
      );
    }
    if (state === "22023" && /time zone/i.test(message)) {
      throw ValidationError.field(
        "timezone",
        "invalid_timezone",
        `The database does not know the time zone "${query.timezone}".`,
      );
    }
    throw error;
  }
  const rows = raw
    .slice(0, query.limit)
    .map((row) =>
      Object.fromEntries(
        compiled.columns.map((column, i) => [column.name, normalize(row[compiled.aliases[i]!], column)]),
      ),
    );
  return {
    model: query.modelName,
    columns: compiled.columns,
    rows,
    limit: query.limit,
    offset: query.offset,
    truncated: raw.length > query.limit,
    timezone: query.timezone,
  };
}

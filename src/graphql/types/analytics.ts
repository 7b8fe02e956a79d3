import type { Column } from "../../domain/analytics/compile.js";
import { ANALYTICS_LIMITS, GRANULARITIES, OPERATORS, type ValueType } from "../../domain/analytics/models.js";
import {
  type AnalyticsMeta,
  type AnalyticsResult,
  analyticsMeta,
  runAnalyticsQuery,
} from "../../domain/analytics/run.js";
import { builder } from "../builder.js";
import { FIELD_COSTS } from "../complexity.js";
import { SortDirectionEnum } from "./catalog.js";

const VALUE_TYPES: readonly ValueType[] = ["string", "id", "boolean", "time", "integer", "money"];

const GranularityEnum = builder.enumType("AnalyticsGranularity", {
  description: "Time buckets, truncated in the query's time zone (weeks start on Monday).",
  values: GRANULARITIES,
});

const OperatorEnum = builder.enumType("AnalyticsFilterOperator", {
  description:
    "equals/in: any of the values; notEquals/notIn: none of them (null passes); contains/notContains: " +
    "case-insensitive substring (strings); gt/gte/lt/lte: one value (numbers, times); set/notSet: no values.",
  values: OPERATORS,
});

const ValueTypeEnum = builder.enumType("AnalyticsValueType", {
  description:
    "string, id (UUID), boolean, time (ISO 8601 instant), integer, money (integer minor units of the row's currency).",
  values: VALUE_TYPES,
});

const ColumnKindEnum = builder.enumType("AnalyticsColumnKind", {
  values: ["dimension", "timeDimension", "measure"] as const,
});

type MetaModel = AnalyticsMeta["models"][number];
type MetaMember = MetaModel["measures"][number] | MetaModel["dimensions"][number];

const MemberRef = builder.objectRef<MetaMember>("AnalyticsMember").implement({
  description: "A measure or dimension of a model.",
  fields: (t) => ({
    name: t.exposeString("name"),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    type: t.field({ type: ValueTypeEnum, resolve: (m) => m.type }),
    operators: t.field({
      type: [OperatorEnum],
      description: "The filter operators that apply to it.",
      resolve: (m) => [...m.operators],
    }),
  }),
});

const ModelRef = builder.objectRef<MetaModel>("AnalyticsModel").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    title: t.exposeString("title"),
    description: t.exposeString("description"),
    defaultTimeDimension: t.exposeString("defaultTimeDimension", {
      description: "What `dateRange` filters when no `timeDimension` is given.",
    }),
    currencyDimension: t.exposeString("currencyDimension", {
      nullable: true,
      description: "Money measures always come grouped by this dimension (it is added when not asked for).",
    }),
    measures: t.field({ type: [MemberRef], resolve: (m) => m.measures }),
    dimensions: t.field({ type: [MemberRef], resolve: (m) => m.dimensions }),
  }),
});

const LimitsRef = builder.objectRef<AnalyticsMeta["limits"]>("AnalyticsLimits").implement({
  fields: (t) => ({
    defaultRows: t.exposeInt("defaultRows"),
    maxRows: t.exposeInt("maxRows"),
    timeoutMs: t.exposeInt("timeoutMs", { description: "Statement timeout on PostgreSQL." }),
  }),
});

const MetaRef = builder.objectRef<AnalyticsMeta>("AnalyticsMeta").implement({
  description: "What can be asked of analyticsQuery.",
  fields: (t) => ({
    models: t.field({ type: [ModelRef], resolve: (m) => m.models }),
    operators: t.field({ type: [OperatorEnum], resolve: (m) => [...m.operators] }),
    granularities: t.field({ type: [GranularityEnum], resolve: (m) => [...m.granularities] }),
    limits: t.field({ type: LimitsRef, resolve: (m) => m.limits }),
  }),
});

const ColumnRef = builder.objectRef<Column>("AnalyticsColumn").implement({
  fields: (t) => ({
    name: t.exposeString("name", {
      description: "The key in each row: the member's name, `<dimension>.<granularity>` for the time dimension.",
    }),
    kind: t.field({ type: ColumnKindEnum, resolve: (c) => c.kind }),
    member: t.exposeString("member"),
    type: t.field({ type: ValueTypeEnum, resolve: (c) => c.type }),
    granularity: t.field({ type: GranularityEnum, nullable: true, resolve: (c) => c.granularity ?? null }),
  }),
});

const ResultRef = builder.objectRef<AnalyticsResult>("AnalyticsResult").implement({
  fields: (t) => ({
    model: t.exposeString("model"),
    columns: t.field({ type: [ColumnRef], resolve: (r) => r.columns }),
    rows: t.field({
      type: ["JSONObject"],
      description: "One object per row, keyed by column name.",
      resolve: (r) => r.rows,
    }),
    limit: t.exposeInt("limit"),
    offset: t.exposeInt("offset"),
    truncated: t.exposeBoolean("truncated", {
      description: "More rows matched than `limit`: raise it (up to the maximum) or page with `offset`.",
    }),
    timezone: t.exposeString("timezone"),
  }),
});

const TimeDimensionInput = builder.inputType("AnalyticsTimeDimensionInput", {
  fields: (t) => ({
    dimension: t.string({ required: true, description: "A time dimension of the model, e.g. createdAt." }),
    granularity: t.field({ type: GranularityEnum, required: true }),
  }),
});

const DateRangeInput = builder.inputType("AnalyticsDateRangeInput", {
  description:
    "On the time dimension (the model's default one without timeDimension). A date (2026-01-31) is midnight in " +
    "the query's time zone, a date-time needs an offset. `from` is inclusive; `to` is exclusive, except that a " +
    "date-only `to` includes its whole day.",
  fields: (t) => ({
    from: t.string(),
    to: t.string(),
  }),
});

const FilterInput = builder.inputType("AnalyticsFilterInput", {
  description: "All filters must hold. A filter on a measure applies to the grouped rows (SQL HAVING).",
  fields: (t) => ({
    member: t.string({ required: true, description: "A dimension or measure of the model." }),
    operator: t.field({ type: OperatorEnum, required: true }),
    values: t.stringList({
      description: `Always strings, as in Cube ("true", "42", "2026-01-31"); at most ${ANALYTICS_LIMITS.maxValues}.`,
    }),
  }),
});

const OrderInput = builder.inputType("AnalyticsOrderInput", {
  fields: (t) => ({
    member: t.string({
      required: true,
      description: "A selected measure or dimension (the time dimension by its name).",
    }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: "asc" }),
  }),
});

const QueryInput = builder.inputType("AnalyticsQueryInput", {
  description: "A Cube.js-style query of one model; see analyticsMeta for what each model offers.",
  fields: (t) => ({
    model: t.string({ required: true, description: "orders, orderLines, customers, refunds or inventory." }),
    measures: t.stringList({
      description: `Aggregates, e.g. revenue, count (at most ${ANALYTICS_LIMITS.maxMeasures}).`,
    }),
    dimensions: t.stringList({
      description: `Group by these, e.g. status, category (at most ${ANALYTICS_LIMITS.maxDimensions}).`,
    }),
    timeDimension: t.field({ type: TimeDimensionInput, description: "Group by a time dimension in buckets." }),
    dateRange: t.field({ type: DateRangeInput }),
    timezone: t.string({ description: "IANA time zone of the buckets and of date-only bounds; default UTC." }),
    filters: t.field({ type: [FilterInput] }),
    order: t.field({
      type: [OrderInput],
      description: "Default: the time bucket ascending, else the first measure descending; then every grouped column.",
    }),
    limit: t.int({ description: `Rows, 1 to ${ANALYTICS_LIMITS.maxRows}; default ${ANALYTICS_LIMITS.defaultRows}.` }),
    offset: t.int({ description: "Rows to skip (default 0)." }),
  }),
});

builder.queryFields((t) => ({
  analyticsMeta: t.field({
    type: MetaRef,
    description:
      "The analytics models with their measures and dimensions, the filter operators, granularities and limits.",
    authScopes: { permission: "analytics:read" },
    resolve: () => analyticsMeta(),
  }),
  analyticsQuery: t.field({
    type: ResultRef,
    complexity: FIELD_COSTS.analyticsQuery,
    description:
      "Runs an analytics query within the caller's store. Invalid queries fail with VALIDATION_FAILED and " +
      "`extensions.fieldErrors` (path into the input).",
    authScopes: { permission: "analytics:read" },
    args: { input: t.arg({ type: QueryInput, required: true }) },
    resolve: (_root, { input }, ctx) => runAnalyticsQuery(ctx, input),
  }),
}));

import { ANALYTICS_LIMITS as LIMITS } from "../../../domain/analytics/models.js";
import { route } from "./route.js";

const tag = "Analytics";

const MEMBER = "name title description type operators";

const QUERY_FORMAT = `A small semantic layer over the store's data, queried in the shape of Cube.js queries (member names are
unqualified: \`revenue\`, not \`Orders.revenue\`). \`GET /analytics/meta\` lists every model with its measures and
dimensions, their types and the filter operators that apply to them.

**Models**: \`orders\`, \`orderLines\` (what was sold: units, line revenue, product, category, brand),
\`customers\`, \`refunds\` (by refund date) and \`inventory\` (stock as it is now).

**Body**

| Field | |
|---|---|
| \`model\` | required |
| \`measures\` | aggregates, e.g. \`["revenue", "count"]\` |
| \`dimensions\` | group by these, e.g. \`["status"]\` |
| \`timeDimension\` | \`{ "dimension": "createdAt", "granularity": "day" }\`: group by time buckets (hour, day, week (Monday), month, quarter, year) |
| \`dateRange\` | \`{ "from": "2026-01-01", "to": "2026-01-31" }\` on the time dimension (the model's default one without \`timeDimension\`). A date is midnight in \`timezone\`; date-times need an offset. \`from\` is inclusive, \`to\` exclusive, except that a date-only \`to\` includes its whole day |
| \`timezone\` | IANA name for buckets and date-only bounds (default \`UTC\`) |
| \`filters\` | \`[{ "member": "status", "operator": "in", "values": ["confirmed"] }]\`, all must hold. Values are always strings. Operators: \`equals\`/\`in\` (any of the values), \`notEquals\`/\`notIn\` (none of them; null passes), \`contains\`/\`notContains\` (case-insensitive, strings), \`gt\`/\`gte\`/\`lt\`/\`lte\` (one value; numbers and times), \`set\`/\`notSet\` (no values). A filter on a measure applies to the grouped rows |
| \`order\` | \`[{ "member": "revenue", "direction": "desc" }]\`; default: the time bucket ascending, else the first measure descending; then every grouped column |
| \`limit\` | rows, 1 to ${LIMITS.maxRows} (default ${LIMITS.defaultRows}); \`truncated\` in the answer says whether more matched |
| \`offset\` | rows to skip |

**Answer**: \`columns\` (name, kind, type) and \`rows\`, one object per row keyed by column name; the time bucket's key is
\`<dimension>.<granularity>\` (e.g. \`createdAt.day\`) and its value the instant the bucket starts.

**Money** is integer minor units and is never added up across currencies: a query with a money measure
(revenue, refunds, ...) is always grouped by \`currency\`, which is added to the columns when not asked for.
\`revenue\` of \`orders\` sums grand totals (with tax and shipping) of every status unless you filter \`status\`.

**Safety and limits**: a query is checked against the models (unknown models, members or operators and malformed
values are 422 \`VALIDATION_FAILED\` with the path of each problem); it compiles to one parameterised statement
(names come only from the model definitions, values are bound parameters), always within the caller's store, run
read-only with a ${LIMITS.timeoutMs / 1000} s statement timeout on PostgreSQL (422 with code \`timeout\` when exceeded).
There is no vendor dimension yet (no marketplace vendors exist).`;

const EXAMPLE = {
  model: "orders",
  measures: ["revenue", "count", "averageOrderValue"],
  dimensions: ["status"],
  timeDimension: { dimension: "createdAt", granularity: "day" },
  dateRange: { from: "2026-01-01", to: "2026-01-31" },
  timezone: "UTC",
  filters: [{ member: "status", operator: "in", values: ["confirmed", "fulfilled"] }],
  order: [{ member: "createdAt", direction: "asc" }],
  limit: 100,
};

export const analyticsRoutes = [
  route({
    method: "GET",
    path: "/analytics/meta",
    summary: "List available models, measures, and dimensions",
    tag,
    permission: "analytics:read",
    description:
      "Every model of the analytics layer with its measures and dimensions (name, title, type, applicable filter " +
      "operators), the granularities and the row and time limits. See `POST /analytics/query` for the query format.",
    operation: `query {
      analyticsMeta {
        models { name title description defaultTimeDimension currencyDimension measures { ${MEMBER} } dimensions { ${MEMBER} } }
        operators granularities limits { defaultRows maxRows timeoutMs }
      }
    }`,
    result: ["analyticsMeta"],
  }),
  route({
    method: "POST",
    path: "/analytics/query",
    summary: "Execute an analytics query",
    tag,
    permission: "analytics:read",
    description: QUERY_FORMAT,
    operation: `query ($input: AnalyticsQueryInput!) {
      analyticsQuery(input: $input) {
        model columns { name kind member type granularity } rows limit offset truncated timezone
      }
    }`,
    body: { variable: "input", example: EXAMPLE },
    result: ["analyticsQuery"],
  }),
];

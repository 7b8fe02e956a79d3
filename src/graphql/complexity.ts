import { complexityFromQuery } from "@pothos/plugin-complexity";
import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import { type ConnectionArgs, pageComplexity } from "./pagination.js";

/** Query cost limits, checked before execution starts: an abusive query runs no resolver. */
export const COMPLEXITY_LIMITS = { complexity: 100_000, depth: 12, breadth: 300 };

/**
 * The cost of a field that runs heavy statements of its own, on top of what it selects. Most fields
 * cost 1 per object (a list of 100 entities with every relation is ~80,000); these do work no selection
 * shows: a full-text search ranks over the GIN index and counts and facets every hit, an analytics query
 * aggregates a table. A search is a tenth of the budget, so one request runs at most nine (aliases
 * cannot multiply it), and REST's largest search (100 hits, every include) still fits.
 */
export const FIELD_COSTS = {
  fullTextSearch: COMPLEXITY_LIMITS.complexity / 10,
  /** One prefix tsquery on the index, at most 50 titles. */
  searchSuggestions: COMPLEXITY_LIMITS.complexity / 40,
  analyticsQuery: COMPLEXITY_LIMITS.complexity / 10,
};

/** A full-text search connection: its fixed cost, plus its page of hits. */
export function searchComplexity(args: ConnectionArgs) {
  return { ...pageComplexity(args), field: FIELD_COSTS.fullTextSearch };
}

/**
 * Measures every operation with Pothos's complexity model (field costs and list multipliers come from
 * the schema, with this request's variables) and refuses it before execution when over a limit; the
 * measured cost is reported in `extensions.complexity` (subscriptions are checked when they start).
 * This runs at execute time, not as a validation
 * rule, because Yoga caches validation per document: a rule would see only a document's first request
 * and its variables.
 */
export function useComplexityLimits(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { cost, exceeded } = measure(args);
      if (!cost) return;
      const extensions = { complexity: { ...cost, limits: COMPLEXITY_LIMITS } };
      if (exceeded.length) {
        setResultAndStopExecution({ errors: exceeded, extensions });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          setResult({ ...single, extensions: { ...single.extensions, ...extensions } });
        },
      };
    },
    // Subscriptions are measured the same way before they start.
    onSubscribe({ args, setResultAndStopExecution }) {
      const { exceeded } = measure(args);
      if (exceeded.length) setResultAndStopExecution({ errors: exceeded });
    },
  };
}

function measure(args: {
  document: DocumentNode;
  schema: GraphQLSchema;
  contextValue: unknown;
  variableValues?: unknown;
}) {
  let cost: { complexity: number; depth: number; breadth: number };
  try {
    cost = complexityFromQuery(args.document, {
      schema: args.schema,
      ctx: args.contextValue as object,
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
    });
  } catch {
    return { cost: null, exceeded: [] }; // invalid variables: execution reports them
  }
  const exceeded = (Object.keys(COMPLEXITY_LIMITS) as (keyof typeof COMPLEXITY_LIMITS)[])
    .filter((key) => cost[key] > COMPLEXITY_LIMITS[key])
    .map(
      (key) =>
        new GraphQLError(`Query ${key} of ${cost[key]} exceeds the maximum of ${COMPLEXITY_LIMITS[key]}.`, {
          extensions: { code: "BAD_REQUEST" },
        }),
    );
  return { cost, exceeded };
}

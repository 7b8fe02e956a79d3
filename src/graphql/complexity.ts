import { complexityFromQuery } from "@pothos/plugin-complexity";
import { type ExecutionResult, GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

/** Query cost limits, checked before execution starts: an abusive query runs no resolver. */
export const COMPLEXITY_LIMITS = { complexity: 100_000, depth: 12, breadth: 300 };

/**
 * Measures every operation with Pothos's complexity model (field costs and list multipliers come from
 * the schema, with this request's variables) and refuses it before execution when over a limit; the
 * measured cost is reported in `extensions.complexity`. This runs at execute time, not as a validation
 * rule, because Yoga caches validation per document: a rule would see only a document's first request
 * and its variables.
 */
export function useComplexityLimits(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let cost: { complexity: number; depth: number; breadth: number };
      try {
        cost = complexityFromQuery(args.document, {
          schema: args.schema,
          ctx: args.contextValue as object,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
        });
      } catch {
        return; // invalid variables: execution reports them
      }
      const exceeded = (Object.keys(COMPLEXITY_LIMITS) as (keyof typeof COMPLEXITY_LIMITS)[])
        .filter((measure) => cost[measure] > COMPLEXITY_LIMITS[measure])
        .map(
          (measure) =>
            new GraphQLError(`Query ${measure} of ${cost[measure]} exceeds the maximum of ${COMPLEXITY_LIMITS[measure]}.`, {
              extensions: { code: "BAD_REQUEST" },
            }),
        );
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
  };
}

import { createComplexityRule } from "@pothos/plugin-complexity";
import type { ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";

/** Query cost limits, enforced while the document is validated: an abusive query runs no resolver. */
export const COMPLEXITY_LIMITS = { complexity: 20_000, depth: 12, breadth: 300 };

interface Measured {
  complexity: number;
  depth: number;
  breadth: number;
}

/**
 * Adds Pothos's complexity rule (field costs and list multipliers come from the schema) to validation,
 * and reports the measured cost in `extensions.complexity` of every response.
 */
export function useComplexityLimits(): Plugin {
  const measured = new WeakMap<object, Measured>();
  return {
    onValidate({ context, addValidationRule }) {
      const params = (context as { params?: { variables?: Record<string, unknown>; operationName?: string } }).params;
      addValidationRule(
        createComplexityRule({
          context,
          variableValues: params?.variables ?? {},
          operationName: params?.operationName,
          maxComplexity: COMPLEXITY_LIMITS.complexity,
          maxDepth: COMPLEXITY_LIMITS.depth,
          maxBreadth: COMPLEXITY_LIMITS.breadth,
          onResult: (result) => void measured.set(context, result),
        }),
      );
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const cost = measured.get(args.contextValue as object);
          if (!cost || !result || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          setResult({
            ...single,
            extensions: { ...single.extensions, complexity: { ...cost, limits: COMPLEXITY_LIMITS } },
          });
        },
      };
    },
  };
}

import {
  type DocumentNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getOperationAST,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  typeFromAST,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { ValidationError } from "../domain/errors.js";
import {
  INPUT_LIMITS,
  type InputProblem,
  nulProblem,
  oversizedJsonProblem,
  toFieldError,
  unsafeJsonProblem,
} from "../domain/validation.js";
import { withParseLimits } from "./parse-limits.js";

type Path = readonly (string | number)[];

/** Enough problems to fix a request; a list of 10,000 bad strings does not need 10,000 messages. */
const MAX_PROBLEMS = 20;

/**
 * The input field extension that sets a field's own length cap, e.g. a signed webhook payload that may
 * be longer than any text we store: `t.string({ extensions: { maxLength: 1_048_576 } })`.
 */
export interface InputLimitExtensions {
  maxLength?: number;
}

/**
 * The problems of a value a client sends for an input type, walked along the type: NUL in any string
 * or JSON key (PostgreSQL rejects it in text and jsonb), strings longer than their cap (the field's
 * `maxLength` extension, else INPUT_LIMITS.idLength for ID and INPUT_LIMITS.textLength for any other
 * scalar), JSON values nested deeper than INPUT_LIMITS.depth or larger than INPUT_LIMITS.jsonBytes.
 * Anything of the wrong shape is left to GraphQL's coercion, which reports it with its path.
 */
export function inputValueProblems(
  type: GraphQLInputType,
  value: unknown,
  path: Path,
  maxLength?: number,
): InputProblem[] {
  const problems: InputProblem[] = [];
  walk(type, value, path, path.length, maxLength, problems);
  return problems;
}

function walk(
  type: GraphQLInputType,
  value: unknown,
  path: Path,
  rootLength: number,
  maxLength: number | undefined,
  out: InputProblem[],
): void {
  if (value === null || value === undefined || out.length >= MAX_PROBLEMS) return;
  if (path.length - rootLength > INPUT_LIMITS.depth) {
    out.push({ path, code: "too_deep", message: `Must not be nested deeper than ${INPUT_LIMITS.depth} levels.` });
    return;
  }
  if (isNonNullType(type)) {
    walk(type.ofType, value, path, rootLength, maxLength, out);
    return;
  }
  if (isListType(type)) {
    // GraphQL coerces a single value to a one-item list.
    if (!Array.isArray(value)) walk(type.ofType, value, path, rootLength, maxLength, out);
    else value.forEach((item, index) => void walk(type.ofType, item, [...path, index], rootLength, maxLength, out));
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== "object" || Array.isArray(value)) return;
    const fields = type.getFields();
    for (const [name, child] of Object.entries(value)) {
      const field = fields[name];
      if (!field) continue; // coercion refuses unknown fields
      const cap = (field.extensions as InputLimitExtensions | undefined)?.maxLength;
      walk(field.type, child, [...path, name], rootLength, cap, out);
    }
    return;
  }
  if (!isScalarType(type)) return; // enums accept only their names
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      out.push(nulProblem(path));
      return;
    }
    const cap = maxLength ?? (type.name === "ID" ? INPUT_LIMITS.idLength : INPUT_LIMITS.textLength);
    if (value.length > cap)
      out.push({ path, code: "too_big", message: `Must be at most ${cap} characters.`, max: cap });
  } else if (typeof value === "object") {
    // A JSON scalar (metadata, addresses).
    const problem = unsafeJsonProblem(value, path) ?? oversizedJsonProblem(value, path);
    if (problem) out.push(problem);
  }
}

/** Problems of the literal values written in a document (arguments, variable defaults); once per document. */
const literalProblemsByDocument = new WeakMap<DocumentNode, InputProblem[]>();

function literalProblems(schema: GraphQLSchema, document: DocumentNode): InputProblem[] {
  const cached = literalProblemsByDocument.get(document);
  if (cached) return cached;
  const problems: InputProblem[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        if (node.defaultValue && type && isInputType(type)) {
          problems.push(
            ...inputValueProblems(type, valueFromASTUntyped(node.defaultValue), [node.variable.name.value]),
          );
        }
        return false;
      },
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (argument && node.value.kind !== Kind.VARIABLE) {
          const cap = (argument.extensions as InputLimitExtensions | undefined)?.maxLength;
          problems.push(...inputValueProblems(argument.type, valueFromASTUntyped(node.value), [node.name.value], cap));
        }
        return false;
      },
    }),
  );
  literalProblemsByDocument.set(document, problems);
  return problems;
}

/** Every problem of an operation's input: its literals and the variables sent with it. */
export function operationInputProblems(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: unknown;
}): InputProblem[] {
  const problems = [...literalProblems(args.schema, args.document)];
  const operation = getOperationAST(args.document, args.operationName);
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(args.schema, definition.type);
    if (type && isInputType(type) && name in variables)
      problems.push(...inputValueProblems(type, variables[name], [name]));
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** The request-level error for input problems: VALIDATION_FAILED with `fieldErrors`, as maskError shapes a ValidationError. */
function inputError(problems: InputProblem[]): GraphQLError {
  const { message, code, fieldErrors } = new ValidationError(problems.map((p) => toFieldError(p)));
  return new GraphQLError(message, { extensions: { code, fieldErrors } });
}

/**
 * Limits on what a client sends, checked before anything runs: the document (tokens and nesting,
 * parse-limits.ts) and every input value, literal or variable (inputValueProblems), for queries,
 * mutations, subscriptions and the REST routes that run through the same envelop.
 */
export function useInputLimits(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn(withParseLimits(parseFn));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problems = operationInputProblems(args);
      if (problems.length) setResultAndStopExecution({ errors: [inputError(problems)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problems = operationInputProblems(args);
      if (problems.length) setResultAndStopExecution({ errors: [inputError(problems)] });
    },
  };
}

import {
  coerceInputValue,
  type DocumentNode,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  typeFromAST,
} from "graphql";
import { type ErrorCode, type FieldError, isErrorCode } from "../domain/errors.js";
import { RestFailure } from "../http/errors.js";

type Path = readonly (string | number)[];

/**
 * The problems of an operation's variables, each with its path, from graphql-js's own coercion
 * (`coerceInputValue` reports every bad value where it is): wrong types, unknown fields, missing required
 * fields. Paths are dotted like zod's (`lineItems.0.quantity`) and start below the variable, since REST
 * clients know the body, not our variables.
 */
export function variableFieldErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): FieldError[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const found = new Map<string, FieldError>();
  const add = (path: Path, code: string, message: string) => {
    const key = `${path.join(".")}:${code}`;
    if (!found.has(key)) found.set(key, { path: path.slice(path.length > 1 ? 1 : 0).join("."), code, message });
  };
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type) continue;
    const value = variables[name];
    if (value === undefined) {
      if (isNonNullType(type) && !definition.defaultValue)
        add([name], "required", `Variable "$${name}" of required type "${String(type)}" was not provided.`);
      continue;
    }
    coerceInputValue(value, type, (path, invalid, error) => {
      const at = [name, ...path];
      const owner = typeAt(type, path);
      // At an input object, coercion names a missing or unknown field in its message only: find them
      // structurally, so each gets its own path and code.
      if (owner && isInputObjectType(owner) && invalid && typeof invalid === "object" && !Array.isArray(invalid)) {
        const fields = owner.getFields();
        const given = invalid as Record<string, unknown>;
        for (const field of Object.values(fields)) {
          if (isNonNullType(field.type) && field.defaultValue === undefined && given[field.name] === undefined) {
            add(
              [...at, field.name],
              "required",
              `Field "${field.name}" of required type "${String(field.type)}" was not provided.`,
            );
          }
        }
        for (const key of Object.keys(given)) {
          if (!fields[key])
            add([...at, key], "unrecognized_key", `Field "${key}" is not defined by type "${owner.name}".`);
        }
        return;
      }
      add(at, "invalid_type", error.message.replace(/ Did you mean .*$/s, ""));
    });
  }
  return [...found.values()];
}

/** The named type a coercion path leads to (list positions step into the item type). */
function typeAt(type: GraphQLInputType, path: Path): GraphQLInputType | undefined {
  let current: GraphQLInputType | undefined = type;
  for (const step of path) {
    while (current && isNonNullType(current)) current = current.ofType;
    if (!current) return undefined;
    if (isListType(current)) current = typeof step === "number" ? current.ofType : undefined;
    else if (isInputObjectType(current)) current = current.getFields()[step]?.type;
    else return undefined;
  }
  return current && (getNamedType(current) as GraphQLInputType);
}

/**
 * Maps the errors of an executed operation to the one REST failure they mean: bad variables become
 * field-level VALIDATION_FAILED (found again by coercion, not read from messages); otherwise the first
 * error's ErrorCode. Field paths under the variable the body became (`input.email`) are given relative
 * to the body (`email`), as the client sent it.
 */
export function failureFromGraphQLErrors(
  errors: readonly GraphQLError[],
  operation: { schema: GraphQLSchema; document: DocumentNode; variables: Record<string, unknown> },
  bodyVariable?: string,
): RestFailure {
  const fieldErrors = variableFieldErrors(operation.schema, operation.document, operation.variables);
  if (fieldErrors.length) return RestFailure.of("VALIDATION_FAILED", "Input validation failed.", fieldErrors);
  const first = errors[0]!;
  const code = first.extensions?.code;
  if (isErrorCode(code)) {
    const prefix = bodyVariable && `${bodyVariable}.`;
    const details = (first.extensions.fieldErrors as FieldError[] | undefined)?.map((e) =>
      prefix && e.path.startsWith(prefix) ? { ...e, path: e.path.slice(prefix.length) } : e,
    );
    const retryAfterSeconds = first.extensions.retryAfterSeconds;
    return RestFailure.of(
      code,
      first.message,
      details ?? (typeof retryAfterSeconds === "number" ? { retryAfterSeconds } : undefined),
    );
  }
  return new RestFailure(500, { code: "INTERNAL_ERROR", message: "Unexpected error." });
}

interface TypedErrorValue {
  __typename: string;
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldError[];
}

/** A mutation's result union member that is one of our typed errors, or null when it is the payload. */
export function failureFromErrorResult(value: unknown): RestFailure | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<TypedErrorValue>;
  if (!v.__typename || typeof v.code !== "string" || typeof v.message !== "string") return null;
  // Field errors become `details[]`; the typed error's other fields (currentStatus, reason, available...)
  // become the `details` object.
  const {
    __typename: _t,
    code,
    message,
    fieldErrors,
    context,
    ...rest
  } = v as TypedErrorValue & Record<string, unknown>;
  // A typed error's free-form `context` (checkout failures) is flattened into details beside its fields.
  const flat = { ...rest, ...(context && typeof context === "object" ? (context as Record<string, unknown>) : {}) };
  const details = fieldErrors ?? (Object.keys(flat).length ? flat : undefined);
  return RestFailure.of(code, message, details);
}

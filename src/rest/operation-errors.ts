import type { GraphQLError } from "graphql";
import { type ErrorCode, type FieldError, isErrorCode } from "../domain/errors.js";
import { RestFailure } from "../http/errors.js";

/**
 * GraphQL reports bad variables (wrong types, unknown or missing fields) as request errors. Their path
 * is in the message (`... at "input.status"; reason`), so they become field-level VALIDATION_FAILED.
 */
export function variableErrorToField(message: string): FieldError | null {
  const match = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s.exec(message);
  if (!match) return null;
  const [, variable, at, reason] = match;
  // GraphQL writes list positions as `lineItems[0]`; our paths are dotted like zod's (`lineItems.0`).
  const segments = at ? at.replace(/\[(\d+)\]/g, ".$1").split(".") : [variable!];
  const missing = /Field "([^"]+)" of required type .* was not provided/.exec(reason!);
  const unknown = /Field "([^"]+)" is not defined by type/.exec(reason!);
  const field = missing?.[1] ?? unknown?.[1];
  if (field) segments.push(field);
  // Drop the variable name: REST clients know the body, not our variables.
  const path = segments.slice(1).join(".") || segments[0]!;
  const code = missing ? "required" : unknown ? "unrecognized_key" : "invalid_type";
  return { path, code, message: reason!.replace(/ Did you mean .*$/, "") };
}

/**
 * Maps the errors of an executed operation to the one REST failure they mean. Field paths under the
 * variable the body became (`input.email`) are given relative to the body (`email`), as the client sent it.
 */
export function failureFromGraphQLErrors(errors: readonly GraphQLError[], bodyVariable?: string): RestFailure {
  const fieldErrors = errors.map((e) => variableErrorToField(e.message)).filter((f): f is FieldError => f !== null);
  if (fieldErrors.length) return RestFailure.of("VALIDATION_FAILED", "Input validation failed.", fieldErrors);
  const first = errors[0]!;
  const code = first.extensions?.code;
  if (isErrorCode(code)) {
    const prefix = bodyVariable && `${bodyVariable}.`;
    const details = (first.extensions.fieldErrors as FieldError[] | undefined)?.map((e) =>
      prefix && e.path.startsWith(prefix) ? { ...e, path: e.path.slice(prefix.length) } : e,
    );
    const retryAfterSeconds = first.extensions.retryAfterSeconds;
    return RestFailure.of(code, first.message, details ?? (typeof retryAfterSeconds === "number" ? { retryAfterSeconds } : undefined));
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
  const { __typename: _t, code, message, fieldErrors, context, ...rest } = v as TypedErrorValue & Record<string, unknown>;
  // A typed error's free-form `context` (checkout failures) is flattened into details beside its fields.
  const flat = { ...rest, ...(context && typeof context === "object" ? (context as Record<string, unknown>) : {}) };
  const details = fieldErrors ?? (Object.keys(flat).length ? flat : undefined);
  return RestFailure.of(code, message, details);
}

import type { FieldError } from "../../../domain/errors.js";
import { type RestError, RestFailure } from "../../../http/errors.js";
import { toDialectKeys, toDialectPath } from "./naming.js";
import type { StorefrontRoute } from "./route.js";

/**
 * Our error codes in seed 000's status table: 400 validation, 401 bearer, 403 scope or store mismatch,
 * 404, 409 idempotency conflict or state guard, 422 operation refused, 429. Exhaustive: a new code fails
 * to compile here. `refine` below narrows a few codes further (the same status, a more precise code).
 */
export function storefrontCode(code: RestError["code"]): { status: number; code: string } {
  switch (code) {
    case "BAD_REQUEST":
      return { status: 400, code: "bad_request" };
    case "VALIDATION_FAILED":
      return { status: 400, code: "validation_failed" };
    case "UNAUTHORIZED":
      return { status: 401, code: "unauthorized" };
    case "FORBIDDEN":
      return { status: 403, code: "forbidden" };
    case "NOT_FOUND":
      return { status: 404, code: "not_found" };
    case "METHOD_NOT_ALLOWED":
      return { status: 405, code: "method_not_allowed" };
    case "CONFLICT":
      return { status: 409, code: "conflict" };
    case "PAYLOAD_TOO_LARGE":
      return { status: 413, code: "payload_too_large" };
    case "UNSUPPORTED_MEDIA_TYPE":
      return { status: 415, code: "unsupported_media_type" };
    case "CHECKOUT_FAILED":
      return { status: 422, code: "checkout_failed" };
    case "TOO_MANY_REQUESTS":
      return { status: 429, code: "rate_limited" };
    case "INTERNAL_ERROR":
      return { status: 500, code: "internal_error" };
    default: {
      const unreachable: never = code;
      throw new Error(`Unmapped error code ${String(unreachable)}`);
    }
  }
}

/** A key of one store used on another store's slug (seed 000's "workspace mismatch"). */
export class StoreMismatch extends RestFailure {
  constructor() {
    super(403, { code: "FORBIDDEN", message: "This credential belongs to another store." });
  }
}

type Details = RestError["details"];

const isIdempotencyProblem = (details: Details) =>
  Array.isArray(details)
    ? details.some((d) => d.path === "idempotencyKey" && d.code === "reused")
    : details?.target === "idempotencyKey";

/** The more precise code of a failure, where seed 000's table tells more than our ErrorCode does. */
function refine(failure: RestFailure, spec: StorefrontRoute | undefined): { status: number; code: string } {
  const { code, details } = failure.error;
  if (failure instanceof StoreMismatch) return { status: 403, code: "store_mismatch" };
  if (code === "FORBIDDEN" && spec?.scope) return { status: 403, code: "insufficient_scope" };
  // The same Idempotency-Key with another body, or while the first request is still running.
  if ((code === "VALIDATION_FAILED" || code === "CONFLICT") && isIdempotencyProblem(details)) {
    return { status: 409, code: "idempotency_conflict" };
  }
  // A lifecycle refused the move: in a final state (nothing may follow it, e.g. fulfilling a cancelled
  // order) the operation is refused for good (422); otherwise the state may still change (409).
  if (code === "CONFLICT" && details && !Array.isArray(details) && "currentStatus" in details) {
    const allowed = details.allowedStatuses;
    return Array.isArray(allowed) && allowed.length === 0
      ? { status: 422, code: "operation_refused" }
      : { status: 409, code: "invalid_state" };
  }
  return storefrontCode(code);
}

function dialectField(error: FieldError) {
  const { path, code, message, min, max } = error;
  return {
    path: toDialectPath(path),
    code,
    message,
    ...(min != null ? { min } : {}),
    ...(max != null ? { max } : {}),
  };
}

/** `{ error: { code, message, details? } }` with seed 000's codes, snake_case details and field paths. */
export function storefrontError(failure: RestFailure, spec?: StorefrontRoute): { status: number; body: unknown } {
  const { status, code } = refine(failure, spec);
  const { details, message } = failure.error;
  let shown: unknown;
  if (Array.isArray(details)) shown = details.map(dialectField);
  else if (details) {
    const present = Object.entries(details).filter(([, value]) => value !== null && value !== undefined);
    if (present.length) shown = toDialectKeys(Object.fromEntries(present));
  }
  if (code === "insufficient_scope") shown = { required_scope: spec!.scope };
  return { status, body: { error: { code, message, ...(shown !== undefined ? { details: shown } : {}) } } };
}

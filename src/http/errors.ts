import { ERROR_CODES, type ErrorCode, type FieldError } from "../domain/errors.js";

/**
 * Codes only the HTTP layer answers with (a method or a body type the route does not take). No service
 * can fail this way, so they are not domain ErrorCodes.
 */
export const TRANSPORT_ERROR_CODES = ["METHOD_NOT_ALLOWED", "UNSUPPORTED_MEDIA_TYPE"] as const;
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];

/** Every code a REST error body may carry. */
export const REST_ERROR_CODES = [...ERROR_CODES, ...TRANSPORT_ERROR_CODES, "INTERNAL_ERROR"] as const;

/** ErrorCode -> HTTP status for seed 002's dialect. Exhaustive: a new code fails to compile here. */
export function statusForCode(code: ErrorCode | TransportErrorCode): number {
  switch (code) {
    case "BAD_REQUEST":
      return 400;
    case "UNAUTHORIZED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "METHOD_NOT_ALLOWED":
      return 405;
    case "CONFLICT":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "UNSUPPORTED_MEDIA_TYPE":
      return 415;
    case "VALIDATION_FAILED":
    case "CHECKOUT_FAILED":
      return 422;
    case "TOO_MANY_REQUESTS":
      return 429;
    default: {
      const unreachable: never = code;
      throw new Error(`Unmapped error code ${String(unreachable)}`);
    }
  }
}

/** The error body of seed 002: `{ error: { code, message } }`, plus field details where there are some. */
export interface RestError {
  code: ErrorCode | TransportErrorCode | "INTERNAL_ERROR";
  message: string;
  details?: FieldError[] | Record<string, unknown>;
}

export class RestFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: RestError,
  ) {
    super(error.message);
  }

  static of(code: ErrorCode | TransportErrorCode, message: string, details?: RestError["details"]): RestFailure {
    return new RestFailure(statusForCode(code), { code, message, ...(details ? { details } : {}) });
  }
}

export function errorBody(error: RestError) {
  return { error };
}

import type { FieldError } from "../../../domain/errors.js";
import type { RestFailure } from "../../../http/errors.js";
import type { CompiledDialect, DialectConventions } from "../../dialect.js";
import type { RouteSpec } from "../../route.js";
import { mainConventions } from "./conventions.js";

/** Better Auth's error body: `{ code, message }` at the top (its client reads `error.code`, `error.message`). */
export interface BetterAuthErrorBody {
  code: string;
  message: string;
  /** The same code under seed 004's name, for apps that branch on `errorCode`. */
  errorCode: string;
  /** Field-level problems, as our other routes give them (Better Auth's client ignores extra fields). */
  details?: unknown;
}

function body(status: number, code: string, message: string, details?: unknown) {
  return {
    status,
    body: { code, message, errorCode: code, ...(details ? { details } : {}) } satisfies BetterAuthErrorBody,
  };
}

/** The field-error codes of our services that Better Auth names with a code of its own. */
const FIELD_CODES: Record<string, [number, string]> = {
  invalid_password: [400, "INVALID_PASSWORD"],
  email_mismatch: [400, "EMAIL_MISMATCH"],
  email_already_verified: [400, "EMAIL_ALREADY_VERIFIED"],
  email_can_not_be_updated: [400, "EMAIL_CAN_NOT_BE_UPDATED"],
  invalid_refresh_token: [401, "INVALID_REFRESH_TOKEN"],
  refresh_token_reused: [401, "REFRESH_TOKEN_REUSED"],
};

function fromFieldError(field: FieldError, path: string, message: string, details: FieldError[]) {
  const known = FIELD_CODES[field.code];
  if (known) return body(known[0], known[1], field.message);
  if (field.code === "invalid_token" || field.code === "token_expired") {
    // verify-email answers 401 (and names an expired token); reset-password 400 INVALID_TOKEN either way.
    if (path.startsWith("/auth/verify-email"))
      return body(401, field.code === "token_expired" ? "TOKEN_EXPIRED" : "INVALID_TOKEN", field.message);
    return body(400, "INVALID_TOKEN", "Invalid token");
  }
  if (field.code === "invalid_redirect_url") {
    return field.path === "redirectTo"
      ? body(403, "INVALID_REDIRECT_URL", "Invalid redirectURL")
      : body(403, "INVALID_CALLBACK_URL", "Invalid callbackURL");
  }
  if (/^(password|newPassword)$/.test(field.path) && (field.code === "too_small" || field.code === "too_big")) {
    return field.code === "too_small"
      ? body(400, "PASSWORD_TOO_SHORT", "Password too short")
      : body(400, "PASSWORD_TOO_LONG", "Password too long");
  }
  if (field.path === "email" && field.code !== "required") return body(400, "INVALID_EMAIL", "Invalid email", details);
  return body(
    400,
    "VALIDATION_ERROR",
    message === "Input validation failed." ? `[body.${field.path}] ${field.message}` : message,
    details,
  );
}

/**
 * Our failure as Better Auth answers it on the same route: its status and its code (e.g. a taken email
 * is 422 USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL, a wrong password 401 INVALID_EMAIL_OR_PASSWORD, a short
 * one 400 PASSWORD_TOO_SHORT, a bad link token 400/401 INVALID_TOKEN). Used for every `/api/auth/*`
 * answer, errors raised before a route runs included (401, 415, 429...).
 */
export function betterAuthError(failure: RestFailure, spec?: RouteSpec): { status: number; body: BetterAuthErrorBody } {
  const path = spec?.path ?? "";
  const { code, message, details } = failure.error;
  switch (code) {
    case "VALIDATION_FAILED": {
      const fields = Array.isArray(details) ? (details as FieldError[]) : [];
      return fields[0] ? fromFieldError(fields[0], path, message, fields) : body(400, "VALIDATION_ERROR", message);
    }
    case "CONFLICT":
      return path === "/auth/sign-up/email"
        ? body(422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email.")
        : body(409, code, message);
    case "UNAUTHORIZED":
      return path === "/auth/sign-in/email"
        ? body(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password")
        : body(401, "UNAUTHORIZED", "Unauthorized");
    case "TOO_MANY_REQUESTS":
      return body(429, code, message, details);
    default:
      return body(failure.status, code, message);
  }
}

/** Seed 002's conventions with Better Auth's error shape: what the app uses for errors under /api/auth. */
// Delegating calls (not a spread): conventions.ts imports this module, so mainConventions is read late.
export const betterAuthConventions: DialectConventions = {
  readBody: (body, spec) => mainConventions.readBody(body, spec),
  readPage: (request, spec) => mainConventions.readPage(request, spec),
  listBody: (connection, page, spec) => mainConventions.listBody(connection, page, spec),
  singleBody: (payload, spec) => mainConventions.singleBody(payload, spec),
  errorResponse: betterAuthError,
};

/** Errors raised before a route runs (bad credentials, 415, 429, unknown auth paths) in Better Auth's shape. */
export const betterAuthErrors: CompiledDialect = {
  name: "better-auth",
  basePath: "/api/auth",
  routes: [],
  conventions: betterAuthConventions,
};

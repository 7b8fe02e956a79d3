import type { ZodError } from "zod";

/** The closed set of error codes. Every transport maps each one exhaustively (http/errors.ts). */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "VALIDATION_FAILED",
  "CHECKOUT_FAILED",
  "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

export interface FieldError {
  /** Dotted path into the input, e.g. `lineItems.0.quantity`. */
  path: string;
  code: string;
  message: string;
  /** The bound a too_small / too_big value missed (a number, or a length for text and lists). */
  min?: number;
  max?: number;
}

/** A zod issue's numeric bound, when it has one. */
function bound(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(
    readonly resource: string,
    readonly id?: string,
  ) {
    super("NOT_FOUND", `${resource} not found.`);
  }
}

export class ValidationError extends DomainError {
  constructor(
    readonly fieldErrors: FieldError[],
    message = "Input validation failed.",
  ) {
    super("VALIDATION_FAILED", message);
  }

  static fromZod(error: ZodError, prefix: (string | number)[] = []): ValidationError {
    return new ValidationError(
      error.issues.map((issue) => {
        const min = issue.code === "too_small" ? bound(issue.minimum) : undefined;
        const max = issue.code === "too_big" ? bound(issue.maximum) : undefined;
        return {
          path: [...prefix, ...issue.path].join("."),
          code: issue.code,
          message: issue.message,
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        };
      }),
    );
  }

  static field(path: string, code: string, message: string): ValidationError {
    return new ValidationError([{ path, code, message }], message);
  }
}

export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly target?: string,
  ) {
    super("CONFLICT", message);
  }
}

/**
 * A lifecycle transition that the transition table does not allow from the current state, or that a
 * guard of the transition refused (`guard` names it). `allowedStatuses` are the moves the table allows
 * from the current state.
 */
export class InvalidTransitionError extends DomainError {
  constructor(
    readonly resource: string,
    readonly currentStatus: string,
    readonly requestedStatus: string,
    readonly allowedStatuses: readonly string[] = [],
    readonly guard: string | null = null,
    message?: string,
  ) {
    super("CONFLICT", message ?? `Cannot move ${resource} from ${currentStatus} to ${requestedStatus}.`);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = "Authentication required: send an API key in x-api-key or Authorization: Bearer.") {
    super("UNAUTHORIZED", message);
  }
}

/** Too many attempts (e.g. failed sign-ins); `retryAfterSeconds` becomes REST's Retry-After. */
export class TooManyRequestsError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", message, { retryAfterSeconds: Math.max(1, retryAfterSeconds) });
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "Insufficient permissions.") {
    super("FORBIDDEN", message);
  }
}

/** The client's idea of a price (`unitPriceSnapshot`) is not the server's: prices are never client-set. */
export class PriceMismatchError extends DomainError {
  constructor(
    readonly expectedAmount: number,
    readonly givenAmount: number,
    readonly currency: string,
  ) {
    super("CONFLICT", `The price changed: it is ${expectedAmount} ${currency}, not ${givenAmount}.`);
  }
}

/** Not enough available stock for a reservation or a sale. */
export class InsufficientStockError extends DomainError {
  constructor(
    readonly entityId: string,
    readonly variantId: string | null,
    readonly requested: number,
    readonly available: number,
  ) {
    super("CONFLICT", `Only ${available} available, ${requested} requested.`);
  }
}

/** Reasons a checkout is refused (422 CHECKOUT_FAILED with `details.reason`). */
export type CheckoutFailureReason =
  | "CART_NOT_FOUND"
  | "CART_EMPTY"
  | "ITEM_UNAVAILABLE"
  | "CART_ALREADY_CHECKED_OUT"
  | "CURRENCY_MISMATCH"
  | "PRICE_UNAVAILABLE"
  | "PROMOTION_INVALID"
  | "INSUFFICIENT_STOCK"
  | "PAYMENT_FAILED";

export class CheckoutFailedError extends DomainError {
  constructor(
    readonly reason: CheckoutFailureReason,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super("CHECKOUT_FAILED", message, { reason, ...context });
  }
}

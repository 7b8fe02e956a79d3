import {
  CheckoutFailedError,
  ConflictError,
  DomainError,
  ERROR_CODES,
  InsufficientStockError,
  InvalidTransitionError,
  NotFoundError,
  PriceMismatchError,
  TooManyRequestsError,
  ValidationError,
} from "../../domain/errors.js";
import { builder } from "../builder.js";
import { MUTATION_ERRORS_BY_UNION } from "../mutation-errors.generated.js";

export const ErrorCodeEnum = builder.enumType("ErrorCode", {
  description: "Machine-readable error code; REST dialects map each one to an HTTP status.",
  values: ERROR_CODES,
});

/** Every typed error a mutation can return implements this. */
export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString("message"),
  }),
});

const FieldErrorRef = builder
  .objectRef<{ path: string; code: string; message: string; min?: number; max?: number }>("FieldError")
  .implement({
    description: "One invalid input field.",
    fields: (t) => ({
      path: t.exposeString("path", { description: "Dotted path into the input, e.g. `lineItems.0.quantity`." }),
      code: t.exposeString("code"),
      message: t.exposeString("message"),
      min: t.float({
        nullable: true,
        description: "too_small: the bound missed (a number, or a length).",
        resolve: (e) => e.min ?? null,
      }),
      max: t.float({
        nullable: true,
        description: "too_big: the bound exceeded (a number, or a length).",
        resolve: (e) => e.max ?? null,
      }),
    }),
  });

builder.objectType(ValidationError, {
  name: "ValidationError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.fieldErrors }) }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ resource: t.exposeString("resource") }),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ target: t.exposeString("target", { nullable: true }) }),
});

builder.objectType(InvalidTransitionError, {
  name: "InvalidTransitionError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString("resource"),
    currentStatus: t.exposeString("currentStatus"),
    requestedStatus: t.exposeString("requestedStatus"),
    allowedStatuses: t.stringList({
      description: "The moves the table allows from currentStatus.",
      resolve: (e) => [...e.allowedStatuses],
    }),
    guard: t.exposeString("guard", {
      nullable: true,
      description: "The guard that refused an allowed move, e.g. fulfillments_only.",
    }),
  }),
});

builder.objectType(PriceMismatchError, {
  name: "PriceMismatchError",
  description: "The client's price snapshot is stale; re-read the price.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    expectedAmount: t.exposeInt("expectedAmount"),
    givenAmount: t.exposeInt("givenAmount"),
    currency: t.exposeString("currency"),
  }),
});

builder.objectType(InsufficientStockError, {
  name: "InsufficientStockError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entityId: t.exposeID("entityId"),
    variantId: t.exposeID("variantId", { nullable: true }),
    requested: t.exposeInt("requested"),
    available: t.exposeInt("available"),
  }),
});

builder.objectType(CheckoutFailedError, {
  name: "CheckoutFailedError",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.exposeString("reason"),
    context: t.field({
      type: "JSONObject",
      description: "What the reason is about (entityId, requested, available, code...).",
      resolve: (e) => e.context,
    }),
  }),
});

builder.objectType(TooManyRequestsError, {
  name: "TooManyRequestsError",
  description: "Too many attempts; retry after `retryAfterSeconds`.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterSeconds: t.int({ resolve: (e) => Number(e.details?.retryAfterSeconds ?? 1) }),
  }),
});

builder.objectType(DomainError, {
  name: "BusinessError",
  description: "Any other refused operation; branch on `code`.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

/**
 * Every typed error a mutation's result union can hold, by GraphQL name (most specific first; plugin-errors
 * returns a thrown error as its nearest class here, so ForbiddenError raised by a service is a BusinessError).
 */
export const MUTATION_ERROR_TYPES = {
  ValidationError,
  NotFoundError,
  InvalidTransitionError,
  PriceMismatchError,
  InsufficientStockError,
  CheckoutFailedError,
  ConflictError,
  TooManyRequestsError,
  BusinessError: DomainError,
} as const;
export type MutationErrorTypeName = keyof typeof MUTATION_ERROR_TYPES;

export const MUTATION_ERRORS = Object.values(MUTATION_ERROR_TYPES);

/**
 * plugin-errors options for a mutation: result union `<Name>Result` = `<Name>Payload` (with the data
 * under `dataField`) | the typed errors its resolver can raise, as scripts/mutation-errors.ts derived them
 * from the code (`npm run schema:print`). A name the generated map does not know yet gets every error
 * type, and test/schema-errors.test.ts fails until the map is regenerated.
 */
export function mutationResult(name: string, dataField: string) {
  const members = MUTATION_ERRORS_BY_UNION[name] as readonly MutationErrorTypeName[] | undefined;
  return {
    types: members ? members.map((member) => MUTATION_ERROR_TYPES[member]) : MUTATION_ERRORS,
    union: { name: `${name}Result` },
    result: { name: `${name}Payload` },
    dataField: { name: dataField },
  };
}

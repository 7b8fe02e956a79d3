import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from "@pothos/plugin-scope-auth";
import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import { can, vendorOf } from "../domain/auth/actor.js";
import { ForbiddenError, UnauthorizedError } from "../domain/errors.js";
import type PrismaTypes from "../generated/pothos-prisma-types.js";
import { getDatamodel } from "../generated/pothos-prisma-types.js";
import type { GraphQLContext } from "./context.js";

const CUSTOMER_NEEDED = "Sign in as a customer: this needs a customer session.";

/** Whether an auth failure is the `customer` scope's (a shopper's own data asked for without a session). */
function needsCustomer(failure: AuthFailure): boolean {
  if (failure.kind === AuthScopeFailureType.AuthScope) return failure.scope === "customer";
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    return failure.failures.some(needsCustomer);
  }
  return false;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { public: boolean; authenticated: boolean; customer: boolean; vendor: boolean; permission: string };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSONObject: { Input: Record<string, unknown>; Output: unknown };
    /** An upload (GraphQL multipart request spec); input only. */
    File: { Input: File; Output: never };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ErrorsPlugin, ComplexityPlugin],
  scopeAuth: {
    // Check a subscription's scopes once, when it starts, not on every event.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      authenticated: ctx.actor.kind !== "anonymous",
      // A shopper's own data (me, my addresses, my order events): only a customer session reaches it.
      customer: ctx.actor.kind === "customer",
      // A marketplace vendor's own data (vendorMe, its sub-orders...): a vendor key or vendor staff.
      vendor: vendorOf(ctx.actor) !== null,
      permission: (permission: string) => can(ctx.actor, permission),
    }),
    // 401 when nobody is signed in or a customer session is needed, 403 when the caller lacks the
    // permission. Every field fails this one way: a top-level error with extensions.code.
    unauthorizedError: (_parent, ctx, _info, result) =>
      ctx.actor.kind === "anonymous" || needsCustomer(result.failure)
        ? new UnauthorizedError(needsCustomer(result.failure) ? CUSTOMER_NEEDED : undefined)
        : new ForbiddenError(),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    // Ids are the same UUIDs as in REST, so Relay's global-id node fields are replaced by our own.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
  errors: { defaultTypes: [] },
  // Field costs only; the limits are enforced during validation (complexity.ts).
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 3,
  },
});

builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("JSONObject", JSONObjectResolver);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The builder's type parameters, for helpers that build fields outside a type definition. */
export type SchemaTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

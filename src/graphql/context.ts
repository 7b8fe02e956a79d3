import type { Actor } from "../domain/auth/actor.js";
import type { Scope } from "../domain/scope.js";
import type { Prisma } from "../infra/db.js";

/** Per-request GraphQL context; REST routes run through the same one. */
export interface GraphQLContext {
  prisma: Prisma;
  actor: Actor;
  storeId: string;
  requestId: string;
  /** The domain scope (prisma + store + actor) services take. */
  scope: Scope;
}

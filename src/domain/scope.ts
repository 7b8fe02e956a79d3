import type { Prisma } from "../infra/db.js";
import type { Actor } from "./auth/actor.js";

/** What every domain service call works within: the database, the tenant store, and who is acting. */
export interface Scope {
  prisma: Prisma;
  storeId: string;
  actor: Actor;
}

import type { Db } from "../infra/db.js";
import type { Actor } from "./auth/actor.js";
import type { EventBus } from "./events.js";

/** What every domain service call works within: the database, the tenant store, who is acting, and where events go. */
export interface Scope {
  prisma: Db;
  storeId: string;
  actor: Actor;
  events: EventBus;
  /** The request this work is for (recorded in the audit log). */
  requestId?: string;
}

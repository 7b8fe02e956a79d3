import { grants } from "./permissions.js";

/** Who is calling. Every request has one; anonymous callers may only read public data. */
export type Actor =
  | { kind: "anonymous" }
  | {
      kind: "apiKey";
      id: string;
      name: string;
      /** null: a platform-wide key (the bootstrap key) that works on any store. */
      storeId: string | null;
      permissions: readonly string[];
    };

export const ANONYMOUS: Actor = { kind: "anonymous" };

export function can(actor: Actor, permission: string): boolean {
  return actor.kind !== "anonymous" && grants(actor.permissions, permission);
}

import type { RouteSpec } from "../../route.js";

/** The project part of every path: the store is the one whose slug is `projectSlug`. */
export const PROJECT = "/:projectSlug/ecommerce";

/** A route of the public projects dialect (seed 003): our RouteSpec, plus how its answer looks there. */
export interface ProjectsRoute extends RouteSpec {
  /** The payload (a list's every node) in the seed's shape (snake_case, major units, epoch ms). */
  present?: (value: any) => unknown;
  /** A list's key in `{ <listKey>: [...], total, page, limit }`. */
  listKey?: string;
  /** Answers without a key (seed 003: only /config). */
  keyless?: boolean;
}

export function projectsRoute(spec: ProjectsRoute): ProjectsRoute {
  return spec;
}

import type { RouteResults } from "../../generated/projects.js";
import type { HttpMethod, PresentedPayload, RouteSpec } from "../../route.js";

/** The project part of every path: the store is the one whose slug is `projectSlug`. */
export const PROJECT = "/:projectSlug/ecommerce";

/** A route of the public projects dialect (seed 003): our RouteSpec, plus how its answer looks there. */
export interface ProjectsRoute extends RouteSpec {
  /** The payload (a list's every node) in the seed's shape (snake_case, major units, epoch ms). */
  present?(value: unknown): unknown;
  /** A list's key in `{ <listKey>: [...], total, page, limit }`. */
  listKey?: string;
  /** Answers without a key (seed 003: only /config). */
  keyless?: boolean;
}

/** What `present` gets (src/rest/generated/projects.ts). */
type Presented<Key, Result extends readonly unknown[], Nullable, Paginated> = PresentedPayload<
  RouteResults,
  Key,
  Result,
  Nullable,
  Paginated
>;

export function projectsRoute<
  const Method extends HttpMethod,
  const Path extends string,
  const Result extends readonly (string | number)[],
  Nullable extends boolean = false,
  Paginated extends boolean = false,
>(
  spec: Omit<ProjectsRoute, "present"> & {
    method: Method;
    path: Path;
    result: Result;
    nullable?: Nullable;
    paginated?: Paginated;
    present?: (value: Presented<`${Method} ${Path}`, Result, Nullable, Paginated>) => unknown;
  },
): ProjectsRoute {
  return spec;
}

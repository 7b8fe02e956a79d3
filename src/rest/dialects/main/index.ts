import type { RouteSpec } from "../../route.js";
import { apiKeyRoutes } from "./api-keys.js";
import { catalogRoutes } from "./catalog.js";
import { fragments } from "./fragments.js";

/** Seed 002, the main dialect: `/api/...`, `{data, meta}` envelopes, page/limit pagination. */
export const mainDialect = {
  name: "main",
  basePath: "/api",
  fragments,
  routes: [...catalogRoutes, ...apiKeyRoutes] satisfies RouteSpec[],
};

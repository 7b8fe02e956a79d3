import type { RouteResults } from "../../generated/main.js";
import { typedRoute } from "../../route.js";

/** A route of the main dialect, typed by its operation's generated result (src/rest/generated/main.ts). */
export const route = typedRoute<RouteResults>();

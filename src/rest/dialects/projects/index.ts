import type { Db } from "../../../infra/db.js";
import { cartFragments, cartRoutes } from "./carts.js";
import { catalogFragments, catalogRoutes } from "./catalog.js";
import { projectsConventions, type TokenVerifier } from "./conventions.js";
import { orderFragments, orderRoutes } from "./orders.js";

/** Every typed error of a mutation result, with what this dialect's error body shows of it. */
const fragments: Record<string, string> = {
  ErrorFields: /* GraphQL */ `
    fragment ErrorFields on Error {
      __typename code message
      ... on ValidationError { fieldErrors { path code message } }
      ... on InvalidTransitionError { currentStatus requestedStatus }
      ... on PriceMismatchError { expectedAmount givenAmount currency }
      ... on InsufficientStockError { entityId variantId requested available }
      ... on CheckoutFailedError { reason context }
    }`,
};

/** Every project path starts here; the rest is `/{projectSlug}/ecommerce/...` (route.ts). */
export const PROJECTS_BASE_PATH = "/api/v1/public/projects";

/** The route table and fragment library (also codegen.ts's input: src/rest/generated/projects.ts). */
export const projectsRoutes = [...catalogRoutes, ...cartRoutes, ...orderRoutes];
export const projectsFragments: Record<string, string> = {
  ...fragments,
  ...catalogFragments,
  ...cartFragments,
  ...orderFragments,
};

/**
 * Seed 003, the public storefront dialect: `/api/v1/public/projects/{projectSlug}/ecommerce/...`, for
 * browsers holding a project's publishable key; amounts in major units; conventions.ts.
 */
export function projectsDialect(deps: { prisma: Db; verifyToken: TokenVerifier }) {
  return {
    name: "projects",
    basePath: PROJECTS_BASE_PATH,
    fragments: projectsFragments,
    routes: projectsRoutes,
    conventions: projectsConventions(deps),
  };
}

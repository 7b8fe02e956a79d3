import type { Db } from "../../../infra/db.js";
import { cartFragments, cartRoutes } from "./carts.js";
import { catalogFragments, catalogRoutes } from "./catalog.js";
import { storefrontConventions } from "./conventions.js";
import { CursorSigner } from "./cursors.js";
import { orderFragments, orderRoutes } from "./orders.js";
import type { StorefrontRoute } from "./route.js";

/** Every typed error of a mutation result, with what seed 000's error body shows of it. */
const fragments: Record<string, string> = {
  ErrorFields: /* GraphQL */ `
    fragment ErrorFields on Error {
      __typename code message
      ... on ValidationError { fieldErrors { path code message min max } }
      ... on InvalidTransitionError { currentStatus requestedStatus allowedStatuses guard }
      ... on PriceMismatchError { expectedAmount givenAmount currency }
      ... on InsufficientStockError { entityId variantId requested available }
      ... on CheckoutFailedError { reason context }
      ... on TooManyRequestsError { retryAfterSeconds }
      ... on ConflictError { target }
    }`,
};

const modules: { routes: StorefrontRoute[]; fragments: Record<string, string> }[] = [
  { routes: catalogRoutes, fragments: catalogFragments },
  { routes: cartRoutes, fragments: cartFragments },
  { routes: orderRoutes, fragments: orderFragments },
];

export const STOREFRONT_BASE_PATH = "/api/storefront/v1";

/** The route table and fragment library (also codegen.ts's input: src/rest/generated/storefront-v1.ts). */
export const storefrontV1Routes = modules.flatMap((m) => m.routes);
export const storefrontV1Fragments: Record<string, string> = Object.assign(
  {},
  fragments,
  ...modules.map((m) => m.fragments),
);

/**
 * Seeds 000 and 001, the storefront v1 dialect: `/api/storefront/v1/...`, snake_case, cursor pages,
 * seed 000's error codes and statuses; the store by slug (storefront half) or the bearer's (merchant half).
 */
export function storefrontV1Dialect(deps: { prisma: Db; cursorKey: Uint8Array }) {
  return {
    name: "storefront_v1",
    basePath: STOREFRONT_BASE_PATH,
    fragments: storefrontV1Fragments,
    routes: storefrontV1Routes,
    conventions: storefrontConventions({ prisma: deps.prisma, cursors: new CursorSigner(deps.cursorKey) }),
  };
}

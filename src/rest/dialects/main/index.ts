import type { RouteSpec } from "../../route.js";
import { analyticsRoutes } from "./analytics.js";
import { apiKeyRoutes } from "./api-keys.js";
import { auditRoutes } from "./audit.js";
import { authFragments, authRoutes } from "./auth.js";
import { cartFragments, cartRoutes } from "./carts.js";
import { catalogRoutes } from "./catalog.js";
import { checkoutRoutes } from "./checkout.js";
import { favoriteRoutes } from "./favorites.js";
import { fragments } from "./fragments.js";
import { inventoryFragments, inventoryRoutes } from "./inventory.js";
import { jobRoutes } from "./jobs.js";
import { marketplaceOrderFragments, marketplaceOrderRoutes } from "./marketplace-orders.js";
import { marketplaceVendorFragments, marketplaceVendorRoutes } from "./marketplace-vendors.js";
import { meFragments, meRoutes } from "./me.js";
import { mediaFragments, mediaRoutes } from "./media.js";
import { orderFragments, orderRoutes } from "./orders.js";
import { paymentRoutes } from "./payments.js";
import { pricingFragments, pricingRoutes } from "./pricing.js";
import { promotionFragments, promotionRoutes } from "./promotions.js";
import { returnFragments, returnRoutes } from "./returns.js";
import { reviewFragments, reviewRoutes } from "./reviews.js";
import { searchRoutes } from "./search.js";
import { similarRoutes } from "./similar.js";
import { storeSettingsRoutes } from "./store-settings.js";
import { storeRoutes } from "./stores.js";
import { webhookRoutes } from "./webhooks.js";

// Each module of the dialect exports its routes (and, if it needs any, its fragments); list them here.
const modules: { routes: RouteSpec[]; fragments?: Record<string, string> }[] = [
  { routes: catalogRoutes },
  { routes: apiKeyRoutes },
  { routes: inventoryRoutes, fragments: inventoryFragments },
  { routes: orderRoutes, fragments: orderFragments },
  { routes: returnRoutes, fragments: returnFragments },
  { routes: pricingRoutes, fragments: pricingFragments },
  { routes: cartRoutes, fragments: cartFragments },
  { routes: checkoutRoutes },
  { routes: paymentRoutes },
  { routes: promotionRoutes, fragments: promotionFragments },
  { routes: storeSettingsRoutes },
  { routes: storeRoutes },
  { routes: jobRoutes },
  { routes: webhookRoutes },
  { routes: auditRoutes },
  { routes: authRoutes, fragments: authFragments },
  { routes: meRoutes, fragments: meFragments },
  { routes: analyticsRoutes },
  { routes: searchRoutes },
  { routes: mediaRoutes, fragments: mediaFragments },
  { routes: favoriteRoutes },
  { routes: reviewRoutes, fragments: reviewFragments },
  { routes: similarRoutes },
  { routes: marketplaceVendorRoutes, fragments: marketplaceVendorFragments },
  { routes: marketplaceOrderRoutes, fragments: marketplaceOrderFragments },
];

/** Seed 002, the main dialect: `/api/...`, `{data, meta}` envelopes, page/limit pagination. */
export const mainDialect = {
  name: "main",
  basePath: "/api",
  fragments: Object.assign({}, fragments, ...modules.map((m) => m.fragments ?? {})) as Record<string, string>,
  routes: modules.flatMap((m) => m.routes),
};

// The schema is the sum of its type modules; this file only imports them.
import { builder } from "./builder.js";
import "./types/errors.js";
import "./types/node.js";
import "./types/catalog.js";
import "./types/taxonomy.js";
import "./types/variants.js";
import "./types/api-keys.js";
import "./types/inventory.js";
import "./types/pricing.js";
import "./types/carts.js";
import "./types/orders.js";
import "./types/payments.js";
import "./types/checkout.js";
import "./types/promotions.js";
import "./types/store-settings.js";
import "./types/jobs.js";
import "./types/webhooks.js";
import "./types/audit.js";
import "./types/search.js";
import "./types/customers.js";
import "./types/analytics.js";
import "./types/media.js";

export const schema = builder.toSchema({ sortSchema: true });

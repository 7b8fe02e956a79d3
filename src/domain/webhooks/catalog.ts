/** The events a webhook endpoint can subscribe to (seed 002's event table). */
export const WEBHOOK_EVENTS = [
  "orders.create",
  "orders.statusChange",
  "catalog.create",
  "catalog.update",
  "catalog.delete",
  "inventory.afterAdjust",
  "customers.create",
  "customers.update",
  "pricing.create",
  "pricing.update",
  "promotions.create",
  "promotions.update",
  "fulfillment.create",
  "cart.afterAddItem",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

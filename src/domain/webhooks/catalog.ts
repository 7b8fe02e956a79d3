import { MARKETPLACE_ORDER_EVENTS, ORDER_ACTIVITY_EVENTS } from "../events.js";
import { VENDOR_EVENTS } from "../marketplace/vendor-events.js";

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
  // payments, fulfillment, refunds, returns, exchanges (fulfillment.create is listed above)
  ...ORDER_ACTIVITY_EVENTS.filter((event) => event !== "fulfillment.create"),
  // seed 003: the storefront's order and stock events
  "order.created",
  "order.paid",
  "order.shipped",
  "inventory.low",
  // marketplace: sub-orders, payouts, disputes
  ...MARKETPLACE_ORDER_EVENTS,
  // marketplace: vendors, their documents and reviews
  ...VENDOR_EVENTS,
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * Seed 003 names three of our changes its own way. An endpoint subscribed to the seed's name gets the
 * same change, with the same data, under that name: order.created when checkout creates an order,
 * order.paid when its payment is captured (paid), order.shipped when a fulfillment ships (with its
 * carrier and tracking number).
 */
export const WEBHOOK_EVENT_ALIASES: Readonly<Partial<Record<string, readonly WebhookEvent[]>>> = {
  "orders.create": ["order.created"],
  "payment.captured": ["order.paid"],
  "fulfillment.create": ["order.shipped"],
};

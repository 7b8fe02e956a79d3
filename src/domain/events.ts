/**
 * Domain events: what happened, in the store it happened in. Services publish them after their
 * transaction commits, to GraphQL subscriptions; the audit log and the webhook outbox are written inside
 * the transaction (audit/record.ts).
 */
export type DomainEvent =
  | { type: "orders.create"; storeId: string; orderId: string; customerId: string | null; status: string; at: string }
  | {
      type: "orders.statusChange";
      storeId: string;
      orderId: string;
      /** Whose order it is: customer-scoped subscriptions deliver only their own orders' events. */
      customerId: string | null;
      fromStatus: string;
      toStatus: string;
      reason: string | null;
      at: string;
    }
  | OrderActivityEvent;

/**
 * Marketplace sub-orders, payouts and disputes (domain/marketplace/). The same names are webhook events;
 * `vendorId` lets a vendor's subscription (vendorOrderEvents) receive only its own. They travel on their
 * own topic (infra/pubsub.ts), so order subscriptions keep receiving order events only.
 */
export const MARKETPLACE_ORDER_EVENTS = [
  "sub_order.created",
  "sub_order.confirmed",
  "sub_order.shipped",
  "sub_order.delivered",
  "sub_order.cancelled",
  "payout.created",
  "payout.paid",
  "payout.failed",
  "dispute.opened",
  "dispute.responded",
  "dispute.escalated",
  "dispute.resolved",
] as const;
/** A vendor's own account moves, told to its live dashboard beside its sub-order events. */
export const VENDOR_STATUS_EVENTS = [
  "vendor.approved",
  "vendor.rejected",
  "vendor.suspended",
  "vendor.reinstated",
] as const;
export type MarketplaceOrderEventType =
  | (typeof MARKETPLACE_ORDER_EVENTS)[number]
  | (typeof VENDOR_STATUS_EVENTS)[number];

export interface MarketplaceOrderEvent {
  type: MarketplaceOrderEventType;
  storeId: string;
  vendorId: string;
  /** The sub-order, payout or dispute (the vendor itself for vendor.* events). */
  subjectId: string;
  subOrderId: string | null;
  orderId: string | null;
  /** The subject's status after the change. */
  status: string;
  at: string;
}

/**
 * What happens to an order after checkout besides status changes (payments/lifecycle.ts,
 * orders/fulfillments.ts, payments/refunds.ts, returns/). The same names are webhook events.
 * `order.fulfilled` is sent when every line has shipped; `order.refunded` for every settled refund
 * (`paymentStatus` says whether the order is now partially or fully refunded).
 */
export const ORDER_ACTIVITY_EVENTS = [
  "payment.captured",
  "fulfillment.create",
  "order.fulfilled",
  "order.refunded",
  "return.requested",
  "return.approved",
  "return.received",
  "return.rejected",
  "return.refunded",
  "exchange.requested",
  "exchange.approved",
  "exchange.received",
  "exchange.rejected",
] as const;
export type OrderActivityType = (typeof ORDER_ACTIVITY_EVENTS)[number];

export interface OrderActivityEvent {
  type: OrderActivityType;
  storeId: string;
  orderId: string;
  customerId: string | null;
  /** The order's status and payment status after the change. */
  status: string;
  paymentStatus: string;
  /** What changed: the payment, fulfillment, refund, return or exchange id. */
  subjectId: string;
  at: string;
}

export interface EventBus {
  publish(event: DomainEvent | MarketplaceOrderEvent): void;
}

/** For code paths (scripts, tests of pure services) that have nowhere to send events. */
export const DISCARD_EVENTS: EventBus = { publish: () => {} };

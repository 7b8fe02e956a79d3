/**
 * Domain events: what happened, in the store it happened in. Services publish them after their
 * transaction commits; transports (GraphQL subscriptions, later webhooks and audit) consume them.
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
    };

export interface EventBus {
  publish(event: DomainEvent): void;
}

/** For code paths (scripts, tests of pure services) that have nowhere to send events. */
export const DISCARD_EVENTS: EventBus = { publish: () => {} };

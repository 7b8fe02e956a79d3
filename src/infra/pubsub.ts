import { setMaxListeners } from "node:events";
import { createPubSub } from "graphql-yoga";
import type { Redis } from "ioredis";
import {
  type DomainEvent,
  type EventBus,
  MARKETPLACE_ORDER_EVENTS,
  type MarketplaceOrderEvent,
  VENDOR_STATUS_EVENTS,
} from "../domain/events.js";

/** Topics are per store, so a subscriber only ever receives its own store's events. */
export type Topics = {
  [key: `orderEvents:${string}`]: [DomainEvent];
  /** Marketplace sub-order, payout and dispute events (vendorOrderEvents). */
  [key: `marketplaceEvents:${string}`]: [MarketplaceOrderEvent];
};

function isMarketplaceEvent(event: DomainEvent | MarketplaceOrderEvent): event is MarketplaceOrderEvent {
  return ([...MARKETPLACE_ORDER_EVENTS, ...VENDOR_STATUS_EVENTS] as readonly string[]).includes(event.type);
}

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface EventTransport {
  pubsub: PubSub;
  bus: EventBus;
  close(): Promise<void>;
}

/**
 * In-process by default; with a Redis URL every instance publishes to and receives from Redis, so
 * subscribers connected to any instance see every order change.
 */
export async function createEventTransport(
  redisUrl?: string,
  onRedisError: (error: Error) => void = () => {},
): Promise<EventTransport> {
  let clients: Redis[] = [];
  let pubsub: PubSub;
  if (redisUrl) {
    // Loaded only when configured: the embedded default starts without them.
    const [{ Redis }, { createRedisEventTarget }] = await Promise.all([
      import("ioredis"),
      import("@graphql-yoga/redis-event-target"),
    ]);
    const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    clients = [publishClient, subscribeClient];
    // ioredis reconnects by itself; without a listener every failed attempt is an "Unhandled error event".
    for (const client of clients) client.on("error", onRedisError);
    pubsub = createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  } else {
    // Every subscription group listens on its store's topic: no listener limit (Node warns past 10).
    const target = new EventTarget();
    setMaxListeners(0, target);
    pubsub = createPubSub<Topics>({ eventTarget: target as never });
  }
  return {
    pubsub,
    // After the current turn: the request that made the change answers before the fan-out runs.
    bus: {
      publish: (event) =>
        void setImmediate(() =>
          isMarketplaceEvent(event)
            ? pubsub.publish(`marketplaceEvents:${event.storeId}`, event)
            : pubsub.publish(`orderEvents:${event.storeId}`, event),
        ),
    },
    async close() {
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}

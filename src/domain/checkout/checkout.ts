import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { can, customerIdOf } from "../auth/actor.js";
import { mayCheckOut, mayCheckOutCart, mayReadOrderOfCart } from "../carts/ownership.js";
import { titleFor } from "../catalog/titles.js";
import { CheckoutFailedError, ConflictError, ForbiddenError, InsufficientStockError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { watchLowStock } from "../inventory/low-stock.js";
import { reserveStock } from "../inventory/reservations.js";
import { createSubOrders } from "../marketplace/sub-orders.js";
import { nextOrderNumber } from "../orders/numbers.js";
import { type PaymentFollowUpSettings, schedulePaymentFollowUp } from "../payments/follow-up.js";
import type { PaymentProvider } from "../payments/provider.js";
import { abandonUnpaidOrder } from "../payments/settle.js";
import { resolvePrices } from "../pricing/resolve.js";
import { loadPromotionRules, normalizeCode, redemptionsByCustomer } from "../promotions/load.js";
import { redeemPromotions } from "../promotions/redeem.js";
import { type PricedLine, rejectionFor } from "../promotions/rules.js";
import type { Scope } from "../scope.js";
import { loadStoreCharges } from "../stores/settings.js";
import { isUuid, metadata, parseInput } from "../validation.js";
import { CLAIM_LEASE_SECONDS, callerScope, type IdempotencyClaim, withIdempotencyKey } from "./idempotency.js";
import { computeTotals } from "./totals.js";

const Address = z
  .object({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).nullish(),
    city: z.string().trim().min(1).max(100),
    state: z.string().trim().max(100).nullish(),
    postalCode: z.string().trim().max(20).nullish(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as US"),
    name: z.string().trim().max(200).nullish(),
    phone: z.string().trim().max(40).nullish(),
  })
  .strict();

/** The earliest placedAt accepted: older dates are typos (a year 0025), not history. */
const EARLIEST_PLACED_AT = new Date("2000-01-01T00:00:00Z");

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an absolute http(s) URL" }).max(2048);

export const CheckoutInput = z.object({
  cartId: z.string(),
  paymentMethodId: z.string().trim().min(1).max(255).nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code")
    .nullish(),
  customerId: z.string().nullish(),
  customerGroupIds: z.array(z.uuid()).max(20).nullish(),
  promotionCodes: z.array(z.string().trim().min(1).max(64)).max(10).nullish(),
  email: z.email().max(254).nullish(),
  shippingAddress: Address.nullish(),
  billingAddress: Address.nullish(),
  metadata: metadata.nullish(),
  /** Where a hosted payment page (Stripe Checkout) sends the shopper after paying, and after giving up. */
  successUrl: httpUrl.nullish(),
  cancelUrl: httpUrl.nullish(),
  /** Seed 004's client-generated reference: kept on the order, and the idempotency key when no Idempotency-Key came. */
  clientReference: z.string().trim().min(1).max(255).nullish(),
  /** When the order was placed, for an order recorded after the fact (imported from another system): a past instant. */
  placedAt: z.coerce
    .date({ message: "must be an ISO 8601 date-time" })
    .min(EARLIEST_PLACED_AT, { message: "must not be before 2000-01-01" })
    .refine((d) => d.getTime() <= Date.now(), { message: "must not be in the future" })
    .nullish(),
});
type CheckoutRequest = z.output<typeof CheckoutInput>;

export interface CheckoutDeps {
  scope: Scope;
  payments: PaymentProvider;
  /** When an unpaid order is looked at again, and given up. */
  paymentFollowUp: PaymentFollowUpSettings;
}

/**
 * The payment checkout created: our id, the provider's reference (a PaymentIntent `pi_`, a Checkout
 * Session `cs_`), and what the client needs to pay: a PaymentIntent's client secret, or the URL of a
 * hosted payment page (Stripe Checkout) to send the shopper to.
 */
export interface CheckoutPayment {
  id: string;
  provider: string;
  providerRef: string | null;
  status: string;
  clientSecret: string | null;
  /** Only in the answer that created it (not kept). */
  url: string | null;
}

export interface CheckoutResult {
  orderId: string;
  payment: CheckoutPayment;
}

/**
 * Cart -> order, the one workflow: validate the cart, price it from pricing (never the client), apply
 * promotions, add tax and shipping from the store settings, reserve stock, number and create the
 * order, redeem the promotions and close the cart — all in one transaction — then create the payment at
 * the provider, cancelling the order (which releases its stock) if that fails.
 *
 * With an idempotency key (scoped to the caller), a retry answers the order the key made instead of
 * creating another, and so does a new key of the same caller for a cart that already became an order
 * (an attempt that committed before the client heard back, say before a crash). The key's outcome is
 * recorded in the order's transaction.
 */
export async function checkout(
  deps: CheckoutDeps,
  input: unknown,
  idempotencyKey?: string | null,
): Promise<CheckoutResult> {
  if (!mayCheckOut(deps.scope.actor)) throw new ForbiddenError("Checking out needs the orders:create permission.");
  const request = parseInput(CheckoutInput, input);
  // Backdating an order rewrites the store's history (analytics by period): for merchants who manage orders.
  if (request.placedAt && !can(deps.scope.actor, "orders:update"))
    throw new ForbiddenError("Recording an order placed in the past needs the orders:update permission.");
  // A retry with the same client reference answers the first order (seed 004), like an Idempotency-Key.
  idempotencyKey ||= request.clientReference;
  if (!idempotencyKey) return placeOrder(deps, request);
  const { scope } = deps;
  return withIdempotencyKey(
    scope.prisma,
    {
      storeId: scope.storeId,
      scope: callerScope("checkout", scope.actor, request.cartId),
      key: idempotencyKey,
      request,
    },
    async (claim) => {
      try {
        const result = await placeOrder(deps, request, claim);
        return { result, outcome: { orderId: result.orderId } };
      } catch (error) {
        const orderId =
          error instanceof CheckoutFailedError && error.reason === "CART_ALREADY_CHECKED_OUT"
            ? await orderOfCart(scope, request.cartId)
            : null;
        if (!orderId) throw error;
        return { result: await replayCheckout(deps, orderId, request), outcome: { orderId } };
      }
    },
    (outcome) => replayCheckout(deps, String(outcome.orderId), request),
  );
}

/** The order a cart became, if this caller may be answered with it. */
async function orderOfCart(scope: Scope, cartId: string): Promise<string | null> {
  if (!isUuid(cartId)) return null;
  const cart = await scope.prisma.cart.findFirst({
    where: { id: cartId, storeId: scope.storeId },
    select: { customerId: true, order: { select: { id: true, customerId: true } } },
  });
  return cart?.order && mayReadOrderOfCart(scope.actor, cart, cart.order) ? cart.order.id : null;
}

/**
 * The answer of an earlier checkout, rebuilt for a retry: the order and its payment as they are now,
 * or the PAYMENT_FAILED the first attempt answered. The caller is checked again (keys are per caller,
 * so this is the caller who placed it, but a replay never answers more than the caller may read).
 */
async function replayCheckout(deps: CheckoutDeps, orderId: string, request: ProviderRequest): Promise<CheckoutResult> {
  const { scope } = deps;
  const order = await scope.prisma.order.findFirst({
    where: { id: orderId, storeId: scope.storeId },
    select: {
      id: true,
      number: true,
      grandTotal: true,
      currency: true,
      email: true,
      customerId: true,
      cart: { select: { customerId: true } },
    },
  });
  if (!order || !mayReadOrderOfCart(scope.actor, order.cart ?? { customerId: order.customerId }, order)) {
    throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
  }
  const payment = await scope.prisma.payment.findFirstOrThrow({ where: { orderId }, orderBy: { createdAt: "asc" } });
  if (payment.status === "failed") {
    throw new CheckoutFailedError("PAYMENT_FAILED", "The payment could not be created.", { orderId });
  }
  const resumed =
    payment.status === "pending" && !payment.providerRef
      ? await resumeProviderPayment(deps, order, payment, request)
      : null;
  const current = resumed?.payment ?? payment;
  return {
    orderId,
    payment: {
      id: current.id,
      provider: current.provider,
      providerRef: current.providerRef,
      status: current.status,
      clientSecret: current.clientSecret,
      url: current.checkoutUrl,
    },
  };
}

/**
 * The order committed but its payment never reached the provider (the process died in between). Once
 * the first attempt must be over, a retry creates it, under the same provider idempotency key, so the
 * provider never holds two. A failure here answers 409 (retry later) and compensates nothing: the
 * payment follow-up gives the order up at its timeout.
 */
async function resumeProviderPayment(
  deps: CheckoutDeps,
  order: ProviderOrder,
  payment: { id: string; provider: string; createdAt: Date },
  request: ProviderRequest,
) {
  const { scope, payments } = deps;
  if (payment.provider !== payments.name || Date.now() - payment.createdAt.getTime() < CLAIM_LEASE_SECONDS * 1000)
    return null;
  let created;
  try {
    created = await callProvider(payments, order, request);
  } catch {
    throw new ConflictError("The order's payment could not be created yet; retry later.", "payment");
  }
  await scope.prisma.payment.updateMany({
    where: { id: payment.id, providerRef: null },
    data: { providerRef: created.providerRef, clientSecret: created.clientSecret, checkoutUrl: created.url },
  });
  return { payment: await scope.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } }) };
}

async function placeOrder(
  deps: CheckoutDeps,
  request: CheckoutRequest,
  claim?: IdempotencyClaim,
): Promise<CheckoutResult> {
  const { scope, payments } = deps;
  const now = new Date();
  const orderId = randomUUID();

  const placed = await scope.prisma.$transaction(
    async (tx) => {
      const cart = await lockCart(tx, scope, request.cartId);
      const currency = cart.currency;
      if (request.currency && request.currency !== currency) {
        throw new CheckoutFailedError("CURRENCY_MISMATCH", `The cart is in ${currency}, not ${request.currency}.`);
      }
      // Naming a customer (and so their group prices and history) is for merchants; a shopper's cart
      // already carries its customer, and a signed-in customer checks out as themselves.
      const own = customerIdOf(scope.actor);
      if (request.customerId && request.customerId !== (own ?? cart.customerId) && !can(scope.actor, "orders:update")) {
        throw new ForbiddenError("Checking out for a customer needs the orders:update permission.");
      }
      const customerId = request.customerId ?? own ?? cart.customerId;
      const customer =
        customerId && isUuid(customerId)
          ? await tx.customer.findFirst({
              where: { id: customerId, storeId: scope.storeId },
              include: { groups: true },
            })
          : null;
      if (customerId && !customer) throw new CheckoutFailedError("CART_NOT_FOUND", "Customer not found in this store.");
      const email = (request.email ?? cart.email ?? customer?.email ?? null)?.toLowerCase() ?? null;

      // Group prices: the customer's own groups; groups named in the request only from a merchant.
      const groupIds = [
        ...(customer?.groups.map((g) => g.groupId) ?? []),
        ...(can(scope.actor, "orders:update") ? (request.customerGroupIds ?? []) : []),
      ];

      // One lock order for every checkout (by entity, variant) so concurrent carts cannot deadlock.
      const items = [...cart.items].sort((a, b) =>
        `${a.entityId}:${a.variantId ?? ""}`.localeCompare(`${b.entityId}:${b.variantId ?? ""}`),
      );
      // A product leaves the shop with its vendor: one put in a cart before the vendor was suspended is not sold.
      const unavailable = items.find(
        (item) =>
          item.entity.status !== "active" || (item.entity.vendor !== null && item.entity.vendor.status !== "approved"),
      );
      if (unavailable) {
        throw new CheckoutFailedError("ITEM_UNAVAILABLE", `${unavailable.entity.slug} can no longer be bought.`, {
          entityId: unavailable.entityId,
        });
      }
      const prices = await resolvePrices(
        tx,
        scope.storeId,
        items.map((i) => ({ entityId: i.entityId, variantId: i.variantId, quantity: i.quantity })),
        { currency, customerGroupIds: groupIds, now },
      );
      const lines: PricedLine[] = items.map((item, i) => {
        const price = prices[i];
        if (!price) {
          throw new CheckoutFailedError("PRICE_UNAVAILABLE", `No ${currency} price for ${item.entity.slug}.`, {
            entityId: item.entityId,
            variantId: item.variantId,
          });
        }
        return {
          key: item.id,
          entityId: item.entityId,
          variantId: item.variantId,
          quantity: item.quantity,
          unitPrice: price.amount,
        };
      });

      const codes = [...new Set([...cart.promotionCodes, ...(request.promotionCodes ?? [])].map(normalizeCode))];
      const rules = await loadPromotionRules(tx, scope.storeId, codes);
      const usage = await redemptionsByCustomer(
        tx,
        [...rules.values()].map((r) => r.id),
        { customerId: customer?.id, email },
      );
      for (const code of codes) {
        const rule = rules.get(code);
        const reason = rule
          ? rejectionFor(rule, { currency, lines, now, customerRedemptions: usage.get(rule.id) ?? 0 })
          : "NOT_FOUND";
        if (reason)
          throw new CheckoutFailedError("PROMOTION_INVALID", `Promotion ${code} does not apply: ${reason}.`, {
            code,
            promotionReason: reason,
          });
      }
      const charges = await loadStoreCharges(tx, scope.storeId);
      const totals = computeTotals(lines, [...rules.values()], charges);

      const announceLowStock = await watchLowStock(tx, scope.storeId, items);
      await reserveLines(tx, scope.storeId, orderId, items);
      await announceLowStock();
      const closed = await tx.cart.updateMany({
        where: { id: cart.id, status: "active" },
        data: { status: "checked_out" },
      });
      if (closed.count === 0)
        throw new CheckoutFailedError("CART_ALREADY_CHECKED_OUT", "The cart was already checked out.");

      // Numbered last: the per-year counter row stays locked until commit. An imported order takes the
      // year it was placed in (ORD-2019-...), so numbers read in the order the history happened.
      const number = await nextOrderNumber(tx, scope.storeId, request.placedAt ?? now);
      const lineTotals = new Map(totals.lines.map((l) => [l.key, l]));
      const order = await tx.order.create({
        data: {
          id: orderId,
          storeId: scope.storeId,
          number,
          cartId: cart.id,
          customerId: customer?.id ?? null,
          email,
          currency,
          subtotal: totals.subtotal,
          discountTotal: totals.discount,
          taxTotal: totals.tax,
          shippingTotal: totals.shipping,
          grandTotal: totals.total,
          promotionCodes: totals.appliedPromotions.map((p) => p.code),
          shippingAddress: (request.shippingAddress ?? undefined) as Prisma.InputJsonValue | undefined,
          billingAddress: (request.billingAddress ?? request.shippingAddress ?? undefined) as
            | Prisma.InputJsonValue
            | undefined,
          metadata: (request.metadata ?? {}) as Prisma.InputJsonValue,
          clientReference: request.clientReference ?? null,
          ...(request.placedAt ? { createdAt: request.placedAt } : {}),
          lines: {
            create: items.map((item, i) => {
              const t = lineTotals.get(item.id)!;
              return {
                entityId: item.entityId,
                variantId: item.variantId,
                sku: item.variant?.sku ?? null,
                title: titleFor(item.entity, cart.store.defaultLocale),
                quantity: item.quantity,
                unitPrice: lines[i]!.unitPrice,
                subtotal: t.subtotal,
                discount: t.discount,
                total: t.total,
              };
            }),
          },
        },
      });
      // After the order exists (redemptions reference it); usage limits are enforced here, atomically.
      await redeemPromotions(tx, {
        storeId: scope.storeId,
        orderId,
        customerId: customer?.id ?? null,
        email,
        applied: totals.appliedPromotions,
      });
      // Marketplace: one sub-order per vendor, snapshotting its lines and money (none without vendor lines).
      const subOrderEvents = await createSubOrders(tx, changedBy(scope), order);
      const payment = await tx.payment.create({
        data: { storeId: scope.storeId, orderId, provider: payments.name, amount: totals.total, currency },
      });
      // Committed with the order: even if this process dies before the provider call, the order is
      // looked at again and its stock released once it is overdue, and a retry of the key finds it.
      await schedulePaymentFollowUp(tx, payment, deps.paymentFollowUp);
      await claim?.complete(tx, { orderId });
      const created: DomainEvent = {
        type: "orders.create",
        storeId: scope.storeId,
        orderId,
        customerId: order.customerId,
        status: order.status,
        at: order.createdAt.toISOString(),
      };
      await recordChange(tx, {
        ...changedBy(scope),
        event: "orders.create",
        entityType: "order",
        entityId: orderId,
        after: {
          number,
          status: order.status,
          currency,
          total: totals.total,
          lines: items.length,
          ...(request.placedAt ? { placedAt: order.createdAt.toISOString() } : {}),
        },
        data: { orderId, number, status: order.status, currency, total: totals.total, email },
      });
      return { order, payment, created, subOrderEvents };
    },
    { maxWait: 30_000, timeout: 30_000 },
  );

  // Published before the provider call: if that fails, subscribers see orders.create and then the
  // cancellation, the same story the webhook outbox (written in the transaction) tells. Publishing cannot
  // fail the checkout: the bus hands events over after this turn (infra/pubsub.ts).
  for (const event of [placed.created, ...placed.subOrderEvents]) scope.events.publish(event);
  const payment = await createProviderPayment(deps, placed.order, placed.payment.id, request);
  return { orderId, payment };
}

async function lockCart(tx: Prisma.TransactionClient, scope: Scope, cartId: string) {
  if (!isUuid(cartId)) throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
  // Row lock: two checkouts of one cart queue here, and the second sees it checked out.
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM cart WHERE id = ${cartId}::uuid AND "storeId" = ${scope.storeId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
  const cart = await tx.cart.findUniqueOrThrow({
    where: { id: cartId },
    include: {
      store: { select: { defaultLocale: true } },
      items: {
        include: {
          entity: {
            select: {
              slug: true,
              status: true,
              vendor: { select: { status: true } },
              attributes: { select: { locale: true, title: true }, orderBy: { locale: "asc" } },
            },
          },
          variant: { select: { sku: true } },
        },
      },
    },
  });
  // Another customer's cart does not exist for this caller: checked before anything about it is told.
  if (!mayCheckOutCart(scope.actor, cart)) throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
  if (cart.status !== "active")
    throw new CheckoutFailedError("CART_ALREADY_CHECKED_OUT", "The cart was already checked out.");
  if (cart.items.length === 0) throw new CheckoutFailedError("CART_EMPTY", "The cart is empty.");
  return cart;
}

/**
 * Reserves stock for every line whose entity/variant has inventory levels; items without any levels
 * (digital goods, services) are not stock-tracked.
 */
async function reserveLines(
  tx: Prisma.TransactionClient,
  storeId: string,
  orderId: string,
  items: { entityId: string; variantId: string | null; quantity: number }[],
) {
  const tracked = await tx.inventoryLevel.findMany({
    where: { entityId: { in: [...new Set(items.map((i) => i.entityId))] } },
    select: { entityId: true, variantKey: true },
    distinct: ["entityId", "variantKey"],
  });
  const isTracked = new Set(tracked.map((l) => `${l.entityId}:${l.variantKey}`));
  for (const item of items) {
    if (!isTracked.has(`${item.entityId}:${item.variantId ?? ""}`)) continue;
    try {
      await reserveStock(tx, storeId, {
        entityId: item.entityId,
        variantId: item.variantId,
        quantity: item.quantity,
        orderId,
      });
    } catch (error) {
      if (error instanceof InsufficientStockError) {
        throw new CheckoutFailedError("INSUFFICIENT_STOCK", error.message, {
          entityId: error.entityId,
          variantId: error.variantId,
          requested: error.requested,
          available: error.available,
        });
      }
      throw error;
    }
  }
}

type ProviderOrder = { id: string; number: string; grandTotal: number; currency: string; email: string | null };
type ProviderRequest = Pick<CheckoutRequest, "paymentMethodId" | "successUrl" | "cancelUrl">;

/** Creates the order's payment at the provider, under one provider idempotency key per order. */
async function callProvider(payments: PaymentProvider, order: ProviderOrder, request: ProviderRequest) {
  const base = {
    orderId: order.id,
    orderNumber: order.number,
    amount: order.grandTotal,
    currency: order.currency,
    idempotencyKey: `checkout:${order.id}`,
  };
  // A successUrl asks for a hosted payment page where the provider has one (Stripe Checkout).
  if (request.successUrl && payments.createCheckoutSession) {
    const hosted = await payments.createCheckoutSession({
      ...base,
      customerEmail: order.email,
      successUrl: request.successUrl,
      cancelUrl: request.cancelUrl ?? request.successUrl,
    });
    return { providerRef: hosted.providerRef, clientSecret: null, url: hosted.url as string | null };
  }
  const created = await payments.createPayment({ ...base, paymentMethodId: request.paymentMethodId ?? null });
  return { providerRef: created.providerRef, clientSecret: created.clientSecret, url: null };
}

/**
 * The provider call happens after commit (no network inside a transaction). If it fails, the order is
 * compensated: cancelled (which releases its stock), its promotions given back, the payment failed.
 */
async function createProviderPayment(
  deps: CheckoutDeps,
  order: ProviderOrder,
  paymentId: string,
  request: ProviderRequest,
): Promise<CheckoutPayment> {
  const { scope, payments } = deps;
  try {
    const created = await callProvider(payments, order, request);
    const payment = await scope.prisma.payment.update({
      where: { id: paymentId },
      data: { providerRef: created.providerRef, clientSecret: created.clientSecret, checkoutUrl: created.url },
    });
    return {
      id: payment.id,
      provider: payment.provider,
      providerRef: payment.providerRef,
      status: payment.status,
      clientSecret: payment.clientSecret,
      url: payment.checkoutUrl,
    };
  } catch (error) {
    const event = await scope.prisma.$transaction((tx) =>
      abandonUnpaidOrder(tx, { id: paymentId, orderId: order.id }, "failed", "payment could not be created", {
        kind: "system",
        id: "checkout",
      }),
    );
    if (event) scope.events.publish(event);
    throw new CheckoutFailedError(
      "PAYMENT_FAILED",
      `The payment could not be created: ${error instanceof Error ? error.message : "provider error"}.`,
      {
        orderId: order.id,
      },
    );
  }
}

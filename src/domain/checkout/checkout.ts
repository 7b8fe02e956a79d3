import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Prisma as P } from "../../generated/prisma/client.js";
import { can, customerIdOf } from "../auth/actor.js";
import { mayUseCart } from "../carts/ownership.js";
import { CheckoutFailedError, ForbiddenError, InsufficientStockError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { reserveStock } from "../inventory/reservations.js";
import { nextOrderNumber } from "../orders/numbers.js";
import { changedBy, recordChange } from "../audit/record.js";
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
import { withIdempotencyKey } from "./idempotency.js";
import { computeTotals } from "./totals.js";

const Address = z
  .object({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).nullish(),
    city: z.string().trim().min(1).max(100),
    state: z.string().trim().max(100).nullish(),
    postalCode: z.string().trim().max(20).nullish(),
    country: z.string().trim().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as US"),
    name: z.string().trim().max(200).nullish(),
    phone: z.string().trim().max(40).nullish(),
  })
  .strict();

const CheckoutInput = z.object({
  cartId: z.string(),
  paymentMethodId: z.string().trim().min(1).max(255).nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code").nullish(),
  customerId: z.string().nullish(),
  customerGroupIds: z.array(z.uuid()).max(20).nullish(),
  promotionCodes: z.array(z.string().trim().min(1).max(64)).max(10).nullish(),
  email: z.email().nullish(),
  shippingAddress: Address.nullish(),
  billingAddress: Address.nullish(),
  metadata: metadata.nullish(),
});
type CheckoutRequest = z.output<typeof CheckoutInput>;

export interface CheckoutDeps {
  scope: Scope;
  payments: PaymentProvider;
  /** When an unpaid order is looked at again, and given up. */
  paymentFollowUp: PaymentFollowUpSettings;
}

export interface CheckoutResult {
  orderId: string;
  payment: { id: string; provider: string; status: string; clientSecret: string | null };
  /** Non-fatal errors of the steps that run after the order exists. */
  hookErrors: string[];
}

/**
 * Cart -> order, the one workflow: validate the cart, price it from pricing (never the client), apply
 * promotions, add tax and shipping from the store settings, reserve stock, number and create the
 * order, redeem the promotions and close the cart — all in one transaction — then create the payment at
 * the provider, cancelling the order (which releases its stock) if that fails. With an idempotency key,
 * a retry returns the first order instead of creating another.
 */
export async function checkout(deps: CheckoutDeps, input: unknown, idempotencyKey?: string | null): Promise<CheckoutResult> {
  const request = parseInput(CheckoutInput, input);
  if (!idempotencyKey) return placeOrder(deps, request);
  return withIdempotencyKey(
    deps.scope.prisma,
    { storeId: deps.scope.storeId, scope: "checkout", key: idempotencyKey, request },
    async () => {
      const result = await placeOrder(deps, request);
      return { result, record: { orderId: result.orderId } };
    },
    async (record) => replayCheckout(deps, String(record.orderId)),
  );
}

async function replayCheckout(deps: CheckoutDeps, orderId: string): Promise<CheckoutResult> {
  const payment = await deps.scope.prisma.payment.findFirstOrThrow({ where: { orderId }, orderBy: { createdAt: "asc" } });
  return {
    orderId,
    payment: { id: payment.id, provider: payment.provider, status: payment.status, clientSecret: payment.clientSecret },
    hookErrors: [],
  };
}

async function placeOrder(deps: CheckoutDeps, request: CheckoutRequest): Promise<CheckoutResult> {
  const { scope, payments } = deps;
  const now = new Date();
  const orderId = randomUUID();

  const placed = await scope.prisma.$transaction(
    async (tx) => {
      const cart = await lockCart(tx, scope.storeId, request.cartId);
      const currency = cart.currency;
      if (request.currency && request.currency !== currency) {
        throw new CheckoutFailedError("CURRENCY_MISMATCH", `The cart is in ${currency}, not ${request.currency}.`);
      }
      // Another customer's cart does not exist for this caller.
      if (!mayUseCart(scope.actor, cart)) throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
      // Naming a customer (and so their group prices and history) is for merchants; a shopper's cart
      // already carries its customer, and a signed-in customer checks out as themselves.
      const own = customerIdOf(scope.actor);
      if (request.customerId && request.customerId !== (own ?? cart.customerId) && !can(scope.actor, "orders:update")) {
        throw new ForbiddenError("Checking out for a customer needs the orders:update permission.");
      }
      const customerId = request.customerId ?? own ?? cart.customerId;
      const customer = customerId && isUuid(customerId)
        ? await tx.customer.findFirst({ where: { id: customerId, storeId: scope.storeId }, include: { groups: true } })
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
      const unavailable = items.find((item) => item.entity.status !== "active");
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
        return { key: item.id, entityId: item.entityId, variantId: item.variantId, quantity: item.quantity, unitPrice: price.amount };
      });

      const codes = [...new Set([...cart.promotionCodes, ...(request.promotionCodes ?? [])].map(normalizeCode))];
      const rules = await loadPromotionRules(tx, scope.storeId, codes);
      const usage = await redemptionsByCustomer(tx, [...rules.values()].map((r) => r.id), { customerId: customer?.id, email });
      for (const code of codes) {
        const rule = rules.get(code);
        const reason = rule ? rejectionFor(rule, { currency, lines, now, customerRedemptions: usage.get(rule.id) ?? 0 }) : "NOT_FOUND";
        if (reason) throw new CheckoutFailedError("PROMOTION_INVALID", `Promotion ${code} does not apply: ${reason}.`, { code, promotionReason: reason });
      }
      const charges = await loadStoreCharges(tx, scope.storeId);
      const totals = computeTotals(lines, [...rules.values()], charges);

      await reserveLines(tx, scope.storeId, orderId, items);
      const closed = await tx.cart.updateMany({ where: { id: cart.id, status: "active" }, data: { status: "checked_out" } });
      if (closed.count === 0) throw new CheckoutFailedError("CART_ALREADY_CHECKED_OUT", "The cart was already checked out.");

      // Numbered last: the per-year counter row stays locked until commit.
      const number = await nextOrderNumber(tx, scope.storeId, now);
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
          shippingAddress: (request.shippingAddress ?? undefined) as P.InputJsonValue | undefined,
          billingAddress: (request.billingAddress ?? request.shippingAddress ?? undefined) as P.InputJsonValue | undefined,
          metadata: (request.metadata ?? {}) as P.InputJsonValue,
          lines: {
            create: items.map((item, i) => {
              const t = lineTotals.get(item.id)!;
              return {
                entityId: item.entityId,
                variantId: item.variantId,
                sku: item.variant?.sku ?? null,
                title: item.entity.attributes[0]?.title ?? item.entity.slug,
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
      const payment = await tx.payment.create({
        data: { storeId: scope.storeId, orderId, provider: payments.name, amount: totals.total, currency },
      });
      // Committed with the order: even if this process dies before the provider call, the order is
      // looked at again and its stock released once it is overdue.
      await schedulePaymentFollowUp(tx, payment, deps.paymentFollowUp);
      const created: DomainEvent = { type: "orders.create", storeId: scope.storeId, orderId, customerId: order.customerId, status: order.status, at: order.createdAt.toISOString() };
      await recordChange(tx, {
        ...changedBy(scope),
        event: "orders.create",
        entityType: "order",
        entityId: orderId,
        after: { number, status: order.status, currency, total: totals.total, lines: items.length },
        data: { orderId, number, status: order.status, currency, total: totals.total, email },
      });
      return { order, payment, created };
    },
    { maxWait: 30_000, timeout: 30_000 },
  );

  const hookErrors: string[] = [];
  const payment = await createProviderPayment(deps, placed.order, placed.payment.id, request.paymentMethodId ?? null);
  for (const event of [placed.created]) {
    try {
      scope.events.publish(event);
    } catch (error) {
      hookErrors.push(`${event.type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { orderId, payment, hookErrors };
}

async function lockCart(tx: P.TransactionClient, storeId: string, cartId: string) {
  if (!isUuid(cartId)) throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
  // Row lock: two checkouts of one cart queue here, and the second sees it checked out.
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM cart WHERE id = ${cartId}::uuid AND "storeId" = ${storeId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new CheckoutFailedError("CART_NOT_FOUND", "Cart not found.");
  const cart = await tx.cart.findUniqueOrThrow({
    where: { id: cartId },
    include: {
      items: {
        include: {
          entity: { select: { slug: true, status: true, attributes: { where: { locale: "en" }, select: { title: true } } } },
          variant: { select: { sku: true } },
        },
      },
    },
  });
  if (cart.status !== "active") throw new CheckoutFailedError("CART_ALREADY_CHECKED_OUT", "The cart was already checked out.");
  if (cart.items.length === 0) throw new CheckoutFailedError("CART_EMPTY", "The cart is empty.");
  return cart;
}

/**
 * Reserves stock for every line whose entity/variant has inventory levels; items without any levels
 * (digital goods, services) are not stock-tracked.
 */
async function reserveLines(
  tx: P.TransactionClient,
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
      await reserveStock(tx, storeId, { entityId: item.entityId, variantId: item.variantId, quantity: item.quantity, orderId });
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

/**
 * The provider call happens after commit (no network inside a transaction). If it fails, the order is
 * compensated: cancelled (which releases its stock), its promotions given back, the payment failed.
 */
async function createProviderPayment(
  deps: CheckoutDeps,
  order: { id: string; number: string; grandTotal: number; currency: string },
  paymentId: string,
  paymentMethodId: string | null,
) {
  const { scope, payments } = deps;
  try {
    const created = await payments.createPayment({
      orderId: order.id,
      orderNumber: order.number,
      amount: order.grandTotal,
      currency: order.currency,
      paymentMethodId,
      idempotencyKey: `checkout:${order.id}`,
    });
    const payment = await scope.prisma.payment.update({
      where: { id: paymentId },
      data: { providerRef: created.providerRef, clientSecret: created.clientSecret },
    });
    return { id: payment.id, provider: payment.provider, status: payment.status, clientSecret: payment.clientSecret };
  } catch (error) {
    const event = await scope.prisma.$transaction((tx) =>
      abandonUnpaidOrder(tx, { id: paymentId, orderId: order.id }, "failed", "payment could not be created", { kind: "system", id: "checkout" }),
    );
    if (event) scope.events.publish(event);
    throw new CheckoutFailedError("PAYMENT_FAILED", `The payment could not be created: ${error instanceof Error ? error.message : "provider error"}.`, {
      orderId: order.id,
    });
  }
}

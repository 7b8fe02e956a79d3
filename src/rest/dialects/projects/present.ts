import { toMajorUnits } from "../../../domain/stores/currency.js";
import { RestFailure } from "../../../http/errors.js";

/**
 * Seed 003's shapes: snake_case fields, amounts in major units of their currency (29.99; the one
 * conversion is toMajorUnits), timestamps as epoch milliseconds.
 */
export const major = (amount: number | null | undefined, currency: string): number | null =>
  amount === null || amount === undefined ? null : toMajorUnits(amount, currency);

export const epochMs = (iso: string): number => Date.parse(iso);

interface Money {
  amount: number;
  currency: string;
}

interface TotalsNode {
  subtotal: number;
  discount: number;
  tax: number;
  shipping: number;
  total: number;
}

// ---- store config ---------------------------------------------------------------------------

export function presentConfig(s: {
  defaultCurrency: string;
  currencySymbol: string;
  taxPercentage: number;
  flatShippingAmount: number;
  freeShippingThreshold: number | null;
  shippingEnabled: boolean;
  activePaymentProvider: string;
}) {
  return {
    default_currency: s.defaultCurrency,
    currency_symbol: s.currencySymbol,
    tax_percentage: s.taxPercentage,
    flat_shipping_rate: major(s.flatShippingAmount, s.defaultCurrency),
    free_shipping_threshold: major(s.freeShippingThreshold, s.defaultCurrency),
    shipping_enabled: s.shippingEnabled,
    payment_provider: s.activePaymentProvider,
  };
}

// ---- catalog ----------------------------------------------------------------------------------

export interface ProductNode {
  id: string;
  slug: string;
  type: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  attributes: { locale: string; title: string; description: string | null }[];
  price: Money | null;
  variants: {
    id: string;
    sku: string;
    status: string;
    price: Money | null;
    optionValues: { value: string; label: string; optionType: { name: string } }[];
    inventory: { available: number }[];
  }[];
  inventory: { variantId: string | null; available: number }[];
  categories: { id: string; slug: string; name: string }[];
  media: { role: string; position: number; asset: { id: string; url: string; alt: string | null } }[];
}

/** Untracked items (no stock level anywhere: digital goods, services) are always in stock. */
const inStock = (levels: { available: number }[]) => levels.length === 0 || levels.some((l) => l.available > 0);

export function presentProduct(p: ProductNode) {
  // The request's locale when it named one, else English, else the first the product has.
  const text = p.attributes.find((a) => a.locale === "en") ?? p.attributes[0];
  const ownLevels = p.inventory.filter((l) => l.variantId === null);
  const variants = p.variants.filter((v) => v.status === "active");
  return {
    id: p.id,
    slug: p.slug,
    type: p.type,
    name: text?.title ?? p.slug,
    description: text?.description ?? null,
    price: major(p.price?.amount, p.price?.currency ?? ""),
    currency: p.price?.currency ?? null,
    in_stock: variants.length ? variants.some((v) => inStock(v.inventory)) : inStock(ownLevels),
    variants: variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      name: v.optionValues.map((o) => o.label).join(" / ") || v.sku,
      options: Object.fromEntries(v.optionValues.map((o) => [o.optionType.name, o.value])),
      price: v.price ? major(v.price.amount, v.price.currency) : major(p.price?.amount, p.price?.currency ?? ""),
      in_stock: inStock(v.inventory),
    })),
    categories: p.categories,
    images: p.media.map((m) => ({ id: m.asset.id, url: m.asset.url, alt: m.asset.alt, role: m.role })),
    created_at: epochMs(p.createdAt),
    updated_at: epochMs(p.updatedAt),
  };
}

/** One product by slug: an entity that is not active (a draft a merchant key can see) is not for sale: 404. */
export function presentActiveProduct(p: ProductNode) {
  if (p.status !== "active") throw RestFailure.of("NOT_FOUND", "Product not found.");
  return { product: presentProduct(p) };
}

export interface CategoryNode {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  parentId: string | null;
  sortOrder: number;
  children?: CategoryNode[];
}

/** A category in seed 003's shape, its children nested (declared: the type is recursive). */
export interface PresentedCategory {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  parent_id: string | null;
  sort_order: number;
  children: PresentedCategory[];
}

export function presentCategory(c: CategoryNode): PresentedCategory {
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    description: c.description,
    parent_id: c.parentId,
    sort_order: c.sortOrder,
    children: (c.children ?? []).map(presentCategory),
  };
}

// ---- carts ------------------------------------------------------------------------------------

interface ClientCartNode {
  id: string;
  currency: string;
  cart: {
    status: string;
    promotionCodes: string[];
    items: {
      id: string;
      entityId: string;
      variantId: string | null;
      sku: string | null;
      title: string;
      quantity: number;
      unitPrice: number;
      subtotal: number;
      discount: number;
      total: number;
    }[];
    totals: TotalsNode;
    createdAt: string;
    updatedAt: string;
  } | null;
}

const NO_TOTALS: TotalsNode = { subtotal: 0, discount: 0, tax: 0, shipping: 0, total: 0 };

/** A cart with its server-computed totals; an id never used yet is an empty cart. */
export function presentCart(c: ClientCartNode) {
  const cart = c.cart;
  const totals = cart?.totals ?? NO_TOTALS;
  const m = (amount: number) => toMajorUnits(amount, c.currency);
  const items = cart?.items ?? [];
  return {
    cart: {
      id: c.id,
      status: cart?.status ?? "active",
      currency: c.currency,
      items: items.map((i) => ({
        id: i.id,
        product_id: i.entityId,
        variant_id: i.variantId,
        sku: i.sku,
        name: i.title,
        quantity: i.quantity,
        unit_price: m(i.unitPrice),
        subtotal: m(i.subtotal),
        discount: m(i.discount),
        total: m(i.total),
      })),
      item_count: items.reduce((sum, i) => sum + i.quantity, 0),
      coupon_codes: cart?.promotionCodes ?? [],
      subtotal: m(totals.subtotal),
      discount_total: m(totals.discount),
      tax_total: m(totals.tax),
      shipping_total: m(totals.shipping),
      grand_total: m(totals.total),
      created_at: cart ? epochMs(cart.createdAt) : null,
      updated_at: cart ? epochMs(cart.updatedAt) : null,
    },
  };
}

export function presentCoupon({
  currency,
  validation: v,
}: {
  currency: string;
  validation: {
    valid: boolean;
    code: string;
    reason: string | null;
    discount: number;
    freeShipping: boolean;
    promotion: { name: string; type: string; value: number; currency: string | null } | null;
  };
}) {
  return {
    valid: v.valid,
    code: v.code,
    reason: v.reason,
    discount: toMajorUnits(v.discount, currency),
    free_shipping: v.freeShipping,
    currency,
    ...(v.valid && v.promotion
      ? {
          name: v.promotion.name,
          type: v.promotion.type,
          // Percentages stay percentages; fixed amounts are money.
          value:
            v.promotion.type.startsWith("fixed_") && v.promotion.currency
              ? toMajorUnits(v.promotion.value, v.promotion.currency)
              : v.promotion.value,
        }
      : {}),
  };
}

// ---- checkout and orders ------------------------------------------------------------------------

interface OrderSummaryNode {
  id: string;
  number: string;
  status: string;
  paymentStatus: string;
  currency: string;
  totals: TotalsNode;
  createdAt: string;
}

export function presentOrderSummary(o: OrderSummaryNode) {
  return {
    id: o.id,
    order_number: o.number,
    status: o.status,
    payment_status: o.paymentStatus,
    currency: o.currency,
    grand_total: toMajorUnits(o.totals.total, o.currency),
    created_at: epochMs(o.createdAt),
  };
}

export function presentOrder(
  o: OrderSummaryNode & {
    promotionCodes: string[];
    lines: {
      id: string;
      entityId: string;
      variantId: string | null;
      sku: string | null;
      title: string;
      quantity: number;
      unitPrice: number;
      total: number;
    }[];
  },
) {
  const m = (amount: number) => toMajorUnits(amount, o.currency);
  return {
    order: {
      ...presentOrderSummary(o),
      subtotal: m(o.totals.subtotal),
      discount_total: m(o.totals.discount),
      tax_total: m(o.totals.tax),
      shipping_total: m(o.totals.shipping),
      coupon_codes: o.promotionCodes,
      items: o.lines.map((l) => ({
        id: l.id,
        product_id: l.entityId,
        variant_id: l.variantId,
        sku: l.sku,
        name: l.title,
        quantity: l.quantity,
        unit_price: m(l.unitPrice),
        total: m(l.total),
      })),
    },
  };
}

export function presentCheckout(c: {
  order: {
    id: string;
    number: string;
    status: string;
    paymentStatus: string;
    currency: string;
    totals: { total: number };
  };
  payment: {
    id: string;
    provider: string;
    providerRef: string | null;
    status: string;
    clientSecret: string | null;
    url: string | null;
  };
}) {
  const { order, payment } = c;
  return {
    success: true,
    order: {
      id: order.id,
      order_number: order.number,
      grand_total: toMajorUnits(order.totals.total, order.currency),
      currency: order.currency,
      status: order.status,
      payment_status: order.paymentStatus,
    },
    // Stripe: a Checkout Session to redirect to (or, without a return URL, a PaymentIntent to confirm
    // with client_secret); manual: nothing to pay online, a merchant confirms the order.
    payment: {
      id: payment.providerRef ?? payment.id,
      provider: payment.provider,
      status: payment.status,
      url: payment.url,
      ...(payment.clientSecret ? { client_secret: payment.clientSecret } : {}),
    },
  };
}

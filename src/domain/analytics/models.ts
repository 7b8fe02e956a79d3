/**
 * The semantic layer's models, as data. Every piece of SQL here is owned by this file: the compiler
 * (compile.ts) only ever inserts these strings, chosen by name, and binds everything a caller sends as
 * parameters. Table and column names follow prisma/schema.prisma (snake_case tables, camelCase columns).
 */

/** What a column holds. Money is integer minor units of the row's `currency`. */
export type DimensionType = "string" | "id" | "boolean" | "time";
export type MeasureType = "integer" | "money";
export type ValueType = DimensionType | MeasureType;

export interface JoinDef {
  /** A table (or LATERAL subquery) with its alias, e.g. `entity_category ec`. */
  source: string;
  /** The join condition (`true` for a LATERAL subquery). */
  on: string;
  /** `inner` when the joined row always exists (a line always has its order); default `left`. */
  kind?: "inner" | "left";
  /** Joins this one builds on. */
  requires?: readonly string[];
  /**
   * Several rows per base row (an entity in several categories). Only a grouped dimension brings such a
   * join into the query; a filter on an ungrouped one becomes an EXISTS, so nothing is counted twice.
   */
  fanOut?: boolean;
}

export interface MeasureDef {
  title: string;
  description: string;
  type: MeasureType;
  /** An aggregate expression over the model's aliases. */
  sql: string;
  /** Joins the expression needs; never a fan-out join. */
  joins?: readonly string[];
}

export interface DimensionDef {
  title: string;
  description: string;
  type: DimensionType;
  /** A row-level expression over the model's aliases. */
  sql: string;
  joins?: readonly string[];
}

export interface ModelDef {
  title: string;
  description: string;
  /** The base table and its alias. */
  from: string;
  /** The column holding the row's store: every query compares it with the caller's store. */
  store: string;
  /** Joins every query needs (e.g. the table that holds the store column). */
  baseJoins?: readonly string[];
  joins: Readonly<Record<string, JoinDef>>;
  /** Money measures are always grouped by this dimension: amounts in different currencies never add up. */
  currencyDimension?: string;
  /** The time dimension a `dateRange` applies to when the query names no `timeDimension`. */
  defaultTimeDimension: string;
  measures: Readonly<Record<string, MeasureDef>>;
  dimensions: Readonly<Record<string, DimensionDef>>;
}

/** Category and brand of a catalog entity: fan-out joins (an entity may have several of each). */
function taxonomyJoins(entityColumn: string): Record<string, JoinDef> {
  return {
    entityCategory: { source: "entity_category ec", on: `ec."entityId" = ${entityColumn}`, fanOut: true },
    category: { source: "category c", on: `c.id = ec."categoryId"`, requires: ["entityCategory"] },
    entityBrand: { source: "entity_brand eb", on: `eb."entityId" = ${entityColumn}`, fanOut: true },
    brand: { source: "brand b", on: `b.id = eb."brandId"`, requires: ["entityBrand"] },
  };
}

const TAXONOMY_DIMENSIONS: Record<string, DimensionDef> = {
  category: {
    title: "Category",
    description: "Category slug. A product in several categories counts in each of them; none: null.",
    type: "string",
    sql: "c.slug",
    joins: ["category"],
  },
  categoryName: {
    title: "Category name",
    description: "Category name (see category).",
    type: "string",
    sql: "c.name",
    joins: ["category"],
  },
  brand: {
    title: "Brand",
    description: "Brand slug. A product with several brands counts for each of them; none: null.",
    type: "string",
    sql: "b.slug",
    joins: ["brand"],
  },
  brandName: {
    title: "Brand name",
    description: "Brand name (see brand).",
    type: "string",
    sql: "b.name",
    joins: ["brand"],
  },
};

const ORDER_DIMENSIONS: Record<string, DimensionDef> = {
  status: {
    title: "Order status",
    description: "pending, confirmed, processing, partially_fulfilled, fulfilled, refunded or cancelled.",
    type: "string",
    sql: "o.status",
  },
  currency: { title: "Currency", description: "The order's currency (ISO 4217).", type: "string", sql: "o.currency" },
  shippingCountry: {
    title: "Shipping country",
    description: "The country of the order's shipping address, as given at checkout.",
    type: "string",
    sql: `o."shippingAddress"->>'country'`,
  },
  createdAt: { title: "Order date", description: "When the order was placed.", type: "time", sql: `o."createdAt"` },
};

export const MODELS: Readonly<Record<string, ModelDef>> = {
  orders: {
    title: "Orders",
    description: "One row per order. Money is the order's grand total (after discounts, with tax and shipping).",
    from: `"order" o`,
    store: `o."storeId"`,
    joins: {
      refunds: {
        source: `LATERAL (SELECT SUM(rf.amount) AS amount FROM payment pm JOIN refund rf ON rf."paymentId" = pm.id
          WHERE pm."orderId" = o.id AND rf.status = 'succeeded') rfd`,
        on: "true",
      },
    },
    currencyDimension: "currency",
    defaultTimeDimension: "createdAt",
    measures: {
      count: { title: "Orders", description: "Number of orders.", type: "integer", sql: "COUNT(*)" },
      revenue: {
        title: "Revenue",
        description: "Sum of grand totals.",
        type: "money",
        sql: `COALESCE(SUM(o."grandTotal"), 0)`,
      },
      averageOrderValue: {
        title: "Average order value",
        description: "Mean grand total, rounded to a whole minor unit.",
        type: "money",
        sql: `ROUND(AVG(o."grandTotal"))`,
      },
      subtotal: {
        title: "Subtotal",
        description: "Sum of line subtotals before discounts.",
        type: "money",
        sql: `COALESCE(SUM(o.subtotal), 0)`,
      },
      discountTotal: {
        title: "Discounts",
        description: "Sum of discounts.",
        type: "money",
        sql: `COALESCE(SUM(o."discountTotal"), 0)`,
      },
      taxTotal: { title: "Tax", description: "Sum of tax.", type: "money", sql: `COALESCE(SUM(o."taxTotal"), 0)` },
      shippingTotal: {
        title: "Shipping",
        description: "Sum of shipping.",
        type: "money",
        sql: `COALESCE(SUM(o."shippingTotal"), 0)`,
      },
      refunds: {
        title: "Refunds",
        description: "Succeeded refunds of these orders (from the refund table), counted on the order's date.",
        type: "money",
        sql: "COALESCE(SUM(rfd.amount), 0)",
        joins: ["refunds"],
      },
      netRevenue: {
        title: "Net revenue",
        description: "revenue - refunds.",
        type: "money",
        sql: `COALESCE(SUM(o."grandTotal"), 0) - COALESCE(SUM(rfd.amount), 0)`,
        joins: ["refunds"],
      },
      customers: {
        title: "Customers",
        description: "Distinct known customers (guest orders are not counted).",
        type: "integer",
        sql: `COUNT(DISTINCT o."customerId")`,
      },
    },
    dimensions: {
      ...ORDER_DIMENSIONS,
      customer: {
        title: "Customer",
        description: "Customer id; null for guest orders.",
        type: "id",
        sql: `o."customerId"`,
      },
      hasPromotion: {
        title: "With promotion",
        description: "Whether a promotion code was applied.",
        type: "boolean",
        sql: `(cardinality(o."promotionCodes") > 0)`,
      },
    },
  },

  orderLines: {
    title: "Order lines",
    description: "One row per order line: what was sold. Line money is after line discounts, without tax and shipping.",
    from: "order_line ol",
    store: `o."storeId"`,
    baseJoins: ["order"],
    joins: {
      order: { source: `"order" o`, on: `o.id = ol."orderId"`, kind: "inner" },
      ...taxonomyJoins(`ol."entityId"`),
    },
    currencyDimension: "currency",
    defaultTimeDimension: "createdAt",
    measures: {
      count: { title: "Lines", description: "Number of order lines.", type: "integer", sql: "COUNT(*)" },
      unitsSold: {
        title: "Units sold",
        description: "Sum of quantities.",
        type: "integer",
        sql: "COALESCE(SUM(ol.quantity), 0)",
      },
      revenue: {
        title: "Revenue",
        description: "Sum of line totals (after line discounts).",
        type: "money",
        sql: "COALESCE(SUM(ol.total), 0)",
      },
      grossSales: {
        title: "Gross sales",
        description: "Sum of line subtotals (quantity x unit price).",
        type: "money",
        sql: "COALESCE(SUM(ol.subtotal), 0)",
      },
      discounts: {
        title: "Discounts",
        description: "Sum of line discounts.",
        type: "money",
        sql: "COALESCE(SUM(ol.discount), 0)",
      },
      orders: {
        title: "Orders",
        description: "Distinct orders.",
        type: "integer",
        sql: `COUNT(DISTINCT ol."orderId")`,
      },
    },
    dimensions: {
      product: { title: "Product", description: "Catalog entity id.", type: "id", sql: `ol."entityId"` },
      productTitle: {
        title: "Product title",
        description: "The title the line was sold under.",
        type: "string",
        sql: "ol.title",
      },
      variant: {
        title: "Variant",
        description: "Variant id; null for products without variants.",
        type: "id",
        sql: `ol."variantId"`,
      },
      sku: { title: "SKU", description: "The SKU the line was sold under.", type: "string", sql: "ol.sku" },
      ...TAXONOMY_DIMENSIONS,
      ...ORDER_DIMENSIONS,
    },
  },

  customers: {
    title: "Customers",
    description: "One row per customer of the store.",
    from: "customer cu",
    store: `cu."storeId"`,
    joins: {
      groupMember: { source: "customer_group_member cgm", on: `cgm."customerId" = cu.id`, fanOut: true },
      group: { source: "customer_group cg", on: `cg.id = cgm."groupId"`, requires: ["groupMember"] },
    },
    defaultTimeDimension: "createdAt",
    measures: {
      count: { title: "Customers", description: "Number of customers.", type: "integer", sql: "COUNT(*)" },
      withOrders: {
        title: "Customers with orders",
        description: "Customers who placed at least one order.",
        type: "integer",
        sql: `COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM "order" co WHERE co."customerId" = cu.id))`,
      },
    },
    dimensions: {
      createdAt: {
        title: "Created",
        description: "When the customer was created.",
        type: "time",
        sql: `cu."createdAt"`,
      },
      emailVerified: {
        title: "Email verified",
        description: "Whether the email address is verified.",
        type: "boolean",
        sql: `cu."emailVerified"`,
      },
      registered: {
        title: "Registered",
        description: "Whether the customer signed up (has a password), as opposed to being created by the merchant.",
        type: "boolean",
        sql: `(cu."passwordHash" IS NOT NULL)`,
      },
      group: {
        title: "Customer group",
        description: "Customer group slug. A customer in several groups counts in each; none: null.",
        type: "string",
        sql: "cg.slug",
        joins: ["group"],
      },
    },
  },

  refunds: {
    title: "Refunds",
    description:
      "One row per refund, on the date it was requested. Filter status = succeeded for money actually returned.",
    from: "refund r",
    store: `p."storeId"`,
    baseJoins: ["payment"],
    joins: {
      payment: { source: "payment p", on: `p.id = r."paymentId"`, kind: "inner" },
      order: { source: `"order" o`, on: `o.id = p."orderId"`, kind: "inner", requires: ["payment"] },
    },
    currencyDimension: "currency",
    defaultTimeDimension: "createdAt",
    measures: {
      count: { title: "Refunds", description: "Number of refunds.", type: "integer", sql: "COUNT(*)" },
      amount: {
        title: "Refunded amount",
        description: "Sum of refund amounts.",
        type: "money",
        sql: "COALESCE(SUM(r.amount), 0)",
      },
    },
    dimensions: {
      status: { title: "Refund status", description: "pending, succeeded or failed.", type: "string", sql: "r.status" },
      reason: { title: "Reason", description: "The reason given for the refund.", type: "string", sql: "r.reason" },
      currency: { title: "Currency", description: "The payment's currency.", type: "string", sql: "p.currency" },
      provider: { title: "Payment provider", description: "manual or stripe.", type: "string", sql: "p.provider" },
      order: { title: "Order", description: "Order id.", type: "id", sql: `p."orderId"` },
      orderStatus: {
        title: "Order status",
        description: "The refunded order's current status.",
        type: "string",
        sql: "o.status",
        joins: ["order"],
      },
      createdAt: {
        title: "Refund date",
        description: "When the refund was requested.",
        type: "time",
        sql: `r."createdAt"`,
      },
    },
  },

  inventory: {
    title: "Inventory",
    description: "One row per inventory level (an entity or variant in a warehouse): stock as it is now.",
    from: "inventory_level il",
    store: `w."storeId"`,
    baseJoins: ["warehouse"],
    joins: {
      warehouse: { source: "warehouse w", on: `w.id = il."warehouseId"`, kind: "inner" },
      entity: { source: "catalog_entity e", on: `e.id = il."entityId"`, kind: "inner" },
      variant: { source: "variant v", on: `v.id = il."variantId"` },
      ...taxonomyJoins(`il."entityId"`),
    },
    defaultTimeDimension: "updatedAt",
    measures: {
      onHand: {
        title: "On hand",
        description: "Units in the warehouses.",
        type: "integer",
        sql: `COALESCE(SUM(il."onHand"), 0)`,
      },
      reserved: {
        title: "Reserved",
        description: "Units held for carts and orders.",
        type: "integer",
        sql: "COALESCE(SUM(il.reserved), 0)",
      },
      available: {
        title: "Available",
        description: "onHand - reserved.",
        type: "integer",
        sql: `COALESCE(SUM(il."onHand" - il.reserved), 0)`,
      },
      count: {
        title: "Stock levels",
        description: "Number of (entity or variant, warehouse) levels.",
        type: "integer",
        sql: "COUNT(*)",
      },
      products: {
        title: "Products",
        description: "Distinct catalog entities stocked.",
        type: "integer",
        sql: `COUNT(DISTINCT il."entityId")`,
      },
      outOfStock: {
        title: "Out of stock",
        description: "Levels with nothing available.",
        type: "integer",
        sql: `COUNT(*) FILTER (WHERE il."onHand" - il.reserved <= 0)`,
      },
    },
    dimensions: {
      warehouse: { title: "Warehouse", description: "Warehouse code.", type: "string", sql: "w.code" },
      product: { title: "Product", description: "Catalog entity id.", type: "id", sql: `il."entityId"` },
      productSlug: {
        title: "Product slug",
        description: "Catalog entity slug.",
        type: "string",
        sql: "e.slug",
        joins: ["entity"],
      },
      productStatus: {
        title: "Product status",
        description: "draft, active, archived or discontinued.",
        type: "string",
        sql: "e.status",
        joins: ["entity"],
      },
      variant: {
        title: "Variant",
        description: "Variant id; null for a product's own stock.",
        type: "id",
        sql: `il."variantId"`,
      },
      sku: {
        title: "SKU",
        description: "Variant SKU; null for a product's own stock.",
        type: "string",
        sql: "v.sku",
        joins: ["variant"],
      },
      ...TAXONOMY_DIMENSIONS,
      updatedAt: {
        title: "Last change",
        description: "When the level last changed.",
        type: "time",
        sql: `il."updatedAt"`,
      },
    },
  },
};

/** Filter operators, per value type (Cube's names; `in`/`notIn` are aliases of `equals`/`notEquals`). */
export const OPERATORS = [
  "equals",
  "notEquals",
  "in",
  "notIn",
  "contains",
  "notContains",
  "gt",
  "gte",
  "lt",
  "lte",
  "set",
  "notSet",
] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATORS_BY_TYPE: Readonly<Record<ValueType, readonly Operator[]>> = {
  string: ["equals", "notEquals", "in", "notIn", "contains", "notContains", "set", "notSet"],
  id: ["equals", "notEquals", "in", "notIn", "set", "notSet"],
  boolean: ["equals", "notEquals", "set", "notSet"],
  time: ["gt", "gte", "lt", "lte", "set", "notSet"],
  integer: ["equals", "notEquals", "in", "notIn", "gt", "gte", "lt", "lte"],
  money: ["equals", "notEquals", "in", "notIn", "gt", "gte", "lt", "lte"],
};

/** Time buckets (PostgreSQL date_trunc fields; weeks start on Monday). */
export const GRANULARITIES = ["hour", "day", "week", "month", "quarter", "year"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const ANALYTICS_LIMITS = {
  /** Rows per query unless `limit` says otherwise. */
  defaultRows: 100,
  /** The most rows one query may ask for. */
  maxRows: 1000,
  /** PostgreSQL cancels a query running longer (statement_timeout; PGlite cannot interrupt one). */
  timeoutMs: 5000,
  maxMeasures: 20,
  maxDimensions: 10,
  maxFilters: 20,
  maxValues: 100,
  maxOffset: 100_000,
} as const;

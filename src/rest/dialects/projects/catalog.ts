import { describes } from "../../route.js";
import { presentActiveProduct, presentCategory, presentConfig, presentProduct } from "./present.js";
import { PROJECT, projectsRoute } from "./route.js";

export const catalogFragments: Record<string, string> = {
  ProjectProductFields: /* GraphQL */ `
    fragment ProjectProductFields on CatalogEntity {
      id slug type status createdAt updatedAt
      attributes(locale: $locale) { locale title description }
      price { amount currency }
      variants {
        id sku status
        price { amount currency }
        optionValues { value label optionType { name } }
        inventory { available }
      }
      inventory { variantId available }
      categories { id slug name }
      media { role position asset { id url alt } }
    }`,
  ProjectCategoryFields: /* GraphQL */ `
    fragment ProjectCategoryFields on Category { id name slug description parentId sortOrder }`,
};

const money = (description: string) => ({
  type: "number" as const,
  nullable: true as const,
  description: `${description}, in major units (29.99).`,
});

/** Checked against what presentProduct returns (`describes`), as the other schemas of this file. */
export const PRODUCT_SCHEMA = describes<ReturnType<typeof presentProduct>>()({
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    slug: { type: "string" },
    type: { type: "string" },
    name: { type: "string" },
    description: { type: "string", nullable: true },
    price: money("Price of one unit in the store's default currency"),
    currency: { type: "string", nullable: true },
    in_stock: { type: "boolean" },
    variants: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          sku: { type: "string" },
          name: { type: "string" },
          options: { type: "object", additionalProperties: { type: "string" } },
          price: money("Price of one unit"),
          in_stock: { type: "boolean" },
        },
      },
    },
    categories: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, slug: { type: "string" }, name: { type: "string" } },
      },
    },
    images: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          url: { type: "string" },
          alt: { type: "string", nullable: true },
          role: { type: "string" },
        },
      },
    },
    created_at: { type: "integer", description: "Epoch milliseconds." },
    updated_at: { type: "integer", description: "Epoch milliseconds." },
  },
});

const CATEGORY_SCHEMA = describes<ReturnType<typeof presentCategory>>()({
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    slug: { type: "string" },
    description: { type: "string", nullable: true },
    parent_id: { type: "string", nullable: true },
    sort_order: { type: "integer" },
    children: { type: "array", items: { $ref: "#/components/schemas/Category" } },
  },
});

const locale = {
  locale: { type: "string" as const, description: "Product text in this locale (default: English, else the first)." },
};

export const catalogRoutes = [
  projectsRoute({
    method: "GET",
    path: `${PROJECT}/config`,
    summary: "Get store config (currency, tax, shipping, payment provider). No auth required.",
    tag: "Store",
    keyless: true,
    description:
      "`payment_provider` is the provider checkout uses: the store's choice, or `manual` when this server is not configured " +
      "for it (no STRIPE_SECRET_KEY). Amounts in major units.",
    operation: `query { storeSettings { defaultCurrency currencySymbol taxPercentage flatShippingAmount freeShippingThreshold shippingEnabled activePaymentProvider } }`,
    result: ["storeSettings"],
    present: presentConfig,
    responseSchema: () =>
      describes<ReturnType<typeof presentConfig>>()({
        type: "object",
        properties: {
          default_currency: { type: "string", example: "USD" },
          currency_symbol: { type: "string", example: "$" },
          tax_percentage: { type: "number", example: 10 },
          flat_shipping_rate: money("Shipping per order"),
          free_shipping_threshold: money("Subtotal from which shipping is free (null: never)"),
          shipping_enabled: { type: "boolean" },
          payment_provider: { type: "string", enum: ["manual", "stripe"] },
        },
      }),
  }),
  projectsRoute({
    method: "GET",
    path: `${PROJECT}/products`,
    summary: "List all active products. Supports filtering and pagination.",
    tag: "Catalog",
    description: "Active products only, newest first. `{ products, total, page, limit }`.",
    query: {
      category: { type: "string", description: "Only products in this category (its id, from /categories)." },
      type: { type: "string", description: "Only this type (product, digitalDownload, ...)." },
      ...locale,
    },
    operation: `query ($first: Int, $after: String, $filter: CatalogEntityFilter, $locale: String) {
      catalogEntities(first: $first, after: $after, filter: $filter) { totalCount edges { node { ...ProjectProductFields } } }
    }`,
    variables: ({ query }) => ({
      filter: {
        status: "active",
        ...(query.category ? { categoryId: query.category } : {}),
        ...(query.type ? { type: query.type } : {}),
      },
      locale: query.locale ?? null,
    }),
    paginated: true,
    listKey: "products",
    result: ["catalogEntities"],
    present: presentProduct,
    responseSchema: () => PRODUCT_SCHEMA,
  }),
  projectsRoute({
    method: "GET",
    path: `${PROJECT}/products/:slug`,
    summary: "Get a single product by its URL slug.",
    tag: "Catalog",
    description: "`{ product }`. Drafts and archived products are 404, whatever the key.",
    query: locale,
    operation: `query ($slug: String!, $locale: String) { catalogEntity(slug: $slug) { ...ProjectProductFields } }`,
    variables: ({ params, query }) => ({ slug: params.slug, locale: query.locale ?? null }),
    result: ["catalogEntity"],
    notFound: "Product",
    present: presentActiveProduct,
    responseSchema: () =>
      describes<ReturnType<typeof presentActiveProduct>>()({ type: "object", properties: { product: PRODUCT_SCHEMA } }),
  }),
  projectsRoute({
    method: "GET",
    path: `${PROJECT}/categories`,
    summary: "List all categories (tree structure).",
    tag: "Catalog",
    description:
      "`{ categories: [...] }`: the top-level categories (sortOrder, then name; up to 100) with their `children`, four levels deep.",
    operation: `query {
      categories(rootsOnly: true, first: 100) { edges { node {
        ...ProjectCategoryFields children { ...ProjectCategoryFields children { ...ProjectCategoryFields
          children { ...ProjectCategoryFields } } }
      } } }
    }`,
    result: ["categories"],
    present: (connection) => ({
      categories: connection.edges.map((edge) => presentCategory(edge.node)),
    }),
    responseSchema: () =>
      describes<{ categories: ReturnType<typeof presentCategory>[] }>()({
        type: "object",
        properties: { categories: { type: "array", items: CATEGORY_SCHEMA } },
      }),
  }),
];

export { CATEGORY_SCHEMA };

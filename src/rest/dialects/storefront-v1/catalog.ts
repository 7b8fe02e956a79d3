import { isUuid } from "../../../domain/validation.js";
import type { GetStoresSlugQuery, ProductFieldsFragment } from "../../generated/storefront-v1.js";
import { describes, type QueryParamSpec } from "../../route.js";
import { storefrontRoute } from "./route.js";

const tag = "Catalog";

export const catalogFragments: Record<string, string> = {
  ProductFields: /* GraphQL */ `
    fragment ProductFields on CatalogEntity {
      id slug type status createdAt updatedAt
      attributes(locale: $locale) { locale title description }
      price(currency: $currency) { amount currency }
      variants {
        id sku status
        price(currency: $currency) { amount currency }
        optionValues { value label optionType { name } }
      }
      categories { id slug name }
      media { role position asset { id url alt } }
    }`,
};

/** Declarations that go with ProductFields. */
const PRODUCT_VARIABLES = "$locale: String, $currency: String";

/** What ProductFields selects, as codegen types it. */
type ProductNode = ProductFieldsFragment;

/** A product in seed 000's terms: snake_case, the price as a minor-unit integer beside its currency. */
export function presentProduct(p: ProductNode) {
  const text = p.attributes[0];
  return {
    id: p.id,
    slug: p.slug,
    type: p.type,
    status: p.status,
    title: text?.title ?? null,
    description: text?.description ?? null,
    locale: text?.locale ?? null,
    price: p.price?.amount ?? null,
    currency: p.price?.currency ?? null,
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      status: v.status,
      price: v.price?.amount ?? null,
      options: v.optionValues.map((o) => ({ name: o.optionType.name, value: o.value, label: o.label })),
    })),
    collections: p.categories,
    images: p.media.map((m) => ({
      id: m.asset.id,
      url: m.asset.url,
      alt: m.asset.alt,
      role: m.role,
      position: m.position,
    })),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

const money = { type: "integer", nullable: true, description: "Minor units (cents) of `currency`." } as const;
const text = { type: "string", nullable: true } as const;
/** Checked against what presentProduct returns: a field it adds, or one of another kind, fails to compile. */
export const PRODUCT_SCHEMA = describes<ReturnType<typeof presentProduct>>()({
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    slug: { type: "string" },
    type: { type: "string", description: "product, digitalDownload, ..." },
    status: { type: "string" },
    title: text,
    description: text,
    locale: { ...text, description: "The locale of title and description." },
    price: money,
    currency: text,
    variants: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          sku: { type: "string" },
          status: { type: "string" },
          price: money,
          options: {
            type: "array",
            items: {
              type: "object",
              properties: { name: { type: "string" }, value: { type: "string" }, label: { type: "string" } },
            },
          },
        },
      },
    },
    collections: {
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
          alt: text,
          role: { type: "string" },
          position: { type: "integer" },
        },
      },
    },
    created_at: { type: "string", format: "date-time" },
    updated_at: { type: "string", format: "date-time" },
  },
});

/** The store with the settings checkout uses, flattened into seed 000's names. */
function presentStore(store: GetStoresSlugQuery["currentStore"]) {
  const { settings, ...rest } = store;
  return {
    ...rest,
    currency: settings.defaultCurrency,
    tax_rate_bps: settings.taxRateBps,
    shipping: {
      enabled: settings.shippingEnabled,
      flat_amount: settings.flatShippingAmount,
      free_above: settings.freeShippingThreshold,
    },
    payment_provider: settings.paymentProvider,
  };
}

const productQuery: Record<string, QueryParamSpec> = {
  locale: {
    type: "string",
    description: "Locale of title and description (default: the first the product has).",
    example: "en",
  },
  currency: { type: "string", description: "Currency of the prices (default: the store's).", example: "USD" },
};

const productVariables = (query: Record<string, string>) => ({
  locale: query.locale || undefined,
  currency: query.currency || undefined,
});

const COLLECTION_SELECTION =
  "id slug name description parent_id: parentId sort_order: sortOrder created_at: createdAt updated_at: updatedAt";

export const catalogRoutes = [
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug",
    summary: "Get a store",
    tag,
    description:
      "Its name, default currency and locale, and the settings checkout uses (tax, shipping, payment provider). Amounts in minor units.",
    operation: `query { currentStore {
      id slug name locale: defaultLocale
      settings { defaultCurrency taxRateBps shippingEnabled flatShippingAmount freeShippingThreshold paymentProvider }
    } }`,
    result: ["currentStore"],
    present: presentStore,
    responseSchema: () =>
      describes<ReturnType<typeof presentStore>>()({
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          slug: { type: "string" },
          name: { type: "string" },
          currency: { type: "string" },
          locale: { type: "string" },
          tax_rate_bps: { type: "integer", description: "Tax in basis points (1000 = 10%)." },
          shipping: {
            type: "object",
            properties: {
              enabled: { type: "boolean" },
              flat_amount: { type: "integer" },
              free_above: { type: "integer", nullable: true },
            },
          },
          payment_provider: { type: "string", enum: ["manual", "stripe"] },
        },
      }),
  }),
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug/products",
    summary: "List a store's products",
    tag,
    description: "Active products, newest first.",
    paginated: true,
    query: {
      ...productQuery,
      collection_id: { type: "string", description: "Only products in this collection." },
      type: { type: "string", description: "Only this type (product, digitalDownload, ...)." },
    },
    operation: `query (${PRODUCT_VARIABLES}, $first: Int, $after: String, $filter: CatalogEntityFilter) {
      catalogEntities(first: $first, after: $after, filter: $filter) {
        pageInfo { hasNextPage endCursor } edges { node { ...ProductFields } }
      }
    }`,
    variables: ({ query }) => ({
      ...productVariables(query),
      filter: { type: query.type, categoryId: query.collection_id },
    }),
    result: ["catalogEntities"],
    present: presentProduct,
    responseSchema: () => PRODUCT_SCHEMA,
  }),
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug/products/:product",
    summary: "Get a product by id or slug",
    tag,
    query: productQuery,
    operation: `query (${PRODUCT_VARIABLES}, $id: ID, $slug: String) { catalogEntity(id: $id, slug: $slug) { ...ProductFields } }`,
    variables: ({ params, query }) => ({
      ...productVariables(query),
      ...(isUuid(params.product!) ? { id: params.product } : { slug: params.product }),
    }),
    result: ["catalogEntity"],
    notFound: "Product",
    present: presentProduct,
    responseSchema: () => PRODUCT_SCHEMA,
  }),
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug/collections",
    summary: "List a store's collections",
    tag,
    description:
      "Collections are our categories, by sort order then name; `parent_id` lists one level, `roots_only=true` the top level.",
    paginated: true,
    query: {
      parent_id: { type: "string", format: "uuid", description: "Only the children of this collection." },
      roots_only: { type: "boolean", description: "Only top-level collections." },
    },
    operation: `query ($first: Int, $after: String, $parentId: ID, $rootsOnly: Boolean) {
      categories(first: $first, after: $after, parentId: $parentId, rootsOnly: $rootsOnly) {
        pageInfo { hasNextPage endCursor } edges { node { ${COLLECTION_SELECTION} } }
      }
    }`,
    variables: ({ query }) => ({ parentId: query.parent_id, rootsOnly: query.roots_only === "true" }),
    result: ["categories"],
  }),
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug/collections/:id",
    summary: "Get a collection",
    tag,
    description: "Its products: `GET /stores/{slug}/products?collection_id={id}`.",
    operation: `query ($id: ID!) { category(id: $id) { ${COLLECTION_SELECTION} } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["category"],
    notFound: "Collection",
  }),
  storefrontRoute({
    method: "GET",
    path: "/stores/:slug/search",
    summary: "Search a store's products",
    tag,
    description:
      "Full-text search over titles, descriptions, SKUs, brand and collection names, best match first; words match as " +
      "typed, then as prefixes, then typo-corrected. Without `q`, every active product, newest first.",
    paginated: true,
    query: {
      q: { type: "string", description: "Search words (at most 200 characters).", example: "linen tote" },
      collection: { type: "string", description: "Only products in this collection (id or slug)." },
      type: { type: "string", description: "Only this type." },
      ...productQuery,
    },
    operation: `query (${PRODUCT_VARIABLES}, $first: Int, $after: String, $query: String, $filters: SearchFilters) {
      search(first: $first, after: $after, query: $query, filters: $filters) {
        pageInfo { hasNextPage endCursor } edges { node { score entity { ...ProductFields } } }
      }
    }`,
    variables: ({ query }) => ({
      ...productVariables(query),
      query: query.q,
      filters: { type: query.type, category: query.collection, locale: query.locale },
    }),
    result: ["search"],
    present: (hit) => ({ ...presentProduct(hit.entity), score: hit.score }),
    responseSchema: () =>
      describes<ReturnType<typeof presentProduct> & { score: number }>()({
        ...PRODUCT_SCHEMA,
        properties: { ...PRODUCT_SCHEMA.properties, score: { type: "number", description: "Relevance." } },
      }),
  }),
];

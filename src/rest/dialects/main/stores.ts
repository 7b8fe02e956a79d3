import { PAYMENT_PROVIDERS } from "../../../domain/stores/settings-service.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Stores";

const STORE_SELECTION = `id slug name defaultLocale createdAt updatedAt
  settings { defaultCurrency currencySymbol taxRateBps taxPercentage shippingEnabled flatShippingAmount freeShippingThreshold paymentProvider }`;

const access =
  "A platform-wide key (the bootstrap ADMIN_API_KEY) manages every store; a key bound to a store sees and changes only its own.";

/** Not in seed 002: stores are seed 003's projects; a merchant creates them here and then their keys (/api-keys with storeId). */
export const storeRoutes = [
  route({
    method: "GET",
    path: "/stores",
    summary: "List stores",
    tag,
    permission: "stores:manage",
    description: `${access} Oldest first.`,
    operation: `query ($first: Int, $after: String) { stores(first: $first, after: $after) { totalCount edges { node { ${STORE_SELECTION} } } } }`,
    paginated: true,
    result: ["stores"],
  }),
  route({
    method: "GET",
    path: "/stores/:id",
    summary: "Get a store",
    tag,
    permission: "stores:manage",
    description: access,
    operation: `query ($id: ID) { store(id: $id) { ${STORE_SELECTION} } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["store"],
    notFound: "Store",
  }),
  route({
    method: "POST",
    path: "/stores",
    summary: "Create a store (a project)",
    tag,
    permission: "stores:manage",
    description:
      "Platform-wide keys only (403 otherwise). The slug is the project slug of `/api/v1/public/projects/{slug}/ecommerce`; " +
      `settings as in PATCH /store/settings (paymentProvider one of ${PAYMENT_PROVIDERS.join(", ")}). Then create the ` +
      "store's keys with POST /api-keys `{ storeId, kind }`: a secret key for its back office, a publishable key for its storefront.",
    operation: mutationOperation({
      field: "createStore",
      inputType: "CreateStoreInput",
      dataField: "store",
      selection: STORE_SELECTION,
    }),
    body: {
      variable: "input",
      example: {
        name: "My shop",
        slug: "my-shop",
        defaultCurrency: "EUR",
        taxRateBps: 2000,
        paymentProvider: "stripe",
      },
    },
    result: ["createStore", "store"],
    status: 201,
  }),
  route({
    method: "PATCH",
    path: "/stores/:id",
    summary: "Update a store",
    tag,
    permission: "stores:manage",
    description: `${access} Only the given fields change; the default store keeps its slug.`,
    operation: mutationOperation({
      field: "updateStore",
      inputType: "UpdateStoreInput",
      dataField: "store",
      selection: STORE_SELECTION,
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { name: "Renamed", flatShippingAmount: 500 } },
    result: ["updateStore", "store"],
  }),
];

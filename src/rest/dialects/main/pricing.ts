import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Pricing";

export const pricingFragments: Record<string, string> = {
  PriceFields: /* GraphQL */ `
    fragment PriceFields on Price {
      id entityId variantId currency amount customerGroupId minQuantity validFrom validUntil createdAt updatedAt
    }`,
};

export const pricingRoutes = [
  route({
    method: "POST",
    path: "/pricing/prices",
    summary: "Create a price record",
    tag,
    permission: "pricing:create",
    description:
      "A price of an entity (or one of its variants) in one currency, in minor units, optionally for a customer group, " +
      "from a minimum quantity and within a validity window. The most specific price wins: variant + group > variant > " +
      "entity + group > entity.",
    operation: mutationOperation({
      field: "createPrice",
      inputType: "CreatePriceInput",
      dataField: "price",
      selection: "...PriceFields",
    }),
    body: {
      variable: "input",
      example: {
        entityId: "00000000-0000-4000-8000-000000000001",
        variantId: "00000000-0000-4000-8000-000000000002",
        currency: "USD",
        amount: 2999,
      },
    },
    result: ["createPrice", "price"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/pricing/prices",
    summary: "List prices",
    tag,
    permission: "pricing:update",
    paginated: true,
    query: {
      entityId: { type: "string", format: "uuid", description: "Filter by entity ID." },
      variantId: { type: "string", format: "uuid", description: "Filter by variant ID." },
      currency: { type: "string", description: "Filter by currency code." },
      customerGroupId: { type: "string", format: "uuid", description: "Filter by customer group." },
    },
    operation: `query ($first: Int, $after: String, $filter: PriceFilter) {
      prices(first: $first, after: $after, filter: $filter) { totalCount edges { node { ...PriceFields } } }
    }`,
    variables: ({ query }) => ({
      filter: {
        entityId: query.entityId,
        variantId: query.variantId,
        currency: query.currency,
        customerGroupId: query.customerGroupId,
      },
    }),
    result: ["prices"],
  }),
  route({
    method: "PATCH",
    path: "/pricing/prices/:id",
    summary: "Update a price record",
    tag,
    permission: "pricing:update",
    operation: mutationOperation({
      field: "updatePrice",
      inputType: "UpdatePriceInput",
      dataField: "price",
      selection: "...PriceFields",
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { amount: 2499 } },
    result: ["updatePrice", "price"],
  }),
  route({
    method: "POST",
    path: "/pricing/modifiers",
    summary: "Create a price modifier",
    tag,
    permission: "pricing:create",
    description:
      "Adjusts resolved prices: percentage_off (value in percent), fixed_off (minor units) or fixed_price (minor units), " +
      "scoped to an entity, variant, customer group, currency and minimum quantity; applied by descending priority.",
    operation: `mutation ($input: CreatePriceModifierInput!) {
      createPriceModifier(input: $input) { ...ErrorFields ... on CreatePriceModifierPayload { modifier {
        id name type value entityId variantId customerGroupId currency minQuantity priority validFrom validUntil active } } }
    }`,
    body: {
      variable: "input",
      example: {
        name: "Wholesale 20%",
        type: "percentage_off",
        value: 20,
        customerGroupId: "00000000-0000-4000-8000-000000000005",
      },
    },
    result: ["createPriceModifier", "modifier"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/customer-groups",
    summary: "List customer groups",
    tag: "Customers",
    permission: "customers:read",
    paginated: true,
    operation: `query ($first: Int, $after: String) { customerGroups(first: $first, after: $after) { totalCount edges { node { id name slug } } } }`,
    result: ["customerGroups"],
  }),
  route({
    method: "POST",
    path: "/customer-groups",
    summary: "Create a customer group",
    tag: "Customers",
    permission: "customers:update",
    operation: mutationOperation({
      field: "createCustomerGroup",
      inputType: "CreateCustomerGroupInput",
      dataField: "customerGroup",
      selection: "id name slug",
    }),
    body: { variable: "input", example: { name: "Wholesale" } },
    result: ["createCustomerGroup", "customerGroup"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/customer-groups/:id/members",
    summary: "Add a customer to a group",
    tag: "Customers",
    permission: "customers:update",
    description: "Idempotent. The customer's carts and checkouts get the group's prices from now on.",
    operation: mutationOperation({
      field: "addCustomerToGroup",
      inputType: "CustomerGroupMembershipInput",
      dataField: "customerGroup",
      selection: "id name slug",
    }),
    body: {
      variable: "input",
      pathFields: { id: "groupId" },
      example: { customerId: "00000000-0000-4000-8000-000000000004" },
    },
    result: ["addCustomerToGroup", "customerGroup"],
  }),
  route({
    method: "DELETE",
    path: "/customer-groups/:id/members/:customerId",
    summary: "Remove a customer from a group",
    tag: "Customers",
    permission: "customers:update",
    operation: mutationOperation({
      field: "removeCustomerFromGroup",
      inputType: "CustomerGroupMembershipInput",
      dataField: "customerGroup",
      selection: "id name slug",
    }),
    variables: ({ params }) => ({ input: { groupId: params.id, customerId: params.customerId } }),
    result: ["removeCustomerFromGroup", "customerGroup"],
  }),
];

import { PROMOTION_REJECTIONS } from "../../../domain/promotions/rules.js";
import { route } from "./route.js";

const tag = "Promotions";

export const promotionFragments: Record<string, string> = {
  PromotionFields: /* GraphQL */ `
    fragment PromotionFields on Promotion {
      id code name type value currency minSubtotal entityIds validFrom validUntil
      usageLimit perCustomerLimit usageCount active metadata createdAt updatedAt
    }`,
};

/** A mutation answering with the promotion (seed 002 returns the changed record). */
function promotionMutation(field: string, inputType: string) {
  const payload = `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;
  return `mutation ($input: ${inputType}!) {
    ${field}(input: $input) { ...ErrorFields ... on ${payload} { promotion { ...PromotionFields } } }
  }`;
}

export const promotionRoutes = [
  route({
    method: "POST",
    path: "/promotions",
    summary: "Create a promotion",
    tag,
    permission: "promotions:create",
    description:
      "`value` is a percent (1-100) for percentage_off_order and percentage_off_item, minor units (> 0) for " +
      "fixed_amount_off_order (which also needs `currency`), and 0 or omitted for free_shipping. validFrom and " +
      "validUntil are ISO 8601 date-times (omitted or null: open bound; validUntil must be after validFrom). " +
      "`entityIds` (percentage_off_item only) must be entities of this store; empty discounts every item. The code is " +
      "stored upper-case: 409 CONFLICT when it exists in this store in any case.",
    operation: promotionMutation("createPromotion", "CreatePromotionInput"),
    body: {
      variable: "input",
      example: {
        code: "SAVE10",
        name: "Save 10%",
        type: "percentage_off_order",
        value: 10,
        validFrom: "2025-01-01T00:00:00Z",
        validUntil: "2025-12-31T23:59:59Z",
      },
    },
    result: ["createPromotion", "promotion"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/promotions",
    summary: "List active promotions",
    tag,
    permission: "promotions:read",
    description:
      "Active = the active flag is set and now is within [validFrom, validUntil] (null bounds are open); used-up " +
      "promotions are still listed. Newest first. Not public: codes are often secrets handed to chosen customers, so " +
      "listing needs promotions:read, which promotions:create and promotions:update imply. Shoppers check a code they " +
      "hold with POST /promotions/validate. `includeInactive=true` lists every promotion of the store.",
    paginated: true,
    query: {
      includeInactive: { type: "boolean", description: "Also list inactive, expired and not yet started promotions." },
    },
    operation: `query ($first: Int, $after: String, $activeOnly: Boolean) {
      promotions(first: $first, after: $after, activeOnly: $activeOnly) { totalCount edges { node { ...PromotionFields } } }
    }`,
    variables: ({ query }) => ({ activeOnly: query.includeInactive !== "true" }),
    result: ["promotions"],
  }),
  route({
    method: "POST",
    path: "/promotions/validate",
    summary: "Validate a promotion code against a cart",
    tag,
    description:
      "Public, and always 200 for a well-formed body: `data.valid`, `data.reason` (null, or one of " +
      `${PROMOTION_REJECTIONS.join(", ")}), \`data.discount\` (minor units this promotion takes off these line items), ` +
      "`data.freeShipping`, and `data.promotion` ({id, code, name, type, value, currency}, null for an unknown code). " +
      "A what-if on the client's prices: nothing is reserved and checkout decides again with server prices. " +
      "`subtotal` and each `totalPrice`, when given, must agree with quantity × unitPrice. The per-customer limit is " +
      "checked when `customerId` is given; `customerGroupIds` is accepted but promotions have no group conditions. " +
      "Codes can be guessed here only as fast as the rate limit allows. A malformed body is 422 with field paths.",
    operation: `query ($input: ValidatePromotionInput!) {
      validatePromotion(input: $input) {
        valid code reason discount freeShipping
        promotion { id code name type value currency }
      }
    }`,
    body: {
      variable: "input",
      example: {
        code: "SAVE10",
        currency: "USD",
        subtotal: 5000,
        lineItems: [
          {
            entityId: "00000000-0000-4000-8000-000000000000",
            entityType: "product",
            quantity: 1,
            unitPrice: 5000,
            totalPrice: 5000,
          },
        ],
      },
    },
    result: ["validatePromotion"],
  }),
  route({
    method: "PATCH",
    path: "/promotions/:id",
    summary: "Update a promotion",
    tag,
    permission: "promotions:update",
    description:
      "Changes name, value, validFrom, validUntil, minSubtotal, usageLimit, perCustomerLimit, active and metadata; " +
      "null clears a bound or a limit. Code, type, currency and entities are fixed (create a new promotion instead). " +
      "The value and window are checked against the promotion's type and its other bound (422 with the field's path).",
    operation: promotionMutation("updatePromotion", "UpdatePromotionInput"),
    body: { variable: "input", pathFields: { id: "id" }, example: { name: "Save 15%", value: 15, usageLimit: 1000 } },
    result: ["updatePromotion", "promotion"],
  }),
  route({
    method: "POST",
    path: "/promotions/:id/deactivate",
    summary: "Deactivate a promotion",
    tag,
    permission: "promotions:update",
    description: "Answers with the promotion, active false. Idempotent: deactivating twice answers the same.",
    operation: promotionMutation("deactivatePromotion", "IdInput"),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: ["deactivatePromotion", "promotion"],
  }),
];

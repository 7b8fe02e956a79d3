import { DEFAULT_REVIEW_STATUS, REVIEW_STATUSES } from "../../../domain/catalog/reviews.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

// Product reviews (seed 004's product comments): customers who received a product write one; merchants
// moderate them (reviews:moderate) and list them (reviews:read).

const tag = "Reviews";

export const reviewFragments: Record<string, string> = {
  ReviewFields: /* GraphQL */ `
    fragment ReviewFields on ProductReview {
      id entityId rating title text status authorName verifiedPurchase customerId reply repliedAt publishedAt createdAt updatedAt
    }`,
  RatingSummaryFields: /* GraphQL */ `
    fragment RatingSummaryFields on RatingSummary { average count counts { rating count } }`,
};

export const reviewRoutes = [
  route({
    method: "GET",
    path: "/catalog/entities/:id/reviews",
    summary: "List a product's reviews",
    tag,
    description:
      "Newest first. The public sees published reviews; merchants (reviews:read) see every status, or one with `status`. " +
      "`meta.ratingSummary` is the published reviews' average, count and count per star.",
    paginated: true,
    query: { status: { type: "string", enum: REVIEW_STATUSES, description: "Merchants only: one status." } },
    operation: `query ($key: ID!, $first: Int, $after: String, $status: ProductReviewStatus) {
      catalogEntity(id: $key) {
        reviews(first: $first, after: $after, status: $status) { totalCount ratingSummary { ...RatingSummaryFields } edges { node { ...ReviewFields } } }
      }
    }`,
    variables: ({ params, query }) => ({ key: params.id, status: query.status }),
    result: ["catalogEntity", "reviews"],
    notFound: "Entity",
    respond: (connection) => ({
      data: connection.edges.map((e) => e.node),
      meta: { ratingSummary: connection.ratingSummary },
    }),
    responseSchema: (reviews) => ({
      type: "object",
      properties: {
        data: reviews,
        meta: {
          type: "object",
          properties: {
            ratingSummary: {
              type: "object",
              description: "The published reviews' average, count and count per star.",
              properties: {
                average: { type: "number", nullable: true },
                count: { type: "integer" },
                counts: {
                  type: "array",
                  items: { type: "object", properties: { rating: { type: "integer" }, count: { type: "integer" } } },
                },
              },
            },
            pagination: { $ref: "#/components/schemas/PaginationMeta/properties/pagination" },
          },
        },
      },
      required: ["data"],
    }),
  }),
  route({
    method: "POST",
    path: "/catalog/entities/:id/reviews",
    summary: "Review a product",
    tag,
    description:
      "Needs a customer session. Body { rating (1-5), title, text }. Only a customer with a delivered (fulfilled) order line of " +
      "the product may review it (403 otherwise), once (409 for a second review). 201 with the review, status " +
      `${DEFAULT_REVIEW_STATUS}: it shows publicly once a merchant publishes it.`,
    operation: mutationOperation({
      field: "writeProductReview",
      inputType: "WriteProductReviewInput",
      dataField: "review",
      selection: "...ReviewFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "entityId" },
      example: { rating: 5, title: "Great tote", text: "Sturdy and roomy." },
    },
    result: ["writeProductReview", "review"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/reviews",
    summary: "List reviews (merchants)",
    tag,
    permission: "reviews:read",
    description:
      "Every product review of the store, newest first; filter by status (e.g. pending, to moderate) and product.",
    paginated: true,
    query: {
      status: { type: "string", enum: REVIEW_STATUSES, description: "Filter by status." },
      entityId: { type: "string", format: "uuid", description: "Filter by product." },
    },
    operation: `query ($first: Int, $after: String, $filter: ProductReviewFilter) {
      productReviews(first: $first, after: $after, filter: $filter) { totalCount edges { node { ...ReviewFields } } }
    }`,
    variables: ({ query }) => ({ filter: { status: query.status, entityId: query.entityId } }),
    result: ["productReviews"],
  }),
  route({
    method: "PATCH",
    path: "/reviews/:id",
    summary: "Moderate a review: publish, hide, reply",
    tag,
    permission: "reviews:moderate",
    description:
      "Body { status?: published | hidden, reply?: string | null }. Moves: pending -> published | hidden, published <-> hidden " +
      "(409 with allowedStatuses otherwise); reply sets (or with null removes) the merchant's public answer.",
    operation: mutationOperation({
      field: "moderateProductReview",
      inputType: "ModerateProductReviewInput",
      dataField: "review",
      selection: "...ReviewFields",
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { status: "published", reply: "Thank you!" } },
    result: ["moderateProductReview", "review"],
  }),
];

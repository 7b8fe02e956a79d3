import { VENDOR_STATUSES } from "../../../domain/marketplace/vendors.js";
import { mutationOperation, type RouteSpec } from "../../route.js";
import { route } from "./route.js";

// Seed 002's @porulle/plugin-marketplace, part A: vendors, their documents and reviews, and the
// vendor's own profile (/vendor/me, scoped to actor.vendorId). Sub-orders, payouts, commissions,
// disputes and returns are in marketplace-orders.ts.

const tag = "Marketplace: vendors";
const ADMIN = "marketplace:admin";

export const marketplaceVendorFragments: Record<string, string> = {
  VendorFields: /* GraphQL */ `
    fragment VendorFields on Vendor {
      id name slug status description logoUrl website email phone rejectionReason metadata
      rating { average count }
      createdAt updatedAt
    }`,
  VendorDocumentFields: /* GraphQL */ `
    fragment VendorDocumentFields on VendorDocument { id vendorId kind mediaAssetId status reason contentType fileName byteSize downloadUrl createdAt updatedAt }`,
  VendorReviewFields: /* GraphQL */ `
    fragment VendorReviewFields on VendorReview { id vendorId rating body hidden reply repliedAt authorName createdAt updatedAt }`,
};

const transitions: { action: string; field: string; description: string; example?: unknown }[] = [
  { action: "approve", field: "approveVendor", description: "pending | rejected -> approved. Emits vendor.approved." },
  {
    action: "reject",
    field: "rejectVendor",
    description: "pending -> rejected; body { reason } (required). Emits vendor.rejected.",
    example: { reason: "Incomplete documents" },
  },
  {
    action: "suspend",
    field: "suspendVendor",
    description: "approved -> suspended; body { reason } optional. Emits vendor.suspended.",
  },
  { action: "reinstate", field: "reinstateVendor", description: "suspended -> approved. Emits vendor.reinstated." },
];

export const marketplaceVendorRoutes: RouteSpec[] = [
  route({
    method: "GET",
    path: "/marketplace/vendors",
    summary: "List vendors",
    tag,
    description:
      "Newest first. The marketplace admin (marketplace:admin) sees every vendor, of one `status` when asked; a vendor key " +
      "only its own vendor; everyone else the approved vendors (email, phone, rejection reason and metadata are null for them).",
    paginated: true,
    query: {
      status: { type: "string", enum: VENDOR_STATUSES, description: "The admin: only vendors in this status." },
    },
    operation: `query ($first: Int, $after: String, $status: VendorStatus) {
      vendors(first: $first, after: $after, status: $status) { totalCount edges { node { ...VendorFields } } }
    }`,
    variables: ({ query }) => ({ status: query.status }),
    result: ["vendors"],
  }),
  route({
    method: "POST",
    path: "/marketplace/vendors",
    summary: "Register a vendor",
    tag,
    description:
      "Status pending. The marketplace admin registers any vendor; a signed-in customer registers their own business and " +
      "becomes its staff (their session then acts as the vendor). 409 for a slug taken in the store. Emits vendor.registered.",
    operation: mutationOperation({
      field: "registerVendor",
      inputType: "RegisterVendorInput",
      dataField: "vendor",
      selection: "...VendorFields",
    }),
    body: {
      variable: "input",
      example: { name: "Acme Outfitters", email: "sales@acme.example", description: "Tents and packs" },
    },
    result: ["registerVendor", "vendor"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/marketplace/vendors/:id",
    summary: "Vendor detail",
    tag,
    description:
      "As the list: the admin any vendor, a vendor key its own, everyone else approved vendors (404 otherwise).",
    operation: `query ($id: ID!) { vendor(id: $id) { ...VendorFields } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["vendor"],
    notFound: "Vendor",
  }),
  route({
    method: "PATCH",
    path: "/marketplace/vendors/:id",
    summary: "Update vendor",
    tag,
    permission: ADMIN,
    description:
      "The marketplace admin updates any vendor (slug included); a vendor key its own profile (404 for another). Emits vendor.updated.",
    operation: mutationOperation({
      field: "updateVendor",
      inputType: "UpdateVendorInput",
      dataField: "vendor",
      selection: "...VendorFields",
    }),
    body: { variable: "input", pathFields: { id: "id" }, example: { description: "Tents, packs and stoves" } },
    result: ["updateVendor", "vendor"],
    notFound: "Vendor",
  }),
  ...transitions.map(({ action, field, description, example }) =>
    route({
      method: "POST",
      path: `/marketplace/vendors/:id/${action}`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} vendor`,
      tag,
      permission: ADMIN,
      description: `${description} An illegal move is 409 with currentStatus, requestedStatus and allowedStatuses.`,
      operation: mutationOperation({
        field,
        inputType: "VendorTransitionInput",
        dataField: "vendor",
        selection: "...VendorFields",
      }),
      body: { variable: "input", pathFields: { id: "id" }, ...(example ? { example } : {}) },
      result: [field, "vendor"],
      notFound: "Vendor",
    }),
  ),
  route({
    method: "GET",
    path: "/marketplace/vendors/:id/documents",
    summary: "List documents",
    tag,
    permission: ADMIN,
    description:
      "Oldest first, each with a signed download URL: the admin, or the vendor's own key (404 for anyone else).",
    operation: `query ($id: ID!) { vendor(id: $id) { id documents { ...VendorDocumentFields } } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["vendor", "documents"],
    notFound: "Vendor",
  }),
  route({
    method: "POST",
    path: "/marketplace/vendors/:id/documents",
    summary: "Upload document (multipart/form-data)",
    tag,
    permission: ADMIN,
    description:
      "Fields `file` (PDF or image, the media allow-list and size limit) and `kind` (snake_case, e.g. business_license). " +
      "The bytes go to media storage; the document starts pending. The admin, or the vendor's own key. Emits vendor.document_uploaded.",
    multipart: true,
    operation: mutationOperation({
      field: "uploadVendorDocument",
      inputType: "UploadVendorDocumentInput",
      dataField: "document",
      selection: "...VendorDocumentFields",
    }),
    body: { variable: "input", pathFields: { id: "vendorId" } },
    result: ["uploadVendorDocument", "document"],
    notFound: "Vendor",
    status: 201,
  }),
  ...(["approve", "reject"] as const).map((action) =>
    route({
      method: "POST",
      path: `/marketplace/vendors/:id/documents/:docId/${action}`,
      summary: `${action === "approve" ? "Approve" : "Reject"} document`,
      tag,
      permission: ADMIN,
      description:
        action === "approve"
          ? "pending | rejected -> approved. Emits vendor.document_approved."
          : "pending | approved -> rejected; body { reason } (required). Emits vendor.document_rejected.",
      operation: mutationOperation({
        field: `${action}VendorDocument`,
        inputType: "ReviewVendorDocumentInput",
        dataField: "document",
        selection: "...VendorDocumentFields",
      }),
      body: {
        variable: "input",
        pathFields: { id: "vendorId", docId: "documentId" },
        ...(action === "reject" ? { example: { reason: "Expired licence" } } : {}),
      },
      result: [`${action}VendorDocument`, "document"],
      notFound: "Vendor document",
    }),
  ),
  route({
    method: "GET",
    path: "/marketplace/vendor/me",
    summary: "Own vendor profile",
    tag,
    description:
      "The vendor the caller acts as: a vendor key (POST /api/api-keys with vendorId) or vendor staff signed in. 403 for anyone else.",
    operation: `query { vendorMe { ...VendorFields documents { ...VendorDocumentFields } } }`,
    result: ["vendorMe"],
  }),
  route({
    method: "PATCH",
    path: "/marketplace/vendor/me",
    summary: "Update own profile",
    tag,
    description:
      "name, email, description, logoUrl, phone, website, metadata of the caller's own vendor. Emits vendor.updated.",
    operation: mutationOperation({
      field: "updateMyVendor",
      inputType: "UpdateMyVendorInput",
      dataField: "vendor",
      selection: "...VendorFields",
    }),
    body: { variable: "input", example: { description: "Now shipping worldwide" } },
    result: ["updateMyVendor", "vendor"],
  }),
  route({
    method: "GET",
    path: "/marketplace/vendor/me/reviews",
    summary: "Reviews received",
    tag,
    description: "The caller's own vendor's reviews, newest first, hidden ones included.",
    paginated: true,
    operation: `query ($first: Int, $after: String) {
      vendorMe { reviews(first: $first, after: $after) { totalCount edges { node { ...VendorReviewFields } } } }
    }`,
    result: ["vendorMe", "reviews"],
  }),
  route({
    method: "POST",
    path: "/marketplace/vendors/:id/reviews",
    summary: "Review a vendor",
    tag,
    description:
      "Needs a customer session. Body { rating (1-5), body }. Only a buyer with a delivered purchase from the vendor (a delivered " +
      "sub-order of the vendor in one of their orders) may review it (403 otherwise), once (409 for a second). Emits vendor.review_created.",
    operation: mutationOperation({
      field: "createVendorReview",
      inputType: "CreateVendorReviewInput",
      dataField: "review",
      selection: "...VendorReviewFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "vendorId" },
      example: { rating: 5, body: "Fast shipping, well packed." },
    },
    result: ["createVendorReview", "review"],
    notFound: "Vendor",
    status: 201,
  }),
  route({
    method: "GET",
    path: "/marketplace/vendors/:id/reviews",
    summary: "List a vendor's reviews",
    tag,
    description:
      "Public, newest first; hidden reviews only for the admin and the vendor itself. The average is the vendor's `rating`.",
    paginated: true,
    operation: `query ($id: ID!, $first: Int, $after: String) {
      vendor(id: $id) { reviews(first: $first, after: $after) { totalCount edges { node { ...VendorReviewFields } } } }
    }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["vendor", "reviews"],
    notFound: "Vendor",
  }),
  route({
    method: "PATCH",
    path: "/marketplace/vendors/:id/reviews/:reviewId",
    summary: "Hide a review (admin) or reply (vendor)",
    tag,
    permission: ADMIN,
    description:
      "Body { hidden } (marketplace:admin) or { reply } (the vendor's own key). Emits vendor.review_updated.",
    operation: mutationOperation({
      field: "updateVendorReview",
      inputType: "UpdateVendorReviewInput",
      dataField: "review",
      selection: "...VendorReviewFields",
    }),
    body: { variable: "input", pathFields: { id: "vendorId", reviewId: "reviewId" }, example: { reply: "Thank you!" } },
    result: ["updateVendorReview", "review"],
    notFound: "Vendor review",
  }),
];

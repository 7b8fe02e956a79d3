/** The events of vendors (webhook catalog and audit log). */
export const VENDOR_EVENTS = [
  "vendor.registered",
  "vendor.updated",
  "vendor.approved",
  "vendor.rejected",
  "vendor.suspended",
  "vendor.reinstated",
  "vendor.document_uploaded",
  "vendor.document_approved",
  "vendor.document_rejected",
  "vendor.review_created",
  "vendor.review_updated",
] as const;

/**
 * Returns (RMA): requested (items + reason) -> approved (an RMA number is issued) -> received (items
 * back, restocked or not) -> refunded (when the refund that pays it back settles); requested or
 * approved -> rejected.
 */
export const RETURN_STATUSES = ["requested", "approved", "received", "refunded", "rejected"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_TRANSITIONS: Record<ReturnStatus, readonly ReturnStatus[]> = {
  requested: ["approved", "rejected"],
  approved: ["received", "rejected"],
  received: ["refunded"],
  refunded: [],
  rejected: [],
};

/**
 * Exchanges, like returns but with a replacement variant per line: approved reserves the replacements;
 * received takes the items back and ships the replacements as a new fulfillment, settling the price
 * difference (refunded, or a new payment to capture); requested or approved -> rejected (which releases
 * the replacements).
 */
export const EXCHANGE_STATUSES = ["requested", "approved", "received", "rejected"] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

export const EXCHANGE_TRANSITIONS: Record<ExchangeStatus, readonly ExchangeStatus[]> = {
  requested: ["approved", "rejected"],
  approved: ["received", "rejected"],
  received: [],
  rejected: [],
};

export type ReturnKind = "return" | "exchange";

export function transitionsOf(kind: ReturnKind): Record<string, readonly string[]> {
  return kind === "return" ? RETURN_TRANSITIONS : EXCHANGE_TRANSITIONS;
}

import { NotFoundError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid } from "../validation.js";

/** A sub-order shipped within this long of its order counts as shipped on time. */
export const ON_TIME_SHIPPING_HOURS = 48;

/**
 * A vendor's performance, computed from its rows when asked (nothing stored): rating (visible reviews),
 * fulfilment rate (delivered of the sub-orders that are delivered or cancelled), on-time shipping
 * (shipped within ON_TIME_SHIPPING_HOURS of the order, of those shipped), cancellation and dispute rates
 * (of all its sub-orders). Rates are null while there is nothing to divide by.
 */
export async function vendorPerformance(scope: Scope, vendorId: string) {
  const vendor = isUuid(vendorId)
    ? await scope.prisma.vendor.findFirst({ where: { id: vendorId, storeId: scope.storeId }, select: { id: true } })
    : null;
  if (!vendor) throw new NotFoundError("Vendor", vendorId);
  const [row] = await scope.prisma.$queryRaw<
    {
      subOrders: number;
      delivered: number;
      cancelled: number;
      shipped: number;
      onTime: number;
      disputes: number;
      rating: number | null;
      reviews: number;
    }[]
  >`
    SELECT
      (SELECT COUNT(*)::int FROM sub_order s WHERE s."vendorId" = ${vendorId}::uuid) AS "subOrders",
      (SELECT COUNT(*)::int FROM sub_order s WHERE s."vendorId" = ${vendorId}::uuid AND s.status = 'delivered') AS delivered,
      (SELECT COUNT(*)::int FROM sub_order s WHERE s."vendorId" = ${vendorId}::uuid AND s.status = 'cancelled') AS cancelled,
      (SELECT COUNT(*)::int FROM sub_order s WHERE s."vendorId" = ${vendorId}::uuid AND s."shippedAt" IS NOT NULL) AS shipped,
      (SELECT COUNT(*)::int FROM sub_order s WHERE s."vendorId" = ${vendorId}::uuid AND s."shippedAt" IS NOT NULL
         AND s."shippedAt" <= s."createdAt" + make_interval(hours => ${ON_TIME_SHIPPING_HOURS}::int)) AS "onTime",
      (SELECT COUNT(*)::int FROM dispute d WHERE d."vendorId" = ${vendorId}::uuid) AS disputes,
      (SELECT AVG(r.rating)::float8 FROM vendor_review r WHERE r."vendorId" = ${vendorId}::uuid AND NOT r.hidden) AS rating,
      (SELECT COUNT(*)::int FROM vendor_review r WHERE r."vendorId" = ${vendorId}::uuid AND NOT r.hidden) AS reviews`;
  const r = row!;
  const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
  return {
    vendorId,
    rating: r.rating === null ? null : Math.round(Number(r.rating) * 100) / 100,
    reviewCount: r.reviews,
    subOrders: r.subOrders,
    delivered: r.delivered,
    cancelled: r.cancelled,
    fulfilmentRate: rate(r.delivered, r.delivered + r.cancelled),
    onTimeShippingRate: rate(r.onTime, r.shipped),
    cancellationRate: rate(r.cancelled, r.subOrders),
    disputes: r.disputes,
    disputeRate: rate(r.disputes, r.subOrders),
  };
}

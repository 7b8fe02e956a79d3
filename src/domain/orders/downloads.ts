import type { Prisma } from "../../infra/db.js";
import { signedContentUrl } from "../media/media.js";
import type { OrderStatus } from "./lifecycle.js";

/** Digital items are delivered once the order is paid, and no longer once it is refunded or cancelled. */
const DOWNLOADABLE: readonly string[] = ["confirmed", "processing", "partially_fulfilled", "fulfilled"] satisfies OrderStatus[];

export interface DownloadLink {
  lineId: string;
  entityId: string;
  title: string;
  mediaAssetId: string;
  fileName: string | null;
  contentType: string;
  byteSize: number;
  /** A signed, expiring link to the bytes (no credentials needed while it is valid). */
  url: string;
  expiresAt: Date;
}

/**
 * The download links of an order: one per file attached in the `download` role to an entity the order
 * bought. Empty while the order is unpaid, refunded or cancelled. Callers check who may see the order.
 */
export async function orderDownloads(
  prisma: Prisma,
  signingKey: Uint8Array,
  order: { id: string; status: string },
  ttlSeconds: number,
  now = new Date(),
): Promise<DownloadLink[]> {
  if (!DOWNLOADABLE.includes(order.status)) return [];
  const lines = await prisma.orderLine.findMany({ where: { orderId: order.id }, orderBy: { id: "asc" } });
  const files = await prisma.entityMedia.findMany({
    where: { entityId: { in: [...new Set(lines.map((l) => l.entityId))] }, role: "download" },
    include: { mediaAsset: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  return lines.flatMap((line) =>
    files
      .filter((file) => file.entityId === line.entityId)
      .map((file) => {
        const { url, expiresAt } = signedContentUrl(signingKey, file.mediaAssetId, ttlSeconds, now);
        const asset = file.mediaAsset;
        return {
          lineId: line.id,
          entityId: line.entityId,
          title: line.title,
          mediaAssetId: asset.id,
          fileName: asset.fileName,
          contentType: asset.contentType,
          byteSize: asset.byteSize,
          url,
          expiresAt,
        };
      }),
  );
}

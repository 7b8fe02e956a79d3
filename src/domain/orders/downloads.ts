import type { Db } from "../../infra/db.js";
import { signedContentUrl } from "../media/media.js";
import type { OrderStatus } from "./lifecycle.js";

/** Digital items are delivered once the order is paid, and no longer once it is refunded or cancelled. */
const DOWNLOADABLE: readonly string[] = [
  "confirmed",
  "processing",
  "partially_fulfilled",
  "fulfilled",
] satisfies OrderStatus[];

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
 * The download links of orders (in two statements for any number of orders): per order, one per file
 * attached in the `download` role to an entity it bought. Empty while an order is unpaid, refunded or
 * cancelled. Callers check who may see the orders.
 */
export async function ordersDownloads(
  prisma: Db,
  signingKey: Uint8Array,
  orders: readonly { id: string; status: string }[],
  ttlSeconds: number,
  now = new Date(),
): Promise<Map<string, DownloadLink[]>> {
  const links = new Map<string, DownloadLink[]>(orders.map((o) => [o.id, []]));
  const paid = orders.filter((o) => DOWNLOADABLE.includes(o.status)).map((o) => o.id);
  if (!paid.length) return links;
  const lines = await prisma.orderLine.findMany({ where: { orderId: { in: paid } }, orderBy: { id: "asc" } });
  const files = await prisma.entityMedia.findMany({
    where: { entityId: { in: [...new Set(lines.map((l) => l.entityId))] }, role: "download" },
    include: { mediaAsset: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  for (const line of lines) {
    for (const file of files.filter((f) => f.entityId === line.entityId)) {
      const { url, expiresAt } = signedContentUrl(signingKey, file.mediaAssetId, ttlSeconds, now);
      const asset = file.mediaAsset;
      links.get(line.orderId)!.push({
        lineId: line.id,
        entityId: line.entityId,
        title: line.title,
        mediaAssetId: asset.id,
        fileName: asset.fileName,
        contentType: asset.contentType,
        byteSize: asset.byteSize,
        url,
        expiresAt,
      });
    }
  }
  return links;
}

import type { Prisma } from "../../generated/prisma/client.js";

/**
 * The next order number of a store for the year: ORD-YYYY-NNNNNN. One atomic upsert on the counter row;
 * call it as late as possible in the checkout transaction, since the row stays locked until commit.
 */
export async function nextOrderNumber(tx: Prisma.TransactionClient, storeId: string, now: Date): Promise<string> {
  const year = now.getUTCFullYear();
  const [row] = await tx.$queryRaw<{ value: number }[]>`
    INSERT INTO "order_sequence" ("storeId", "year", "value") VALUES (${storeId}::uuid, ${year}, 1)
    ON CONFLICT ("storeId", "year") DO UPDATE SET "value" = "order_sequence"."value" + 1
    RETURNING "value"`;
  return `ORD-${year}-${String(row!.value).padStart(6, "0")}`;
}

export const ORDER_NUMBER_PATTERN = /^ORD-\d{4}-\d{6,}$/;

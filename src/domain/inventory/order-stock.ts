import { Prisma } from "../../generated/prisma/client.js";
import { type Tx, variantKeyOf } from "./levels.js";

/**
 * Stock of orders after checkout, unit by unit: a partial shipment consumes only what shipped, an
 * exchange's replacement is held and shipped under its own reference. Same locking rules as
 * reservations.ts: levels first, in id order, then the reservations.
 */

/** The active reservations of one order line's entity/variant (checkout reserved them with the order id). */
export function orderLineReservations(
  orderId: string,
  item: { entityId: string; variantId: string | null },
): Prisma.Sql {
  return Prisma.sql`r."orderId" = ${orderId}::uuid AND r."levelId" IN (
    SELECT id FROM inventory_level WHERE "entityId" = ${item.entityId}::uuid AND "variantKey" = ${variantKeyOf(item.variantId)})`;
}

/** The reservations that hold an exchange's replacements (reference `exchange:<id>`, no order or cart). */
export function exchangeReservations(storeId: string, exchangeId: string): Prisma.Sql {
  return Prisma.sql`r."storeId" = ${storeId}::uuid AND r.reference = ${exchangeReference(exchangeId)} AND r."orderId" IS NULL AND r."cartId" IS NULL`;
}

export function exchangeReference(exchangeId: string): string {
  return `exchange:${exchangeId}`;
}

/**
 * Ships `quantity` units (all of them when null) of the active reservations matching `match`: on hand
 * and reserved go down, with a `sale` ledger row per reservation touched. A reservation shipped in part
 * is split: the shipped units become a consumed reservation, the rest stays active. Returns the units
 * consumed (0 for items that are not stock-tracked).
 */
export function consumeReserved(
  tx: Tx,
  match: Prisma.Sql,
  quantity: number | null,
  ledgerReference: string,
): Promise<number> {
  return takeReserved(tx, match, quantity, "consumed", ledgerReference);
}

/** Gives `quantity` units (all when null) of the matching active reservations back to available. */
export function releaseReserved(tx: Tx, match: Prisma.Sql, quantity: number | null = null): Promise<number> {
  return takeReserved(tx, match, quantity, "released", null);
}

async function takeReserved(
  tx: Tx,
  match: Prisma.Sql,
  quantity: number | null,
  outcome: "consumed" | "released",
  ledgerReference: string | null,
): Promise<number> {
  await tx.$executeRaw`
    SELECT id FROM inventory_level
    WHERE id IN (SELECT r."levelId" FROM inventory_reservation r WHERE r.status = 'active' AND ${match})
    ORDER BY id FOR UPDATE`;
  const reservations = await tx.$queryRaw<{ id: string; levelId: string; quantity: number }[]>`
    SELECT r.id, r."levelId", r.quantity FROM inventory_reservation r
    WHERE r.status = 'active' AND ${match} ORDER BY r."createdAt", r.id FOR UPDATE`;
  let left = quantity ?? Number.MAX_SAFE_INTEGER;
  let taken = 0;
  for (const reservation of reservations) {
    if (left === 0) break;
    const take = Math.min(left, reservation.quantity);
    let settledId = reservation.id;
    if (take === reservation.quantity) {
      await tx.$executeRaw`UPDATE inventory_reservation SET status = ${outcome}, "updatedAt" = now() WHERE id = ${reservation.id}::uuid`;
    } else {
      const [split] = await tx.$queryRaw<{ id: string }[]>`
        WITH rest AS (
          UPDATE inventory_reservation SET quantity = quantity - ${take}::int, "updatedAt" = now()
          WHERE id = ${reservation.id}::uuid RETURNING *
        )
        INSERT INTO inventory_reservation (id, "storeId", "levelId", quantity, status, "orderId", "cartId", reference, "createdAt", "updatedAt")
        SELECT gen_random_uuid(), "storeId", "levelId", ${take}::int, ${outcome}, "orderId", "cartId", reference, now(), now() FROM rest
        RETURNING id`;
      settledId = split!.id;
    }
    if (outcome === "consumed") {
      await tx.$executeRaw`
        UPDATE inventory_level SET reserved = reserved - ${take}::int, "onHand" = "onHand" - ${take}::int, "updatedAt" = now()
        WHERE id = ${reservation.levelId}::uuid`;
      await tx.$executeRaw`
        INSERT INTO inventory_adjustment (id, "levelId", type, delta, reason, reference, "createdAt")
        VALUES (gen_random_uuid(), ${reservation.levelId}::uuid, 'sale', ${-take}::int, ${`Reservation ${settledId} consumed`}, ${ledgerReference}, now())`;
    } else {
      await tx.$executeRaw`
        UPDATE inventory_level SET reserved = reserved - ${take}::int, "updatedAt" = now() WHERE id = ${reservation.levelId}::uuid`;
    }
    left -= take;
    taken += take;
  }
  return taken;
}

/** The warehouse an order line's units were shipped from (its first consumed reservation), if tracked. */
export async function shippedFromWarehouse(
  tx: Tx,
  orderId: string,
  item: { entityId: string; variantId: string | null },
): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ warehouseId: string }[]>`
    SELECT l."warehouseId" FROM inventory_reservation r JOIN inventory_level l ON l.id = r."levelId"
    WHERE r.status = 'consumed' AND ${orderLineReservations(orderId, item)}
    ORDER BY r."createdAt", r.id LIMIT 1`;
  return row?.warehouseId ?? null;
}

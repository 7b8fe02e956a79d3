import { z } from "zod";
import { type InventoryLevel, type InventoryReservation, Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { audited, changedBy, recordChange } from "../audit/record.js";
import { InsufficientStockError, InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import { enqueueJob } from "../jobs/queue.js";
import { assertNotVendor } from "../marketplace/vendor-scope.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import { MAX_STOCK, requireStockOwner, requireWarehouse, type Tx, variantKeyOf } from "./levels.js";
import { watchLowStock } from "./low-stock.js";

/**
 * A reservation holds stock of one level (entity/variant in one warehouse) for a cart or an order:
 * `active` counts in the level's `reserved`; `released` gave it back; `consumed` shipped it (onHand
 * and reserved both went down). Only `active` reservations move, and only once.
 */
export const RESERVATION_STATUSES = ["active", "released", "consumed"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** The longest hold a reservation may ask for (each reservation enqueues its own release, due at its expiry). */
export const MAX_RESERVATION_SECONDS = 30 * 24 * 3600;

/** A reservation with the level it holds stock of (entityId, variantId, warehouseId). */
export type ReservationRow = InventoryReservation & { level: InventoryLevel };

export interface ReserveStockRequest {
  entityId: string;
  variantId?: string | null;
  quantity: number;
  /** Reserve from this warehouse only; otherwise from the active warehouse with the most available. */
  warehouseId?: string | null;
  orderId?: string | null;
  cartId?: string | null;
  reference?: string | null;
  expiresAt?: Date | null;
}

/**
 * Reserves `quantity` from ONE warehouse inside the caller's transaction, or throws
 * InsufficientStockError. The choice of warehouse and the increment are one conditional UPDATE
 * (`onHand - reserved >= quantity`): never a read followed by a write, so concurrent reservations can
 * never oversell.
 *
 * A caller reserving several lines in one transaction should reserve them in a stable order (e.g. by
 * entityId, variantId) so two checkouts never wait on each other's rows in opposite orders.
 */
export async function reserveStock(tx: Tx, storeId: string, request: ReserveStockRequest): Promise<ReservationRow> {
  const { entityId, quantity } = request;
  const variantId = request.variantId ?? null;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_STOCK) {
    throw ValidationError.field("quantity", "out_of_range", `quantity must be an integer between 1 and ${MAX_STOCK}.`);
  }
  const eligible = Prisma.sql`c."entityId" = ${entityId}::uuid AND c."variantKey" = ${variantKeyOf(variantId)}
    AND w."storeId" = ${storeId}::uuid AND w.active
    ${request.warehouseId ? Prisma.sql`AND c."warehouseId" = ${request.warehouseId}::uuid` : Prisma.empty}`;
  // Lock every candidate level in one global order (id) first. Reservations of the same stock then
  // queue here; locking candidates in "most available" order instead deadlocks, since each
  // transaction's snapshot may rank them differently.
  await tx.$executeRaw`
    SELECT c.id FROM inventory_level c JOIN warehouse w ON w.id = c."warehouseId"
    WHERE ${eligible} ORDER BY c.id FOR UPDATE OF c`;
  const [level] = await tx.$queryRaw<InventoryLevel[]>`
    UPDATE inventory_level AS l SET reserved = l.reserved + ${quantity}::int, "updatedAt" = now()
    WHERE l.id = (
      SELECT c.id FROM inventory_level c JOIN warehouse w ON w.id = c."warehouseId"
      WHERE ${eligible} AND c."onHand" - c.reserved >= ${quantity}::int
      ORDER BY c."onHand" - c.reserved DESC, w."createdAt", w.id
      LIMIT 1
    )
    AND l."onHand" - l.reserved >= ${quantity}::int
    RETURNING l.*`;
  if (!level) {
    // Only for the error: the best single warehouse, since a reservation is served from one.
    const [best] = await tx.$queryRaw<{ available: number | null }[]>`
      SELECT max(c."onHand" - c.reserved)::int AS available
      FROM inventory_level c JOIN warehouse w ON w.id = c."warehouseId" WHERE ${eligible}`;
    throw new InsufficientStockError(entityId, variantId, quantity, best?.available ?? 0);
  }
  const reservation = await tx.inventoryReservation.create({
    data: {
      storeId,
      levelId: level.id,
      quantity,
      orderId: request.orderId ?? null,
      cartId: request.cartId ?? null,
      reference: request.reference ?? null,
      expiresAt: request.expiresAt ?? null,
    },
  });
  // An expiring hold is released by a job due at its expiry, created with it (same transaction).
  if (request.expiresAt) {
    await enqueueJob(tx, {
      name: "inventory.releaseExpiredReservation",
      storeId,
      payload: { reservationId: reservation.id },
      runAt: request.expiresAt,
    });
  }
  return { ...reservation, level };
}

/**
 * Releases every active reservation of an order (order cancelled, payment failed): each reserved
 * quantity goes back to available. Inside the caller's transaction; returns how many it released.
 */
export async function releaseReservations(tx: Tx, { orderId }: { orderId: string }): Promise<number> {
  return (await finishReservations(tx, Prisma.sql`"orderId" = ${orderId}::uuid`, "released")).length;
}

/**
 * Consumes every active reservation of an order when it is paid/fulfilled: the stock leaves the
 * warehouse, so both `reserved` and `onHand` drop by the reserved quantity (available is unchanged),
 * and each reservation writes a `sale` InventoryAdjustment (reference `order:<id>`). Inside the
 * caller's transaction; returns how many it consumed.
 */
export async function consumeReservations(tx: Tx, { orderId }: { orderId: string }): Promise<number> {
  return (await finishReservations(tx, Prisma.sql`"orderId" = ${orderId}::uuid`, "consumed", `order:${orderId}`))
    .length;
}

/**
 * Moves the active reservations matching `where` to `outcome` and settles their levels in ONE
 * statement. The status change is conditional (`status = 'active'`), so a reservation is settled
 * exactly once even when two requests race: the loser's UPDATE matches no row and changes nothing.
 */
async function finishReservations(tx: Tx, where: Prisma.Sql, outcome: "released" | "consumed", reference?: string) {
  const consume = outcome === "consumed";
  // Levels are locked in id order first, as reserveStock does, so settling two orders that share
  // levels cannot deadlock.
  await tx.$executeRaw`
    SELECT id FROM inventory_level
    WHERE id IN (SELECT "levelId" FROM inventory_reservation WHERE status = 'active' AND ${where})
    ORDER BY id FOR UPDATE`;
  return tx.$queryRaw<{ id: string }[]>`
    WITH finished AS (
      UPDATE inventory_reservation SET status = ${outcome}, "updatedAt" = now()
      WHERE status = 'active' AND ${where}
      RETURNING id, "levelId", quantity
    ), per_level AS (
      SELECT "levelId", sum(quantity)::int AS quantity FROM finished GROUP BY "levelId"
    ), levels AS (
      UPDATE inventory_level AS l
      SET reserved = l.reserved - p.quantity,
          ${consume ? Prisma.sql`"onHand" = l."onHand" - p.quantity,` : Prisma.empty}
          "updatedAt" = now()
      FROM per_level p WHERE l.id = p."levelId"
      RETURNING l.id
    )${
      consume
        ? Prisma.sql`, ledger AS (
      INSERT INTO inventory_adjustment (id, "levelId", type, delta, reason, reference, "createdAt")
      SELECT gen_random_uuid(), "levelId", 'sale', -quantity, 'Reservation ' || id || ' consumed', ${reference ?? null}, now()
      FROM finished
      RETURNING id
    )`
        : Prisma.empty
    }
    SELECT id FROM finished`;
}

/**
 * The job behind an expiring reservation: releases it if it is still active and its time is up
 * (a reservation released, consumed or extended meanwhile is left alone).
 */
export async function releaseExpiredReservation(prisma: Db, reservationId: string, now = new Date()): Promise<void> {
  if (!isUuid(reservationId)) return;
  await prisma.$transaction((tx) =>
    finishReservations(tx, Prisma.sql`id = ${reservationId}::uuid AND "expiresAt" <= ${now}`, "released"),
  );
}

// ---- services (REST and GraphQL) --------------------------------------------------------------

export const ReserveInventoryInput = z.object({
  entityId: uuid,
  variantId: uuid.nullish(),
  warehouseId: uuid.nullish(),
  quantity: z.number().int().min(1).max(MAX_STOCK),
  reference: z.string().trim().min(1).max(200).nullish(),
  orderId: uuid.nullish(),
  cartId: uuid.nullish(),
  expiresInSeconds: z.number().int().min(1).max(MAX_RESERVATION_SECONDS).nullish(),
});

export const ReleaseReservationInput = z.object({ reservationId: z.string() });

export async function reserveInventory(scope: Scope, input: unknown): Promise<ReservationRow> {
  // Reservations tie stock to carts and orders: the merchant's (checkout's) business, not a vendor's.
  assertNotVendor(scope.actor, "reservations");
  const data = parseInput(ReserveInventoryInput, input);
  const variantId = data.variantId ?? null;
  await requireStockOwner(scope, { entityId: data.entityId, variantId });
  if (data.warehouseId) await requireWarehouse(scope.prisma, scope.storeId, data.warehouseId);
  const expiresAt = data.expiresInSeconds ? new Date(Date.now() + data.expiresInSeconds * 1000) : null;
  return audited(
    scope,
    async (tx) => {
      const announceLowStock = await watchLowStock(tx, scope.storeId, [{ entityId: data.entityId, variantId }]);
      const reservation = await reserveStock(tx, scope.storeId, {
        entityId: data.entityId,
        variantId,
        quantity: data.quantity,
        warehouseId: data.warehouseId ?? null,
        orderId: data.orderId ?? null,
        cartId: data.cartId ?? null,
        reference: data.reference ?? null,
        expiresAt,
      });
      await announceLowStock();
      return reservation;
    },
    (reservation) => ({
      event: "inventory.reserve",
      entityType: "inventory_reservation",
      entityId: reservation.id,
      after: reservation,
    }),
  );
}

/**
 * active -> released, once. Releasing a reservation that is no longer active is 409 (with its
 * currentStatus) and changes nothing: a retried release cannot give the stock back twice.
 */
export async function releaseReservation(scope: Scope, input: unknown): Promise<ReservationRow> {
  assertNotVendor(scope.actor, "reservations");
  const { reservationId } = parseInput(ReleaseReservationInput, input);
  if (!isUuid(reservationId)) throw new NotFoundError("Reservation", reservationId);
  return scope.prisma.$transaction(async (tx) => {
    const released = await finishReservations(
      tx,
      Prisma.sql`id = ${reservationId}::uuid AND "storeId" = ${scope.storeId}::uuid`,
      "released",
    );
    const reservation = await tx.inventoryReservation.findFirst({
      where: { id: reservationId, storeId: scope.storeId },
      include: { level: true },
    });
    if (!reservation) throw new NotFoundError("Reservation", reservationId);
    if (released.length === 0) throw new InvalidTransitionError("reservation", reservation.status, "released");
    const { level: _level, ...row } = reservation;
    await recordChange(tx, {
      ...changedBy(scope),
      event: "inventory.release",
      entityType: "inventory_reservation",
      entityId: reservation.id,
      before: { status: "active" },
      after: row,
    });
    return reservation;
  });
}

import { releaseExpiredReservation } from "../inventory/reservations.js";
import type { JobHandler } from "./queue.js";

/** Every job the platform knows how to run, by name. */
export const JOB_HANDLERS: ReadonlyMap<string, JobHandler> = new Map<string, JobHandler>([
  ["inventory.releaseExpiredReservation", (payload, { prisma }) => releaseExpiredReservation(prisma, String(payload.reservationId))],
]);

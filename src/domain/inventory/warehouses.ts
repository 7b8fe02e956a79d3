import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { audited } from "../audit/record.js";
import { assertNotVendor } from "../marketplace/vendor-scope.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { metadata, parseInput } from "../validation.js";

export const WAREHOUSE_CODE = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "may contain letters, digits, '_' and '-'");

export const CreateWarehouseInput = z.object({
  code: WAREHOUSE_CODE,
  name: z.string().trim().min(1).max(200),
  /** Free-form postal address (line1, city, postalCode, country, ...). */
  address: metadata.nullish(),
});

/** Creates a warehouse; its code is unique per store (409 CONFLICT otherwise). */
export async function createWarehouse(scope: Scope, input: unknown) {
  assertNotVendor(scope.actor, "warehouses");
  const data = parseInput(CreateWarehouseInput, input);
  return withPrismaErrors("warehouse", () =>
    audited(
      scope,
      (tx) =>
        tx.warehouse.create({
          data: {
            storeId: scope.storeId,
            code: data.code,
            name: data.name,
            address: (data.address ?? {}) as Prisma.InputJsonValue,
          },
        }),
      (warehouse) => ({
        event: "warehouses.create",
        entityType: "warehouse",
        entityId: warehouse.id,
        after: warehouse,
      }),
    ),
  );
}

/** The `where` of the store's warehouse list. */
export function warehouseWhere(storeId: string): Prisma.WarehouseWhereInput {
  return { storeId };
}

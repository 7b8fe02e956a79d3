import { nextOrderNumber } from "../../src/domain/orders/numbers.js";
import type { TestApp } from "./app.js";

/** Inserts an order directly (for tests of order routes that do not go through checkout). */
export async function insertOrder(t: TestApp, overrides: { status?: string; storeId?: string; email?: string; customerId?: string } = {}) {
  const storeId = overrides.storeId ?? t.app.defaultStoreId;
  return t.app.db.prisma.$transaction(async (tx) => {
    const entity = await tx.catalogEntity.create({
      data: { storeId, type: "product", slug: `ordered-${Math.random().toString(36).slice(2)}`, status: "active" },
    });
    return tx.order.create({
      data: {
        storeId,
        number: await nextOrderNumber(tx, storeId, new Date()),
        status: overrides.status ?? "pending",
        customerId: overrides.customerId ?? null,
        email: overrides.email ?? "buyer@example.com",
        currency: "USD",
        subtotal: 4200,
        taxTotal: 376,
        shippingTotal: 500,
        grandTotal: 5076,
        lines: {
          create: [{ entityId: entity.id, title: "Linen Tote", quantity: 1, unitPrice: 4200, subtotal: 4200, total: 4200 }],
        },
      },
    });
  });
}

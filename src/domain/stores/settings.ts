import type { Db } from "../../infra/db.js";
import type { StoreCharges } from "../checkout/totals.js";
import { NotFoundError } from "../errors.js";

/** The store's tax and shipping settings that totals are computed with. */
export async function loadStoreCharges(
  db: Pick<Db, "store">,
  storeId: string,
): Promise<StoreCharges & { defaultCurrency: string }> {
  const store = await db.store.findUnique({
    where: { id: storeId },
    select: {
      defaultCurrency: true,
      taxRateBps: true,
      shippingEnabled: true,
      flatShippingAmount: true,
      freeShippingThreshold: true,
    },
  });
  if (!store) throw new NotFoundError("Store", storeId);
  return store;
}

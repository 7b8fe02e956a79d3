import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { changedBy, recordChange } from "../audit/record.js";
import { NotFoundError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { parseInput } from "../validation.js";
import { amount, currencyCode, currencySymbol } from "./currency.js";

/**
 * Payment providers a store may choose. Only those the server can take payments with: the
 * manual flow (cash on delivery, invoices) and Stripe (STRIPE_SECRET_KEY). Add one when checkout
 * learns it.
 */
export const PAYMENT_PROVIDERS = ["manual", "stripe"] as const;

/** Seed 003's store config: what a storefront needs before its checkout UI. Amounts in minor units. */
export interface StoreSettings {
  defaultCurrency: string;
  currencySymbol: string;
  /** Basis points: 1000 = 10%. */
  taxRateBps: number;
  /** taxRateBps / 100, for display. */
  taxPercentage: number;
  shippingEnabled: boolean;
  flatShippingAmount: number;
  freeShippingThreshold: number | null;
  paymentProvider: string;
}

export const SETTINGS_COLUMNS = {
  defaultCurrency: true,
  // Only for the currency symbol's locale.
  defaultLocale: true,
  taxRateBps: true,
  shippingEnabled: true,
  flatShippingAmount: true,
  freeShippingThreshold: true,
  paymentProvider: true,
} as const;

type SettingsRow = Prisma.StoreGetPayload<{ select: typeof SETTINGS_COLUMNS }>;

export function toSettings({ defaultLocale, ...row }: SettingsRow): StoreSettings {
  return {
    ...row,
    currencySymbol: currencySymbol(row.defaultCurrency, defaultLocale),
    taxPercentage: row.taxRateBps / 100,
  };
}

export async function getStoreSettings(db: Pick<Db, "store">, storeId: string): Promise<StoreSettings> {
  const row = await db.store.findUnique({ where: { id: storeId }, select: SETTINGS_COLUMNS });
  if (!row) throw new NotFoundError("Store", storeId);
  return toSettings(row);
}

/** The settings a merchant may change (every field optional); store creation and updates take them too. */
export const StoreSettingsFields = z.object({
  defaultCurrency: currencyCode.optional(),
  taxRateBps: z.int().min(0).max(10_000).optional(),
  shippingEnabled: z.boolean().optional(),
  flatShippingAmount: amount.optional(),
  /** null: shipping is never free. */
  freeShippingThreshold: amount.nullish(),
  paymentProvider: z.enum(PAYMENT_PROVIDERS).optional(),
});

/** Changes the given settings of the caller's store; what is not given stays. */
export async function updateStoreSettings(scope: Scope, input: unknown): Promise<StoreSettings> {
  const data = parseInput(StoreSettingsFields, input);
  const row = await withPrismaErrors("Store", () =>
    scope.prisma.$transaction(async (tx) => {
      const before = await tx.store.findUniqueOrThrow({ where: { id: scope.storeId }, select: SETTINGS_COLUMNS });
      const after = await tx.store.update({ where: { id: scope.storeId }, data, select: SETTINGS_COLUMNS });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "settings.update",
        entityType: "store",
        entityId: scope.storeId,
        before,
        after,
      });
      return after;
    }),
  );
  return toSettings(row);
}

import {
  getStoreSettings,
  PAYMENT_PROVIDERS,
  type StoreSettings,
  updateStoreSettings,
} from "../../domain/stores/settings-service.js";
import { builder, type SchemaTypes } from "../builder.js";
import { mutationResult } from "./errors.js";

export const StoreSettingsRef = builder.objectRef<StoreSettings>("StoreSettings").implement({
  description:
    "The store's currency, tax, shipping and payment settings (seed 003's store config). Amounts in minor units.",
  fields: (t) => ({
    defaultCurrency: t.exposeString("defaultCurrency"),
    currencySymbol: t.exposeString("currencySymbol", {
      description: "As Intl formats the currency in the store's locale, e.g. $ or €.",
    }),
    taxRateBps: t.exposeInt("taxRateBps", {
      description: "Tax on the discounted subtotal in basis points (1000 = 10%).",
    }),
    taxPercentage: t.exposeFloat("taxPercentage", { description: "taxRateBps / 100." }),
    shippingEnabled: t.exposeBoolean("shippingEnabled"),
    flatShippingAmount: t.exposeInt("flatShippingAmount", {
      description: "Per order, minor units of the default currency.",
    }),
    freeShippingThreshold: t.exposeInt("freeShippingThreshold", {
      nullable: true,
      description: "Discounted subtotal (minor units) from which shipping is free; null = never.",
    }),
    paymentProvider: t.exposeString("paymentProvider", {
      description: `The store's choice: ${PAYMENT_PROVIDERS.join(", ")}.`,
    }),
    activePaymentProvider: t.string({
      description:
        "The provider checkout uses now: paymentProvider, or manual when that one is not configured on this server.",
      resolve: (settings, _args, ctx) => ctx.paymentProviders.select(settings.paymentProvider).name,
    }),
  }),
});

/** The settings fields of an input (store creation, store and settings updates). */
export function settingsInputFields(t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, "InputObject">) {
  return {
    defaultCurrency: t.string({ description: "Three upper-case letters, e.g. USD." }),
    taxRateBps: t.int({ description: "0 to 10000." }),
    shippingEnabled: t.boolean(),
    flatShippingAmount: t.int({ description: "Minor units, >= 0." }),
    freeShippingThreshold: t.int({ description: "Minor units, >= 0; null: shipping is never free." }),
    paymentProvider: t.string({ description: `One of ${PAYMENT_PROVIDERS.join(", ")}.` }),
  };
}

const UpdateStoreSettingsInput = builder.inputType("UpdateStoreSettingsInput", {
  description: "Only the given fields change.",
  fields: (t) => settingsInputFields(t),
});

builder.queryField("storeSettings", (t) =>
  t.field({
    type: StoreSettingsRef,
    description: "Public: storefronts read it before building their checkout.",
    resolve: (_root, _args, ctx) => getStoreSettings(ctx.prisma, ctx.storeId),
  }),
);

builder.mutationField("updateStoreSettings", (t) =>
  t.field({
    type: StoreSettingsRef,
    authScopes: { permission: "settings:update" },
    args: { input: t.arg({ type: UpdateStoreSettingsInput, required: true }) },
    errors: mutationResult("UpdateStoreSettings", "settings"),
    resolve: (_root, { input }, ctx) => updateStoreSettings(ctx.scope, input),
  }),
);

import { PAYMENT_PROVIDERS } from "../../../domain/stores/settings-service.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Store";

const SETTINGS_SELECTION =
  "defaultCurrency currencySymbol taxRateBps taxPercentage shippingEnabled flatShippingAmount freeShippingThreshold paymentProvider";

/** Not in seed 002: seed 003's store config, which checkout's tax and shipping come from. */
export const storeSettingsRoutes = [
  route({
    method: "GET",
    path: "/store/settings",
    summary: "Get the store's settings",
    tag,
    description:
      "Public: storefronts read it before building their checkout. Amounts are integers in minor units of " +
      "defaultCurrency (seed 003 shows main units); taxPercentage is taxRateBps / 100.",
    operation: `query { storeSettings { ${SETTINGS_SELECTION} } }`,
    result: ["storeSettings"],
  }),
  route({
    method: "PATCH",
    path: "/store/settings",
    summary: "Update the store's settings",
    tag,
    permission: "settings:update",
    description:
      "Only the given fields change. defaultCurrency is three upper-case letters, taxRateBps 0-10000, amounts are " +
      `integers >= 0 (freeShippingThreshold null: never free), paymentProvider one of ${PAYMENT_PROVIDERS.join(", ")}.`,
    operation: mutationOperation({
      field: "updateStoreSettings",
      inputType: "UpdateStoreSettingsInput",
      dataField: "settings",
      selection: SETTINGS_SELECTION,
    }),
    body: {
      variable: "input",
      example: {
        defaultCurrency: "USD",
        taxRateBps: 1000,
        shippingEnabled: true,
        flatShippingAmount: 500,
        freeShippingThreshold: 10000,
        paymentProvider: "stripe",
      },
    },
    result: ["updateStoreSettings", "settings"],
  }),
];

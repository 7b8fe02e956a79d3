import { z } from "zod";

/** A currency as amounts are kept in: three upper-case letters (USD, EUR); amounts are its minor units. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter upper-case currency code such as USD");

/** The largest amount GraphQL's Int can carry: every money field is an Int of minor units. */
export const MAX_AMOUNT = 2_147_483_647;

/** A non-negative amount in minor units. */
export const amount = z.int().min(0).max(MAX_AMOUNT);

/**
 * The symbol shoppers know a currency by ("$", "€", "CA$" in English), as Intl formats it for the
 * locale; the code itself when Intl has no symbol or the locale is unusable.
 */
export function currencySymbol(currency: string, locale = "en"): string {
  for (const candidate of [locale, "en"]) {
    try {
      const parts = new Intl.NumberFormat(candidate, { style: "currency", currency }).formatToParts(0);
      return parts.find((part) => part.type === "currency")?.value ?? currency;
    } catch {
      // RangeError for a malformed locale: try English.
    }
  }
  return currency;
}

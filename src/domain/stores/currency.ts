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

const exponents = new Map<string, number>();

/**
 * Minor units -> major units by the currency's exponent (ISO 4217, as Intl knows it): 2999 USD ->
 * 29.99, 500 JPY -> 500 (no minor unit), 1234 KWD -> 1.234 (three decimals). Only dialects that
 * document major units (seed 003) call this, at their edge; everything else stays in minor units.
 */
export function toMajorUnits(amount: number, currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    try {
      exponent =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2; // not a currency code Intl accepts: the common case
    }
    exponents.set(currency, exponent);
  }
  // Rounded to the exponent so binary floating point never shows as 29.990000000000002.
  return Number((amount / 10 ** exponent).toFixed(exponent));
}

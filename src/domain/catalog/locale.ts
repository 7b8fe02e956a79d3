import countryToCurrency from "country-to-currency";

/**
 * Which localized text a shopper gets. The documented fallback: each requested tag in the client's order
 * of preference (`de-CH`), then its base language (`de`, or any `de-*` text), then the store's default
 * locale (and its base language), then any text the entity has (the first locale in alphabetical order).
 * Tags compare case-insensitively (`pt-br` finds `pt-BR`).
 */
export function pickLocalized<T extends { locale: string }>(
  attributes: readonly T[],
  preferred: readonly string[],
  storeDefault: string,
): T | null {
  if (attributes.length === 0) return null;
  const lower = (tag: string) => tag.toLowerCase();
  const base = (tag: string) => lower(tag).split("-")[0]!;
  for (const tag of [...preferred, storeDefault]) {
    const exact = attributes.find((a) => lower(a.locale) === lower(tag));
    if (exact) return exact;
    const language = base(tag);
    const sameLanguage =
      attributes.find((a) => lower(a.locale) === language) ??
      [...attributes].sort((a, b) => a.locale.localeCompare(b.locale)).find((a) => base(a.locale) === language);
    if (sameLanguage) return sameLanguage;
  }
  return [...attributes].sort((a, b) => a.locale.localeCompare(b.locale))[0]!;
}

/** A BCP 47 tag we accept from clients: `en`, `pt-BR`, `zh-Hant-TW` (35 characters at most). */
export function isLanguageTag(tag: string): boolean {
  return tag.length <= 35 && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag);
}

/** The region of a tag, when it names one (`de-CH` -> `CH`, `zh-Hant-TW` -> `TW`). */
export function regionOfTag(tag: string): string | null {
  const region = tag
    .split("-")
    .slice(1)
    .find((part) => /^[A-Za-z]{2}$/.test(part));
  return region ? region.toUpperCase() : null;
}

/** The currency of a country (ISO 3166-1 alpha-2 -> ISO 4217), from the `country-to-currency` table. */
export function currencyOfRegion(region: string | null | undefined): string | null {
  if (!region) return null;
  return (countryToCurrency as Record<string, string>)[region.toUpperCase()] ?? null;
}

import Negotiator from "negotiator";
import { currencyOfRegion, isLanguageTag, pickLocalized, regionOfTag } from "../../domain/catalog/locale.js";
import { ValidationError } from "../../domain/errors.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { loaderFor } from "../loaders.js";
import { CatalogAttribute } from "./catalog.js";

// Language and region (seed 004: "respect the customer's region and language headers"). A request's
// preferences come from its headers, the same for /graphql and every REST route (they share the context):
//   Accept-Language  the languages of localized text, in the client's order of preference;
//   X-Region         an ISO 3166-1 country (else the region of the first Accept-Language tag, else the
//                    signed-in customer's default shipping address) -> that country's currency;
//   X-Currency       an ISO 4217 currency, which wins over the region's.
// A GraphQL `locale` / `currency` argument wins over the headers.

export interface RequestPreferences {
  /** Language tags in order of preference (q-values), `*` and malformed tags left out; at most 10. */
  languages: string[];
  region: string | null;
  currency: string | null;
}

const preferences = new WeakMap<object, RequestPreferences>();

/** The Fetch request behind the context (Yoga merges it into every context, REST's too). */
function requestOf(ctx: GraphQLContext): Request | undefined {
  return (ctx as GraphQLContext & { request?: Request }).request;
}

export function requestPreferences(ctx: GraphQLContext): RequestPreferences {
  const cached = preferences.get(ctx);
  if (cached) return cached;
  const headers = requestOf(ctx)?.headers;
  const acceptLanguage = headers?.get("accept-language")?.slice(0, 500) ?? "";
  const languages = acceptLanguage
    ? new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages().filter(isLanguageTag).slice(0, 10)
    : [];
  const regionHeader = headers?.get("x-region")?.trim().toUpperCase() ?? "";
  const currencyHeader = headers?.get("x-currency")?.trim().toUpperCase() ?? "";
  const found: RequestPreferences = {
    languages,
    region: /^[A-Z]{2}$/.test(regionHeader) ? regionHeader : languages[0] ? regionOfTag(languages[0]) : null,
    currency: /^[A-Z]{3}$/.test(currencyHeader) ? currencyHeader : null,
  };
  preferences.set(ctx, found);
  return found;
}

interface StoreDefaults {
  defaultLocale: string;
  defaultCurrency: string;
}

/** The store's default locale and currency, read once per request. */
export function storeDefaults(ctx: GraphQLContext): Promise<StoreDefaults> {
  return loaderFor<string, StoreDefaults>(ctx, "storeDefaults", async (ids) => {
    const stores = await ctx.prisma.store.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, defaultLocale: true, defaultCurrency: true },
    });
    return ids.map((id) => stores.find((s) => s.id === id) ?? new Error(`Store ${id} not found`));
  }).load(ctx.storeId);
}

/** The signed-in customer's country: their default shipping address's (one statement, once per request). */
async function customerRegion(ctx: GraphQLContext): Promise<string | null> {
  if (ctx.actor.kind !== "customer") return null;
  return loaderFor<string, string | null>(ctx, "customerRegion", async (ids) => {
    const rows = await ctx.prisma.customerAddress.findMany({
      where: { customerId: { in: [...ids] } },
      select: { customerId: true, country: true, isDefaultShipping: true },
      orderBy: { createdAt: "asc" },
    });
    return ids.map((id) => {
      const own = rows.filter((r) => r.customerId === id);
      return (own.find((r) => r.isDefaultShipping) ?? own[0])?.country ?? null;
    });
  }).load(ctx.actor.id);
}

/**
 * The currencies to price in, best first: the one asked for (argument), else X-Currency, else the
 * currency of the request's region (X-Region, the Accept-Language region, the customer's country); the
 * store's default currency always last, so an item without a price in the preferred currency still gets
 * the store's. An explicit `currency` argument is taken as asked: no fallback.
 */
export async function preferredCurrencies(
  ctx: GraphQLContext,
  requested: string | null | undefined,
): Promise<string[]> {
  if (requested) return [requested];
  const prefs = requestPreferences(ctx);
  const { defaultCurrency } = await storeDefaults(ctx);
  const regional = prefs.currency ?? currencyOfRegion(prefs.region ?? (await customerRegion(ctx)));
  return [...new Set([regional, defaultCurrency].filter((c): c is string => !!c))];
}

/** The languages a field answers in: its `locale` argument, else the request's Accept-Language. */
export function preferredLanguages(ctx: GraphQLContext, locale: string | null | undefined): string[] {
  if (locale != null) {
    if (!isLanguageTag(locale))
      throw ValidationError.field("locale", "invalid", "must be a BCP 47 locale such as en or pt-BR");
    return [locale];
  }
  return requestPreferences(ctx).languages;
}

builder.prismaInterfaceFields("CatalogEntity", (t) => ({
  localized: t.field({
    type: CatalogAttribute,
    nullable: true,
    description:
      "The entity's text in the caller's language: the `locale` argument, else the request's Accept-Language (in order " +
      "of preference). Fallback: the requested tag, its base language (de-CH -> de or any de-*), the store's default " +
      "locale, any locale. null only when the entity has no text at all.",
    args: { locale: t.arg.string({ description: "A BCP 47 tag; default: the Accept-Language header." }) },
    // Planned into the entity's own query, so a page of entities costs no statement per entity.
    select: (_args, _ctx, nestedSelection) => ({ attributes: nestedSelection({ orderBy: { locale: "asc" } }) }),
    resolve: async (entity, args, ctx) => {
      const languages = preferredLanguages(ctx, args.locale);
      const { defaultLocale } = await storeDefaults(ctx);
      return pickLocalized(entity.attributes, languages, defaultLocale);
    },
  }),
}));

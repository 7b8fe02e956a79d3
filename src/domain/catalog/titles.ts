/**
 * The title an order line or cart item shows: the entity's title in the store's locale, else in the
 * language of that locale (`de` for `de-AT`), else any title it has, else its slug.
 */
export function titleFor(
  entity: { slug: string; attributes: { locale: string; title: string }[] },
  storeLocale: string,
): string {
  const language = storeLocale.split("-")[0];
  const { attributes } = entity;
  const match =
    attributes.find((a) => a.locale === storeLocale) ??
    attributes.find((a) => a.locale.split("-")[0] === language) ??
    attributes[0];
  return match?.title ?? entity.slug;
}

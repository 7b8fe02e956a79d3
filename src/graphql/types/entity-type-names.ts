/**
 * The GraphQL object type of a catalog entity, from its `type` (camelCase, free-form in the catalog):
 * the entity types we know have their own type (`... on Product`), any other is a GenericCatalogEntity.
 * Both implement the CatalogEntity interface, so every existing selection on CatalogEntity still works.
 */
export const ENTITY_TYPE_NAMES = {
  product: "Product",
  digitalDownload: "DigitalDownload",
  service: "Service",
  bundle: "Bundle",
} as const;

export const GENERIC_ENTITY_TYPE_NAME = "GenericCatalogEntity";

export function catalogEntityTypeName(type: string): string {
  return (ENTITY_TYPE_NAMES as Record<string, string>)[type] ?? GENERIC_ENTITY_TYPE_NAME;
}

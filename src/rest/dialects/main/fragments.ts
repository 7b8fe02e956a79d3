/** Selections shared by seed 002's routes. `$with*` variables come from the `include` parameter. */
export const fragments: Record<string, string> = {
  ErrorFields: /* GraphQL */ `
    fragment ErrorFields on Error {
      __typename code message
      ... on ValidationError { fieldErrors { path code message } }
      ... on InvalidTransitionError { currentStatus requestedStatus allowedStatuses guard }
      ... on PriceMismatchError { expectedAmount givenAmount currency }
      ... on InsufficientStockError { entityId variantId requested available }
      ... on CheckoutFailedError { reason context }
      ... on TooManyRequestsError { retryAfterSeconds }
    }`,
  EntityFields: /* GraphQL */ `
    fragment EntityFields on CatalogEntity {
      id type slug status vendorId metadata createdAt updatedAt
      localized { ...AttributeFields }
      attributes @include(if: $withAttributes) { ...AttributeFields }
      variants @include(if: $withVariants) { ...VariantFields }
      optionTypes @include(if: $withVariants) { ...OptionTypeFields }
      categories @include(if: $withCategories) { ...CategoryFields }
      brands @include(if: $withBrands) { ...BrandFields }
      media @include(if: $withMedia) { role position asset { id url alt contentType byteSize } }
      inventory @include(if: $withInventory) { warehouseId variantId onHand reserved available }
      pricing: prices @include(if: $withPricing) { id entityId variantId currency amount customerGroupId minQuantity }
    }`,
  AttributeFields: /* GraphQL */ `
    fragment AttributeFields on CatalogAttribute { locale title description seoTitle seoDescription updatedAt }`,
  VariantFields: /* GraphQL */ `
    fragment VariantFields on Variant {
      id entityId sku status position metadata createdAt updatedAt
      optionValues { id optionTypeId value label }
    }`,
  OptionTypeFields: /* GraphQL */ `
    fragment OptionTypeFields on OptionType {
      id entityId name displayName position
      values { id optionTypeId value label position }
    }`,
  CategoryFields: /* GraphQL */ `
    fragment CategoryFields on Category {
      id name slug description parentId sortOrder metadata createdAt updatedAt
    }`,
  BrandFields: /* GraphQL */ `
    fragment BrandFields on Brand { id name slug description logoUrl metadata createdAt updatedAt }`,
};

/** Variable declarations that go with EntityFields. */
export const INCLUDE_VARIABLES =
  "$withAttributes: Boolean! = false, $withVariants: Boolean! = false, $withCategories: Boolean! = false, " +
  "$withBrands: Boolean! = false, $withMedia: Boolean! = false, $withInventory: Boolean! = false, " +
  "$withPricing: Boolean! = false";

import { ENTITY_SORT_FIELDS, ENTITY_STATUSES } from "../../../domain/catalog/entities.js";
import { isUuid } from "../../../domain/validation.js";
import { mutationOperation } from "../../route.js";
import { INCLUDE_VARIABLES } from "./fragments.js";
import { INCLUDABLE, includeVariables, sortVariable } from "./include.js";
import { route } from "./route.js";

const tag = "Catalog";

const idOrSlug = (value: string) => (isUuid(value) ? { id: value } : { slug: value });

const include = {
  type: "string",
  description: `Comma-separated relations to embed: ${INCLUDABLE.join(", ")}.`,
  example: "attributes,variants",
} as const;

/** A mutation on one entity that answers with the entity (seed 002 returns the changed record). */
function entityMutation(field: string, inputType: string) {
  return mutationOperation({
    field,
    inputType,
    dataField: "entity",
    selection: "...EntityFields",
    variables: INCLUDE_VARIABLES,
  });
}

function transition(verb: "publish" | "archive" | "discontinue", summary: string) {
  const field = `${verb}CatalogEntity`;
  return route({
    method: "POST",
    path: `/catalog/entities/:id/${verb}`,
    summary,
    tag,
    permission: "catalog:update",
    description: "409 CONFLICT (with currentStatus and requestedStatus) when the lifecycle does not allow it.",
    operation: entityMutation(field, "IdInput"),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: [field, "entity"],
  });
}

function linkRoute(method: "POST" | "DELETE", kind: "category" | "brand") {
  const Kind = kind === "category" ? "Category" : "Brand";
  const field = method === "POST" ? `addEntityTo${Kind}` : `removeEntityFrom${Kind}`;
  const param = `${kind}Id`;
  return route({
    method,
    path: `/catalog/entities/:id/${kind === "category" ? "categories" : "brands"}/:${param}`,
    summary: method === "POST" ? `Add entity to a ${kind}` : `Remove entity from a ${kind}`,
    tag,
    permission: "catalog:update",
    description: "Answers with the entity and its categories and brands. Adding twice is harmless.",
    operation: entityMutation(field, `Entity${Kind}Input`),
    variables: ({ params }) => ({
      input: { entityId: params.id, [param]: params[param] },
      withCategories: true,
      withBrands: true,
    }),
    result: [field, "entity"],
  });
}

export const catalogRoutes = [
  route({
    method: "GET",
    path: "/catalog/entities",
    summary: "List catalog entities",
    tag,
    description: "Without catalog permissions only active entities are listed.",
    paginated: true,
    query: {
      type: { type: "string", description: "Filter by entity type (product, digitalDownload, ...)." },
      status: { type: "string", enum: ENTITY_STATUSES, description: "Filter by status (merchants)." },
      category: { type: "string", description: "Filter by category ID." },
      brand: { type: "string", description: "Filter by brand ID." },
      sort: {
        type: "string",
        description: `Sort field and direction, e.g. createdAt:desc. Fields: ${ENTITY_SORT_FIELDS.join(", ")}.`,
        example: "createdAt:desc",
      },
      include,
    },
    operation: `query (${INCLUDE_VARIABLES}, $first: Int, $after: String, $filter: CatalogEntityFilter, $sort: [CatalogEntitySort!]) {
      catalogEntities(first: $first, after: $after, filter: $filter, sort: $sort) { totalCount edges { node { ...EntityFields } } }
    }`,
    variables: ({ query }) => ({
      ...includeVariables(query.include),
      filter: { type: query.type, status: query.status, categoryId: query.category, brandId: query.brand },
      sort: sortVariable(query.sort, ENTITY_SORT_FIELDS),
    }),
    result: ["catalogEntities"],
  }),
  route({
    method: "GET",
    path: "/catalog/entities/:idOrSlug",
    summary: "Get entity by UUID or slug",
    tag,
    query: { include },
    operation: `query (${INCLUDE_VARIABLES}, $id: ID, $slug: String) {
      catalogEntity(id: $id, slug: $slug) { ...EntityFields }
    }`,
    variables: ({ params, query }) => ({
      ...includeVariables(query.include),
      ...idOrSlug(params.idOrSlug!),
    }),
    result: ["catalogEntity"],
    notFound: "Entity",
  }),
  route({
    method: "POST",
    path: "/catalog/entities",
    summary: "Create a catalog entity",
    tag,
    permission: "catalog:create",
    description: "409 CONFLICT when the slug is taken in this store.",
    operation: entityMutation("createCatalogEntity", "CreateCatalogEntityInput"),
    body: { variable: "input", example: { type: "product", slug: "blue-widget", status: "draft", metadata: {} } },
    result: ["createCatalogEntity", "entity"],
    status: 201,
  }),
  route({
    method: "PATCH",
    path: "/catalog/entities/:id",
    summary: "Update an entity",
    tag,
    permission: "catalog:update",
    description: "A status change goes through the lifecycle table (409 when not allowed).",
    operation: entityMutation("updateCatalogEntity", "UpdateCatalogEntityInput"),
    body: {
      variable: "input",
      pathFields: { id: "id" },
      example: { slug: "blue-widget-2", metadata: { featured: true } },
    },
    result: ["updateCatalogEntity", "entity"],
  }),
  route({
    method: "DELETE",
    path: "/catalog/entities/:id",
    summary: "Delete an entity",
    tag,
    permission: "catalog:delete",
    operation: mutationOperation({
      field: "deleteCatalogEntity",
      inputType: "IdInput",
      dataField: "deleted",
      selection: "id",
    }),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: ["deleteCatalogEntity", "deleted"],
  }),
  transition("publish", "Transition to active status"),
  transition("archive", "Transition to archived status"),
  transition("discontinue", "Transition to discontinued status"),
  route({
    method: "PUT",
    path: "/catalog/entities/:id/attributes/:locale",
    summary: "Set localized attributes",
    tag,
    permission: "catalog:update",
    operation: mutationOperation({
      field: "setCatalogAttributes",
      inputType: "SetCatalogAttributesInput",
      dataField: "attributes",
      selection: "...AttributeFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "entityId", locale: "locale" },
      example: {
        title: "Blue Widget",
        description: "A fine blue widget.",
        seoTitle: "Buy Blue Widget",
        seoDescription: "Best blue widget online.",
      },
    },
    result: ["setCatalogAttributes", "attributes"],
  }),
  route({
    method: "GET",
    path: "/catalog/entities/:id/attributes/:locale",
    summary: "Get localized attributes",
    tag,
    description: "The entity may be given by UUID or slug.",
    operation: `query ($id: ID, $slug: String, $locale: String!) {
      catalogEntity(id: $id, slug: $slug) { attributes(locale: $locale) { ...AttributeFields } }
    }`,
    variables: ({ params }) => ({ ...idOrSlug(params.id!), locale: params.locale }),
    result: ["catalogEntity", "attributes", 0],
    notFound: "Attributes",
  }),

  // ---- categories and brands
  route({
    method: "GET",
    path: "/catalog/categories",
    summary: "List all categories",
    tag,
    description:
      "Flat list ordered by sortOrder and name; each category carries its parentId (and children ids) to rebuild the tree.",
    paginated: true,
    query: {
      parentId: { type: "string", format: "uuid", description: "Only the direct children of this category." },
      roots: { type: "boolean", description: "Only top-level categories." },
    },
    operation: `query ($first: Int, $after: String, $parentId: ID, $rootsOnly: Boolean) {
      categories(first: $first, after: $after, parentId: $parentId, rootsOnly: $rootsOnly) {
        totalCount edges { node { ...CategoryFields children { id } } }
      }
    }`,
    variables: ({ query }) => ({ parentId: query.parentId, rootsOnly: query.roots === "true" }),
    result: ["categories"],
  }),
  route({
    method: "POST",
    path: "/catalog/categories",
    summary: "Create a category",
    tag,
    permission: "catalog:create",
    operation: mutationOperation({
      field: "createCategory",
      inputType: "CreateCategoryInput",
      dataField: "category",
      selection: "...CategoryFields",
    }),
    body: { variable: "input", example: { name: "Widgets", slug: "widgets", parentId: null } },
    result: ["createCategory", "category"],
    status: 201,
  }),
  route({
    method: "PATCH",
    path: "/catalog/categories/:categoryId",
    summary: "Update a category",
    tag,
    permission: "catalog:update",
    operation: mutationOperation({
      field: "updateCategory",
      inputType: "UpdateCategoryInput",
      dataField: "category",
      selection: "...CategoryFields",
    }),
    body: { variable: "input", pathFields: { categoryId: "id" }, example: { name: "Blue widgets", sortOrder: 2 } },
    result: ["updateCategory", "category"],
  }),
  route({
    method: "DELETE",
    path: "/catalog/categories/:categoryId",
    summary: "Delete a category",
    tag,
    permission: "catalog:delete",
    description: "409 CONFLICT while the category has subcategories.",
    operation: mutationOperation({
      field: "deleteCategory",
      inputType: "IdInput",
      dataField: "deleted",
      selection: "id",
    }),
    variables: ({ params }) => ({ input: { id: params.categoryId } }),
    result: ["deleteCategory", "deleted"],
  }),
  linkRoute("POST", "category"),
  linkRoute("DELETE", "category"),
  route({
    method: "GET",
    path: "/catalog/brands",
    summary: "List all brands",
    tag,
    paginated: true,
    operation: `query ($first: Int, $after: String) {
      brands(first: $first, after: $after) { totalCount edges { node { ...BrandFields } } }
    }`,
    result: ["brands"],
  }),
  route({
    method: "POST",
    path: "/catalog/brands",
    summary: "Create a brand",
    tag,
    permission: "catalog:create",
    operation: mutationOperation({
      field: "createBrand",
      inputType: "CreateBrandInput",
      dataField: "brand",
      selection: "...BrandFields",
    }),
    body: { variable: "input", example: { name: "Acme", slug: "acme" } },
    result: ["createBrand", "brand"],
    status: 201,
  }),
  route({
    method: "PATCH",
    path: "/catalog/brands/:brandId",
    summary: "Update a brand",
    tag,
    permission: "catalog:update",
    operation: mutationOperation({
      field: "updateBrand",
      inputType: "UpdateBrandInput",
      dataField: "brand",
      selection: "...BrandFields",
    }),
    body: { variable: "input", pathFields: { brandId: "id" }, example: { description: "Makers of fine widgets." } },
    result: ["updateBrand", "brand"],
  }),
  route({
    method: "DELETE",
    path: "/catalog/brands/:brandId",
    summary: "Delete a brand",
    tag,
    permission: "catalog:delete",
    operation: mutationOperation({ field: "deleteBrand", inputType: "IdInput", dataField: "deleted", selection: "id" }),
    variables: ({ params }) => ({ input: { id: params.brandId } }),
    result: ["deleteBrand", "deleted"],
  }),
  linkRoute("POST", "brand"),
  linkRoute("DELETE", "brand"),

  // ---- options and variants
  route({
    method: "POST",
    path: "/catalog/entities/:id/options",
    summary: "Create an option type",
    tag,
    permission: "catalog:update",
    operation: mutationOperation({
      field: "createOptionType",
      inputType: "CreateOptionTypeInput",
      dataField: "optionType",
      selection: "...OptionTypeFields",
    }),
    body: {
      variable: "input",
      pathFields: { id: "entityId" },
      example: { name: "Color", displayName: "Colour", values: [{ value: "blue" }, { value: "red", label: "Red" }] },
    },
    result: ["createOptionType", "optionType"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/catalog/options/:optionTypeId/values",
    summary: "Create an option value",
    tag,
    permission: "catalog:update",
    operation: mutationOperation({
      field: "createOptionValue",
      inputType: "CreateOptionValueInput",
      dataField: "optionValue",
      selection: "id optionTypeId value label position",
    }),
    body: {
      variable: "input",
      pathFields: { optionTypeId: "optionTypeId" },
      example: { value: "green", label: "Green" },
    },
    result: ["createOptionValue", "optionValue"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/catalog/entities/:id/variants",
    summary: "Create a single variant",
    tag,
    permission: "catalog:update",
    description: "409 CONFLICT when the SKU is taken in this store or the option combination already has a variant.",
    operation: mutationOperation({
      field: "createVariant",
      inputType: "CreateVariantInput",
      dataField: "variant",
      selection: "...VariantFields",
    }),
    body: { variable: "input", pathFields: { id: "entityId" }, example: { sku: "WIDGET-BLUE-S", optionValueIds: [] } },
    result: ["createVariant", "variant"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/catalog/entities/:id/variants/generate",
    summary: "Generate variants from an option matrix",
    tag,
    permission: "catalog:update",
    description:
      "Creates one variant per combination of option values (cartesian product) that has none yet, with unique SKUs " +
      "`<PREFIX>-<VALUE>-<VALUE>`. `data.variants` lists the new variants, `data.skipped` the existing combinations.",
    operation: mutationOperation({
      field: "generateVariants",
      inputType: "GenerateVariantsInput",
      dataField: "result",
      selection: "skipped variants { ...VariantFields }",
    }),
    body: { variable: "input", pathFields: { id: "entityId" }, example: { skuPrefix: "WIDGET" } },
    result: ["generateVariants", "result"],
    status: 201,
  }),
];

import {
  addEntityToBrand,
  addEntityToCategory,
  createBrand,
  createCategory,
  deleteBrand,
  deleteCategory,
  removeEntityFromBrand,
  removeEntityFromCategory,
  updateBrand,
  updateCategory,
} from "../../domain/catalog/taxonomy.js";
import { ValidationError } from "../../domain/errors.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { CatalogEntity, DeletedRef } from "./catalog.js";
import { mutationResult } from "./errors.js";
import { IdInput, NodeInterface, registerNode } from "./node.js";

export const Category = builder.prismaObject("Category", {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    slug: t.exposeString("slug"),
    description: t.exposeString("description", { nullable: true }),
    parentId: t.exposeID("parentId", { nullable: true }),
    sortOrder: t.exposeInt("sortOrder"),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    parent: t.relation("parent", { nullable: true }),
    children: t.relation("children", { query: { orderBy: [{ sortOrder: "asc" }, { name: "asc" }] } }),
  }),
});

export const Brand = builder.prismaObject("Brand", {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    slug: t.exposeString("slug"),
    description: t.exposeString("description", { nullable: true }),
    logoUrl: t.exposeString("logoUrl", { nullable: true }),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

// An entity's categories and brands, through the link tables, planned into the entity's query.
builder.prismaInterfaceFields("CatalogEntity", (t) => ({
  categories: t.field({
    type: [Category],
    select: (_args, _ctx, nestedSelection) => ({
      categories: { select: { category: nestedSelection(true) }, orderBy: { createdAt: "asc" } },
    }),
    resolve: (entity) => entity.categories.map(({ category }) => category),
  }),
  brands: t.field({
    type: [Brand],
    select: (_args, _ctx, nestedSelection) => ({
      brands: { select: { brand: nestedSelection(true) }, orderBy: { createdAt: "asc" } },
    }),
    resolve: (entity) => entity.brands.map(({ brand }) => brand),
  }),
}));

registerNode("Category", "category", (ctx, id) =>
  ctx.prisma.category.findFirst({ where: { id, storeId: ctx.storeId } }),
);
registerNode("Brand", "brand", (ctx, id) => ctx.prisma.brand.findFirst({ where: { id, storeId: ctx.storeId } }));

builder.queryFields((t) => ({
  category: t.prismaField({
    type: "Category",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(id) ? ctx.prisma.category.findFirst({ ...query, where: { id, storeId: ctx.storeId } }) : null,
  }),
  categories: t.connection(
    {
      type: Category,
      complexity: pageComplexity,
      description: "Categories ordered by sortOrder then name; `parentId` lists one level, `rootsOnly` the top level.",
      args: { parentId: t.arg.id(), rootsOnly: t.arg.boolean() },
      resolve: (_root, args, ctx, info) => {
        if (args.parentId && !isUuid(args.parentId)) {
          throw ValidationError.field("parentId", "invalid_uuid", "parentId must be a UUID.");
        }
        const where = {
          storeId: ctx.storeId,
          ...(args.parentId ? { parentId: args.parentId } : args.rootsOnly ? { parentId: null } : {}),
        };
        return modelConnection(args, ctx, info, {
          typeName: "Category",
          model: ctx.prisma.category,
          where,
          orderBy: [{ sortOrder: "asc" }, { name: "asc" }, { id: "asc" }],
        });
      },
    },
    { name: "CategoryConnection", fields: totalCountField },
  ),
  brand: t.prismaField({
    type: "Brand",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(id) ? ctx.prisma.brand.findFirst({ ...query, where: { id, storeId: ctx.storeId } }) : null,
  }),
  brands: t.connection(
    {
      type: Brand,
      complexity: pageComplexity,
      resolve: (_root, args, ctx, info) => {
        const where = { storeId: ctx.storeId };
        return modelConnection(args, ctx, info, {
          typeName: "Brand",
          model: ctx.prisma.brand,
          where,
          orderBy: [{ name: "asc" }, { id: "asc" }],
        });
      },
    },
    { name: "BrandConnection", fields: totalCountField },
  ),
}));

const CreateCategoryInput = builder.inputType("CreateCategoryInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ description: "Derived from the name when omitted." }),
    parentId: t.id(),
    description: t.string(),
    sortOrder: t.int(),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const UpdateCategoryInput = builder.inputType("UpdateCategoryInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    slug: t.string(),
    parentId: t.id({ description: "null moves the category to the top level." }),
    description: t.string(),
    sortOrder: t.int(),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const CreateBrandInput = builder.inputType("CreateBrandInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ description: "Derived from the name when omitted." }),
    description: t.string(),
    logoUrl: t.string(),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const UpdateBrandInput = builder.inputType("UpdateBrandInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    slug: t.string(),
    description: t.string(),
    logoUrl: t.string(),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const EntityCategoryInput = builder.inputType("EntityCategoryInput", {
  fields: (t) => ({ entityId: t.id({ required: true }), categoryId: t.id({ required: true }) }),
});
const EntityBrandInput = builder.inputType("EntityBrandInput", {
  fields: (t) => ({ entityId: t.id({ required: true }), brandId: t.id({ required: true }) }),
});

builder.mutationFields((t) => ({
  createCategory: t.field({
    type: Category,
    authScopes: { permission: "catalog:create" },
    args: { input: t.arg({ type: CreateCategoryInput, required: true }) },
    errors: mutationResult("CreateCategory", "category"),
    resolve: (_root, { input }, ctx) => createCategory(ctx.scope, input),
  }),
  updateCategory: t.field({
    type: Category,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: UpdateCategoryInput, required: true }) },
    errors: mutationResult("UpdateCategory", "category"),
    resolve: (_root, { input }, ctx) => updateCategory(ctx.scope, input),
  }),
  deleteCategory: t.field({
    type: DeletedRef,
    authScopes: { permission: "catalog:delete" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DeleteCategory", "deleted"),
    resolve: (_root, { input }, ctx) => deleteCategory(ctx.scope, input.id),
  }),
  createBrand: t.field({
    type: Brand,
    authScopes: { permission: "catalog:create" },
    args: { input: t.arg({ type: CreateBrandInput, required: true }) },
    errors: mutationResult("CreateBrand", "brand"),
    resolve: (_root, { input }, ctx) => createBrand(ctx.scope, input),
  }),
  updateBrand: t.field({
    type: Brand,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: UpdateBrandInput, required: true }) },
    errors: mutationResult("UpdateBrand", "brand"),
    resolve: (_root, { input }, ctx) => updateBrand(ctx.scope, input),
  }),
  deleteBrand: t.field({
    type: DeletedRef,
    authScopes: { permission: "catalog:delete" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DeleteBrand", "deleted"),
    resolve: (_root, { input }, ctx) => deleteBrand(ctx.scope, input.id),
  }),
  addEntityToCategory: t.field({
    type: CatalogEntity,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: EntityCategoryInput, required: true }) },
    errors: mutationResult("AddEntityToCategory", "entity"),
    resolve: (_root, { input }, ctx) => addEntityToCategory(ctx.scope, input.entityId, input.categoryId),
  }),
  removeEntityFromCategory: t.field({
    type: CatalogEntity,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: EntityCategoryInput, required: true }) },
    errors: mutationResult("RemoveEntityFromCategory", "entity"),
    resolve: (_root, { input }, ctx) => removeEntityFromCategory(ctx.scope, input.entityId, input.categoryId),
  }),
  addEntityToBrand: t.field({
    type: CatalogEntity,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: EntityBrandInput, required: true }) },
    errors: mutationResult("AddEntityToBrand", "entity"),
    resolve: (_root, { input }, ctx) => addEntityToBrand(ctx.scope, input.entityId, input.brandId),
  }),
  removeEntityFromBrand: t.field({
    type: CatalogEntity,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: EntityBrandInput, required: true }) },
    errors: mutationResult("RemoveEntityFromBrand", "entity"),
    resolve: (_root, { input }, ctx) => removeEntityFromBrand(ctx.scope, input.entityId, input.brandId),
  }),
}));

import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { audited, changedBy, recordChange } from "../audit/record.js";
import { requireEntity } from "../catalog/entities.js";
import { NotFoundError, ValidationError } from "../errors.js";
import { assertNotVendor, ownEntityWhere } from "../marketplace/vendor-scope.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, slug, slugify, uuid } from "../validation.js";

export const currency = z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code such as USD");
const amount = z.number().int("must be whole minor units (cents)").min(0).max(1_000_000_000);
const isoDate = z.coerce.date({ message: "must be an ISO 8601 date" });

const Validity = {
  validFrom: isoDate.nullish(),
  validUntil: isoDate.nullish(),
};

function checkWindow(data: { validFrom?: Date | null; validUntil?: Date | null }) {
  if (data.validFrom && data.validUntil && data.validUntil <= data.validFrom) {
    throw ValidationError.field("validUntil", "before_start", "validUntil must be after validFrom.");
  }
}

export const CreatePriceInput = z.object({
  entityId: z.string(),
  variantId: uuid.nullish(),
  currency,
  amount,
  customerGroupId: uuid.nullish(),
  minQuantity: z.number().int().min(1).max(1_000_000).default(1),
  ...Validity,
});

export const UpdatePriceInput = z.object({
  id: z.string(),
  amount: amount.optional(),
  minQuantity: z.number().int().min(1).max(1_000_000).optional(),
  ...Validity,
});

export const MODIFIER_TYPES = ["percentage_off", "fixed_off", "fixed_price"] as const;

export const CreateModifierInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.enum(MODIFIER_TYPES),
    value: z.number().int().min(0),
    entityId: uuid.nullish(),
    variantId: uuid.nullish(),
    customerGroupId: uuid.nullish(),
    currency: currency.nullish(),
    minQuantity: z.number().int().min(1).default(1),
    priority: z.number().int().min(-1000).max(1000).default(0),
    ...Validity,
  })
  .refine((m) => m.type !== "percentage_off" || m.value <= 100, {
    path: ["value"],
    message: "a percentage is at most 100",
  })
  .refine((m) => m.type === "percentage_off" || m.currency, { path: ["currency"], message: "amounts need a currency" });

export const CreateGroupInput = z.object({ name: z.string().trim().min(1).max(200), slug: slug.optional() });

/** The variant, if given, must be one of the entity's; the group one of the store's. */
async function checkTargets(
  scope: Scope,
  target: { entityId?: string | null; variantId?: string | null; customerGroupId?: string | null },
) {
  if (target.entityId) await requireEntity(scope, target.entityId);
  if (target.variantId) {
    const variant = await scope.prisma.variant.findFirst({
      where: {
        id: target.variantId,
        storeId: scope.storeId,
        entity: ownEntityWhere(scope.actor),
        ...(target.entityId ? { entityId: target.entityId } : {}),
      },
      select: { id: true },
    });
    if (!variant) throw ValidationError.field("variantId", "not_found", "Variant not found on this entity.");
  }
  if (target.customerGroupId) {
    const group = await scope.prisma.customerGroup.findFirst({
      where: { id: target.customerGroupId, storeId: scope.storeId },
    });
    if (!group) throw ValidationError.field("customerGroupId", "not_found", "Customer group not found.");
  }
}

export async function createPrice(scope: Scope, input: unknown) {
  const data = parseInput(CreatePriceInput, input);
  checkWindow(data);
  await checkTargets(scope, data);
  return scope.prisma.$transaction(async (tx) => {
    const price = await tx.price.create({ data: { ...data, storeId: scope.storeId } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "pricing.create",
      entityType: "price",
      entityId: price.id,
      after: price,
    });
    return price;
  });
}

export async function updatePrice(scope: Scope, input: unknown) {
  const { id, ...data } = parseInput(UpdatePriceInput, input);
  const current = isUuid(id)
    ? await scope.prisma.price.findFirst({ where: { id, storeId: scope.storeId, entity: ownEntityWhere(scope.actor) } })
    : null;
  if (!current) throw new NotFoundError("Price", id);
  // An explicit null clears a bound, so only an omitted bound (undefined) keeps the stored one.
  checkWindow({
    validFrom: data.validFrom === undefined ? current.validFrom : data.validFrom,
    validUntil: data.validUntil === undefined ? current.validUntil : data.validUntil,
  });
  return scope.prisma.$transaction(async (tx) => {
    const price = await tx.price.update({ where: { id }, data });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "pricing.update",
      entityType: "price",
      entityId: id,
      before: current,
      after: price,
    });
    return price;
  });
}

export async function createPriceModifier(scope: Scope, input: unknown) {
  const data = parseInput(CreateModifierInput, input);
  // A modifier with no entity applies store-wide: the merchant's alone.
  if (!data.entityId) assertNotVendor(scope.actor, "store-wide price modifiers");
  checkWindow(data);
  await checkTargets(scope, data);
  return audited(
    scope,
    (tx) => tx.priceModifier.create({ data: { ...data, storeId: scope.storeId } }),
    (modifier) => ({ event: "pricing.create", entityType: "price_modifier", entityId: modifier.id, after: modifier }),
  );
}

export async function createCustomerGroup(scope: Scope, input: unknown) {
  const data = parseInput(CreateGroupInput, input);
  const groupSlug = data.slug ?? slugify(data.name);
  if (!groupSlug)
    throw ValidationError.field("slug", "required", "A slug is required when the name has no letters or digits.");
  return withPrismaErrors("customer group", () =>
    audited(
      scope,
      (tx) => tx.customerGroup.create({ data: { name: data.name, slug: groupSlug, storeId: scope.storeId } }),
      (group) => ({ event: "customerGroups.create", entityType: "customer_group", entityId: group.id, after: group }),
    ),
  );
}

export interface PriceFilter {
  entityId?: string | null;
  variantId?: string | null;
  currency?: string | null;
  customerGroupId?: string | null;
}

/** The `where` of a price listing; a vendor actor (`vendorId`) sees the prices of its own entities only. */
export function priceWhere(
  storeId: string,
  filter: PriceFilter,
  vendorId: string | null = null,
): Prisma.PriceWhereInput {
  for (const key of ["entityId", "variantId", "customerGroupId"] as const) {
    const id = filter[key];
    if (id && !isUuid(id)) throw ValidationError.field(key, "invalid_uuid", `${key} must be a UUID.`);
  }
  return {
    storeId,
    ...(vendorId ? { entity: { vendorId } } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.variantId ? { variantId: filter.variantId } : {}),
    ...(filter.currency ? { currency: filter.currency } : {}),
    ...(filter.customerGroupId ? { customerGroupId: filter.customerGroupId } : {}),
  };
}

import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { type FieldError, NotFoundError, ValidationError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { amount, currencyCode } from "../stores/currency.js";
import { isUuid, metadata, parseInput, uuid } from "../validation.js";
import { normalizeCode } from "./load.js";
import { PROMOTION_TYPES, type PromotionType } from "./rules.js";

/** Codes people type: letters, digits, dashes and underscores; stored upper-case. */
const promotionCode = z
  .string()
  .trim()
  .min(2)
  .max(50)
  .regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, dashes or underscores")
  .transform(normalizeCode);

/** An instant: a Date, or an ISO 8601 string (REST bodies) coerced to one. */
const instant = z.coerce.date({ message: "must be an ISO 8601 date-time" });

/** A usage limit: at least one use, or null for unlimited. */
const limit = z.int().min(1);

/** What `value` means per type: a percent for percentage types, minor units for fixed amounts, nothing for free shipping. */
function valueProblem(type: PromotionType, value: number | null | undefined): string | null {
  switch (type) {
    case "percentage_off_order":
    case "percentage_off_item":
      return value != null && value >= 1 && value <= 100 ? null : "must be a percentage from 1 to 100";
    case "fixed_amount_off_order":
      return value != null && value > 0 ? null : "must be an amount in minor units greater than 0";
    case "free_shipping":
      return !value ? null : "must be 0 or omitted for free_shipping";
  }
}

function windowProblem(validFrom: Date | null | undefined, validUntil: Date | null | undefined): string | null {
  return validFrom && validUntil && validUntil <= validFrom ? "must be after validFrom" : null;
}

export const CreatePromotionInput = z
  .object({
    code: promotionCode,
    name: z.string().trim().min(1).max(200),
    type: z.enum(PROMOTION_TYPES),
    value: z.int().nullish(),
    currency: currencyCode.nullish(),
    minSubtotal: amount.nullish(),
    usageLimit: limit.nullish(),
    perCustomerLimit: limit.nullish(),
    validFrom: instant.nullish(),
    validUntil: instant.nullish(),
    entityIds: z.array(uuid).max(500).nullish(),
    metadata: metadata.nullish(),
  })
  .superRefine((p, ctx) => {
    const value = valueProblem(p.type, p.value);
    if (value) ctx.addIssue({ code: "custom", path: ["value"], message: value });
    if (p.type === "fixed_amount_off_order" && !p.currency) {
      ctx.addIssue({ code: "custom", path: ["currency"], message: "is required for fixed_amount_off_order" });
    }
    if (p.entityIds?.length && p.type !== "percentage_off_item") {
      ctx.addIssue({ code: "custom", path: ["entityIds"], message: "only applies to percentage_off_item" });
    }
    const window = windowProblem(p.validFrom, p.validUntil);
    if (window) ctx.addIssue({ code: "custom", path: ["validUntil"], message: window });
  });

/** 422 for entity ids that are not entities of the store, one field error per id. */
async function assertStoreEntities(scope: Scope, entityIds: readonly string[]): Promise<void> {
  if (entityIds.length === 0) return;
  const found = await scope.prisma.catalogEntity.findMany({
    where: { storeId: scope.storeId, id: { in: [...entityIds] } },
    select: { id: true },
  });
  const known = new Set(found.map((e) => e.id));
  const problems: FieldError[] = entityIds.flatMap((id, i) =>
    known.has(id)
      ? []
      : [{ path: `entityIds.${i}`, code: "not_found", message: "is not a catalog entity of this store" }],
  );
  if (problems.length) throw new ValidationError(problems);
}

export async function createPromotion(scope: Scope, input: unknown) {
  const { entityIds, metadata: meta, value, ...data } = parseInput(CreatePromotionInput, input);
  const ids = [...new Set(entityIds ?? [])];
  await assertStoreEntities(scope, ids);
  return withPrismaErrors("promotion", () =>
    scope.prisma.$transaction(async (tx) => {
      const promotion = await tx.promotion.create({
        data: {
          ...data,
          value: value ?? 0,
          entityIds: ids,
          metadata: (meta ?? {}) as Prisma.InputJsonValue,
          storeId: scope.storeId,
        },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "promotions.create",
        entityType: "promotion",
        entityId: promotion.id,
        after: promotion,
      });
      return promotion;
    }),
  );
}

// Code, type, currency and entities stay: they define what was redeemed; a different deal is a new promotion.
export const UpdatePromotionInput = z.object({
  id: z.string(),
  name: z.string().trim().min(1).max(200).optional(),
  value: z.int().optional(),
  minSubtotal: amount.nullish(),
  usageLimit: limit.nullish(),
  perCustomerLimit: limit.nullish(),
  validFrom: instant.nullish(),
  validUntil: instant.nullish(),
  active: z.boolean().optional(),
  metadata: metadata.optional(),
});

/** Changes the given fields (null clears a bound or limit), checked against the promotion's type and window. */
export async function updatePromotion(scope: Scope, input: unknown) {
  const { id, metadata: meta, ...changes } = parseInput(UpdatePromotionInput, input);
  if (!isUuid(id)) throw new NotFoundError("Promotion", id);
  return scope.prisma.$transaction(async (tx) => {
    // Lock the row: the window and value checked here are the ones written.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM promotion WHERE id = ${id}::uuid AND "storeId" = ${scope.storeId}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError("Promotion", id);
    const current = await tx.promotion.findUniqueOrThrow({ where: { id } });

    const problems: FieldError[] = [];
    if (changes.value !== undefined) {
      const value = valueProblem(current.type as PromotionType, changes.value);
      if (value) problems.push({ path: "value", code: "custom", message: value });
    }
    const validFrom = changes.validFrom !== undefined ? changes.validFrom : current.validFrom;
    const validUntil = changes.validUntil !== undefined ? changes.validUntil : current.validUntil;
    const window = windowProblem(validFrom, validUntil);
    if (window) {
      const path = changes.validUntil !== undefined || changes.validFrom === undefined ? "validUntil" : "validFrom";
      problems.push({ path, code: "custom", message: path === "validUntil" ? window : "must be before validUntil" });
    }
    if (problems.length) throw new ValidationError(problems);

    const updated = await tx.promotion.update({
      where: { id },
      data: { ...changes, ...(meta ? { metadata: meta as Prisma.InputJsonValue } : {}) },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "promotions.update",
      entityType: "promotion",
      entityId: id,
      before: current,
      after: updated,
    });
    return updated;
  });
}

/** Sets active to false. Idempotent: deactivating an inactive promotion answers it unchanged. */
export async function deactivatePromotion(scope: Scope, id: string) {
  if (!isUuid(id)) throw new NotFoundError("Promotion", id);
  return scope.prisma.$transaction(async (tx) => {
    const { count } = await tx.promotion.updateMany({
      where: { id, storeId: scope.storeId, active: true },
      data: { active: false },
    });
    const promotion = await tx.promotion.findFirst({ where: { id, storeId: scope.storeId } });
    if (!promotion) throw new NotFoundError("Promotion", id);
    if (count > 0) {
      await recordChange(tx, {
        ...changedBy(scope),
        event: "promotions.update",
        entityType: "promotion",
        entityId: id,
        before: { active: true },
        after: promotion,
      });
    }
    return promotion;
  });
}

// ---- reads -----------------------------------------------------------------------------------

/** Active = the active flag is set and `now` is within [validFrom, validUntil] (a null bound is open). */
export function activePromotionWhere(now: Date): Prisma.PromotionWhereInput {
  return {
    active: true,
    AND: [
      { OR: [{ validFrom: null }, { validFrom: { lte: now } }] },
      { OR: [{ validUntil: null }, { validUntil: { gte: now } }] },
    ],
  };
}

/** The `where` of a promotion listing: always one store; only the active ones when asked. */
export function promotionWhere(
  storeId: string,
  filter: { activeOnly?: boolean | null },
  now = new Date(),
): Prisma.PromotionWhereInput {
  return { storeId, ...(filter.activeOnly ? activePromotionWhere(now) : {}) };
}

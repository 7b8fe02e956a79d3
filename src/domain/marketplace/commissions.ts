import { z } from "zod";
import type { CommissionRule, Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid, uuidFilter } from "../validation.js";
import { percentageToBps } from "./commission-math.js";

/**
 * Commission rules (marketplace:admin): a percentage (0..100, at most two decimals, kept as basis points)
 * and/or a fixed amount per line (minor units), scoped to a vendor, a category, both, or neither (the
 * default). One rule per scope: a second rule for the same vendor and category is 409. The math is
 * commission-math.ts; rules apply to orders placed after the change (sub-orders snapshot theirs).
 */

const percentage = z
  .number()
  .min(0)
  .max(100)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, "at most two decimals");
const fixedAmount = z.number().int().min(0).max(100_000_000);

const CreateInput = z
  .object({
    vendorId: uuid.nullish(),
    categoryId: uuid.nullish(),
    percentage: percentage.nullish(),
    fixedAmount: fixedAmount.nullish(),
  })
  .refine((r) => r.percentage != null || r.fixedAmount != null, {
    path: ["percentage"],
    message: "Give a percentage, a fixedAmount, or both.",
  });
const UpdateInput = z.object({ id: z.string(), percentage: percentage.nullish(), fixedAmount: fixedAmount.nullish() });
const DeleteInput = z.object({ id: z.string() });

export interface CommissionRuleFilter {
  vendorId?: string | null;
  categoryId?: string | null;
}

function commissionRuleWhere(scope: Scope, filter: CommissionRuleFilter): Prisma.CommissionRuleWhereInput {
  return {
    storeId: scope.storeId,
    ...(filter.vendorId ? { vendorId: uuidFilter("vendorId", filter.vendorId) } : {}),
    ...(filter.categoryId ? { categoryId: uuidFilter("categoryId", filter.categoryId) } : {}),
  };
}

export async function listCommissionRules(
  scope: Scope,
  filter: CommissionRuleFilter,
  page: { skip: number; take: number },
) {
  const where = commissionRuleWhere(scope, filter);
  return scope.prisma.commissionRule.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...page });
}

/** How many rules the same filter finds across all pages. */
export function countCommissionRules(scope: Scope, filter: CommissionRuleFilter): Promise<number> {
  return scope.prisma.commissionRule.count({ where: commissionRuleWhere(scope, filter) });
}

export async function createCommissionRule(scope: Scope, input: unknown): Promise<CommissionRule> {
  const data = parseInput(CreateInput, input);
  return scope.prisma.$transaction(async (tx) => {
    if (
      data.categoryId &&
      !(await tx.category.findFirst({ where: { id: data.categoryId, storeId: scope.storeId }, select: { id: true } }))
    ) {
      throw ValidationError.field("categoryId", "not_found", "No such category.");
    }
    if (data.vendorId) await requireVendor(tx, scope.storeId, data.vendorId);
    // One rule per scope; the store row serializes creations so two racing requests cannot both add one.
    await tx.$queryRaw`SELECT id FROM store WHERE id = ${scope.storeId}::uuid FOR UPDATE`;
    const same = await tx.commissionRule.count({
      where: { storeId: scope.storeId, vendorId: data.vendorId ?? null, categoryId: data.categoryId ?? null },
    });
    if (same > 0) throw new ConflictError("A rule for this vendor and category already exists: update it.", "vendorId");
    const rule = await tx.commissionRule.create({
      data: {
        storeId: scope.storeId,
        vendorId: data.vendorId ?? null,
        categoryId: data.categoryId ?? null,
        rateBps: percentageToBps(data.percentage ?? 0),
        fixedAmount: data.fixedAmount ?? 0,
      },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "commission_rule.create",
      entityType: "commission_rule",
      entityId: rule.id,
      after: rule,
    });
    return rule;
  });
}

export async function updateCommissionRule(scope: Scope, input: unknown): Promise<CommissionRule> {
  const data = parseInput(UpdateInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const before = await findRule(tx, scope.storeId, data.id);
    const rule = await tx.commissionRule.update({
      where: { id: before.id },
      data: {
        ...(data.percentage != null ? { rateBps: percentageToBps(data.percentage) } : {}),
        ...(data.fixedAmount != null ? { fixedAmount: data.fixedAmount } : {}),
      },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "commission_rule.update",
      entityType: "commission_rule",
      entityId: rule.id,
      before,
      after: rule,
    });
    return rule;
  });
}

export async function deleteCommissionRule(scope: Scope, input: unknown): Promise<CommissionRule> {
  const data = parseInput(DeleteInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const before = await findRule(tx, scope.storeId, data.id);
    await tx.commissionRule.delete({ where: { id: before.id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "commission_rule.delete",
      entityType: "commission_rule",
      entityId: before.id,
      before,
    });
    return before;
  });
}

async function findRule(tx: Prisma.TransactionClient, storeId: string, id: string) {
  const rule = isUuid(id) ? await tx.commissionRule.findFirst({ where: { id, storeId } }) : null;
  if (!rule) throw new NotFoundError("CommissionRule", id);
  return rule;
}

async function requireVendor(tx: Prisma.TransactionClient, storeId: string, vendorId: string) {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM vendor WHERE id = ${vendorId}::uuid AND "storeId" = ${storeId}::uuid`;
  if (rows.length === 0) throw ValidationError.field("vendorId", "not_found", "No such vendor.");
}

import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { NotFoundError } from "../errors.js";
import type { Scope } from "../scope.js";
import { parseInput, uuid } from "../validation.js";

export const MembershipInput = z.object({ groupId: uuid, customerId: uuid });

/** Both ends of a membership, in the scope's store, or a 404 naming the missing one. */
async function requireMembershipEnds(scope: Scope, input: unknown) {
  const data = parseInput(MembershipInput, input);
  const [group, customer] = await Promise.all([
    scope.prisma.customerGroup.findFirst({ where: { id: data.groupId, storeId: scope.storeId } }),
    scope.prisma.customer.findFirst({ where: { id: data.customerId, storeId: scope.storeId }, select: { id: true } }),
  ]);
  if (!group) throw new NotFoundError("Customer group", data.groupId);
  if (!customer) throw new NotFoundError("Customer", data.customerId);
  return { group, customerId: customer.id };
}

/** Puts a customer into a group (idempotent): their carts and checkouts get the group's prices. */
export async function addCustomerToGroup(scope: Scope, input: unknown) {
  const { group, customerId } = await requireMembershipEnds(scope, input);
  return scope.prisma.$transaction(async (tx) => {
    const existing = await tx.customerGroupMember.findUnique({
      where: { customerId_groupId: { customerId, groupId: group.id } },
    });
    if (!existing) {
      await tx.customerGroupMember.create({ data: { customerId, groupId: group.id } });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customerGroups.addMember",
        entityType: "customer_group",
        entityId: group.id,
        after: { customerId },
      });
    }
    return group;
  });
}

export async function removeCustomerFromGroup(scope: Scope, input: unknown) {
  const { group, customerId } = await requireMembershipEnds(scope, input);
  return scope.prisma.$transaction(async (tx) => {
    const { count } = await tx.customerGroupMember.deleteMany({ where: { customerId, groupId: group.id } });
    if (count) {
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customerGroups.removeMember",
        entityType: "customer_group",
        entityId: group.id,
        before: { customerId },
      });
    }
    return group;
  });
}

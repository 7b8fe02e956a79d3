import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { name, phone, publicCustomer, requireCustomer } from "./customers.js";

// Email changes need a verification flow (not built yet), so the email is not editable here; metadata
// is the merchant's (notes, flags, integrations' ids), so a customer cannot rewrite it.
export const UpdateProfileInput = z.object({ name: name.optional(), phone: phone.nullish() }).strict();

export async function updateMyProfile(scope: Scope, input: unknown) {
  const customerId = requireCustomer(scope);
  const data = parseInput(UpdateProfileInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const before = await tx.customer.findFirstOrThrow({ where: { id: customerId, storeId: scope.storeId } });
    const after = await tx.customer.update({
      where: { id: customerId },
      data: {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.phone !== undefined ? { phone: data.phone } : {}),
      },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "customers.update",
      entityType: "customer",
      entityId: customerId,
      before: publicCustomer(before),
      after: publicCustomer(after),
    });
    return after;
  });
}

const MAX_ADDRESSES = 50;
const text = (max: number) => z.string().trim().min(1).max(max);

export const AddAddressInput = z
  .object({
    label: text(60).nullish(),
    firstName: text(100).nullish(),
    lastName: text(100).nullish(),
    company: text(200).nullish(),
    line1: text(200),
    line2: text(200).nullish(),
    city: text(100),
    region: text(100).nullish(),
    postalCode: text(20).nullish(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 country code")
      .transform((c) => c.toUpperCase()),
    phone: phone.nullish(),
    isDefaultShipping: z.boolean().nullish(),
    isDefaultBilling: z.boolean().nullish(),
  })
  .strict();

/** Adds an address; the first one (or one marked default) becomes the default, unmarking the others. */
export async function addMyAddress(scope: Scope, input: unknown) {
  const customerId = requireCustomer(scope);
  const data = parseInput(AddAddressInput, input);
  return scope.prisma.$transaction(async (tx) => {
    // Serialises a customer's address changes, so the count and the single default hold.
    await tx.$queryRaw`SELECT id FROM customer WHERE id = ${customerId}::uuid FOR UPDATE`;
    const count = await tx.customerAddress.count({ where: { customerId } });
    if (count >= MAX_ADDRESSES) {
      throw ValidationError.field("", "too_many", `A customer can keep at most ${MAX_ADDRESSES} addresses.`);
    }
    const isDefaultShipping = data.isDefaultShipping ?? count === 0;
    const isDefaultBilling = data.isDefaultBilling ?? count === 0;
    if (isDefaultShipping)
      await tx.customerAddress.updateMany({ where: { customerId }, data: { isDefaultShipping: false } });
    if (isDefaultBilling)
      await tx.customerAddress.updateMany({ where: { customerId }, data: { isDefaultBilling: false } });
    const address = await tx.customerAddress.create({
      data: { ...data, customerId, isDefaultShipping, isDefaultBilling },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "customerAddresses.create",
      entityType: "customer_address",
      entityId: address.id,
      after: address,
    });
    return address;
  });
}

/** Deletes one of the caller's addresses; another customer's address id is a 404, as if unknown. */
export async function deleteMyAddress(scope: Scope, id: string) {
  const customerId = requireCustomer(scope);
  if (!isUuid(id)) throw new NotFoundError("Address", id);
  return scope.prisma.$transaction(async (tx) => {
    const address = await tx.customerAddress.findFirst({ where: { id, customerId } });
    if (!address) throw new NotFoundError("Address", id);
    await tx.customerAddress.delete({ where: { id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "customerAddresses.delete",
      entityType: "customer_address",
      entityId: id,
      before: address,
    });
    return address;
  });
}

import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { ValidationError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { type ClientInfo, type IdentityServices, password } from "./accounts.js";
import { name, publicCustomer, requireCustomer } from "./customers.js";
import { hashPassword, verifyPassword } from "./passwords.js";

/** The signed-in customer's live sessions, newest first (Better Auth's list-sessions). */
export function listMySessions(scope: Scope) {
  const customerId = requireCustomer(scope);
  return scope.prisma.customerSession.findMany({
    where: { customerId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

/** Ends sessions of the caller and forgets them once committed; returns how many ended. */
async function endSessions(
  scope: Scope,
  services: IdentityServices,
  which: "all" | "others" | { id: string },
): Promise<number> {
  const customerId = requireCustomer(scope);
  const current = scope.actor.kind === "customer" ? scope.actor.sessionId : undefined;
  const ended = await scope.prisma.$transaction(async (tx) => {
    let ids: string[];
    if (typeof which === "object") {
      const own = isUuid(which.id)
        ? await tx.customerSession.findFirst({
            where: { id: which.id, customerId, revokedAt: null },
            select: { id: true },
          })
        : null;
      ids = own ? [own.id] : [];
      if (own) await services.sessions.revoke(tx, own.id);
    } else {
      ids = await services.sessions.revokeAll(tx, customerId, which === "others" ? current : undefined);
    }
    for (const id of ids) {
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customers.signOut",
        entityType: "customer_session",
        entityId: id,
      });
    }
    return ids;
  });
  for (const id of ended) services.sessions.forget(id);
  return ended.length;
}

export const RevokeInput = z.object({ token: z.string().min(1).max(2048) });

/**
 * Ends one of the caller's sessions, named by the `token` that list-sessions shows (the session's id:
 * we never hand out another session's credential). Someone else's or an unknown session: nothing
 * happens, and the answer is the same, as in Better Auth.
 */
export async function revokeMySession(scope: Scope, services: IdentityServices, input: unknown) {
  const { token } = parseInput(RevokeInput, input);
  await endSessions(scope, services, { id: token });
  return true;
}

export async function revokeMySessions(scope: Scope, services: IdentityServices) {
  await endSessions(scope, services, "all");
  return true;
}

export async function revokeMyOtherSessions(scope: Scope, services: IdentityServices) {
  await endSessions(scope, services, "others");
  return true;
}

export const UpdateUserInput = z.object({ name: name.optional(), image: z.url().max(2048).nullish() }).strict();

/** Better Auth's update-user: name and image (kept in metadata.image); the email cannot change here. */
export async function updateMyAccount(scope: Scope, input: unknown) {
  const customerId = requireCustomer(scope);
  if (input && typeof input === "object" && "email" in input && (input as { email?: unknown }).email != null) {
    throw ValidationError.field("email", "email_can_not_be_updated", "Email can not be updated");
  }
  const { email: _email, ...rest } = (input ?? {}) as Record<string, unknown>;
  const data = parseInput(UpdateUserInput, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
  if (data.name === undefined && data.image === undefined)
    throw ValidationError.field("name", "no_fields", "No fields to update");
  return scope.prisma.$transaction(async (tx) => {
    const before = await tx.customer.findUniqueOrThrow({ where: { id: customerId } });
    const metadata = { ...(before.metadata as Record<string, unknown>) };
    if (data.image !== undefined) {
      if (data.image === null) delete metadata.image;
      else metadata.image = data.image;
    }
    const after = await tx.customer.update({
      where: { id: customerId },
      data: { ...(data.name !== undefined ? { name: data.name } : {}), metadata: metadata as never },
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

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: password,
  revokeOtherSessions: z.boolean().nullish(),
});

/**
 * Better Auth's change-password: the current password must match (a wrong one is a field error, not a
 * throttled sign-in). With `revokeOtherSessions`, every session ends and a new one starts for the caller,
 * whose tokens are returned; without it the sessions stay and no token is returned.
 */
export async function changeMyPassword(
  scope: Scope,
  services: IdentityServices,
  input: unknown,
  client: ClientInfo = {},
) {
  const customerId = requireCustomer(scope);
  const data = parseInput(ChangePasswordInput, input);
  const customer = await scope.prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  if (!(await verifyPassword(customer.passwordHash, data.currentPassword))) {
    throw ValidationError.field("currentPassword", "invalid_password", "Invalid password");
  }
  const passwordHash = await hashPassword(data.newPassword);
  const current = scope.actor.kind === "customer" ? scope.actor.sessionId : undefined;
  const result = await scope.prisma.$transaction(async (tx) => {
    const updated = await tx.customer.update({ where: { id: customerId }, data: { passwordHash } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "customers.passwordChanged",
      entityType: "customer",
      entityId: customerId,
    });
    if (!data.revokeOtherSessions) return { customer: updated, ended: [] as string[], issued: null };
    const ended = await services.sessions.revokeAll(tx, customerId);
    const persistent = current
      ? ((await tx.customerSession.findUnique({ where: { id: current } }))?.persistent ?? true)
      : true;
    const issued = await services.sessions.issue(tx, updated, client, { rememberMe: persistent });
    return { customer: updated, ended, issued };
  });
  for (const id of result.ended) services.sessions.forget(id);
  return result.issued
    ? { customer: result.customer, persistent: result.issued.session.persistent, ...result.issued }
    : {
        customer: result.customer,
        session: null,
        token: null,
        refreshToken: null,
        tokenExpiresAt: null,
        cookieToken: null,
        persistent: true,
      };
}

export const CreateCustomerInput = z.object({
  email: z
    .email()
    .max(254)
    .transform((v) => v.toLowerCase()),
  name: name.nullish(),
  phone: z.string().trim().max(30).nullish(),
});

/**
 * A merchant creates a customer (phone orders, imports): no password, email unverified. The customer
 * claims the account later by signing up with that email and following the mailed link.
 */
export async function createCustomer(scope: Scope, input: unknown) {
  const data = parseInput(CreateCustomerInput, input);
  return withPrismaErrors("customer", () =>
    scope.prisma.$transaction(async (tx) => {
      const customer = await tx.customer.create({
        data: { storeId: scope.storeId, email: data.email, name: data.name ?? null, phone: data.phone ?? null },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customers.create",
        entityType: "customer",
        entityId: customer.id,
        after: publicCustomer(customer),
      });
      return customer;
    }),
  );
}

import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { UnauthorizedError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { parseInput } from "../validation.js";
import { email, name, publicCustomer } from "./customers.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { SessionTokens } from "./sessions.js";
import type { SignInThrottle } from "./throttle.js";

/** What sign-up and sign-in need besides the scope. */
export interface IdentityServices {
  sessions: SessionTokens;
  throttle: SignInThrottle;
}

/** The client a session is started for (shown in session lists, used for throttling). */
export interface ClientInfo {
  userAgent?: string | null;
  ipAddress?: string | null;
}

// Better Auth's defaults, which seed 002's clients are written against.
const password = z.string().min(8, "must be at least 8 characters").max(128, "must be at most 128 characters");

const SignUpInput = z.object({ email, password, name, image: z.url().max(2048).nullish() });
const SignInInput = z.object({ email, password: z.string().min(1).max(128) });

/** Registers a customer in the scope's store and signs them in. */
export async function signUp(scope: Scope, services: IdentityServices, input: unknown, client: ClientInfo = {}) {
  const data = parseInput(SignUpInput, input);
  const passwordHash = await hashPassword(data.password);
  // One account per email and store (a 409). A customer a merchant created (no password) is not
  // claimable by sign-up: that would hand their order history to whoever knows the email.
  return withPrismaErrors("customer", () =>
    scope.prisma.$transaction(async (tx) => {
      const customer = await tx.customer.create({
        data: { storeId: scope.storeId, email: data.email, name: data.name, passwordHash, metadata: data.image ? { image: data.image } : {} },
      });
      const { session, token } = await services.sessions.issue(tx, customer, client);
      const visible = publicCustomer(customer);
      await recordChange(tx, { ...changedBy(scope), event: "customers.create", entityType: "customer", entityId: customer.id, after: visible });
      return { customer, session, token };
    }),
  );
}

/**
 * Checks the password and starts a session. Failed attempts are throttled per (account, address), per
 * address and per account (see SignInThrottle); an address that has had a session of the account before
 * is not slowed down by failures from elsewhere.
 */
export async function signIn(scope: Scope, services: IdentityServices, input: unknown, client: ClientInfo = {}) {
  const data = parseInput(SignInInput, input);
  const attempt = { storeId: scope.storeId, email: data.email, address: client.ipAddress };
  await services.throttle.admit(attempt, async () => {
    if (!client.ipAddress) return false;
    const earlier = await scope.prisma.customerSession.findFirst({
      where: { storeId: scope.storeId, ipAddress: client.ipAddress, customer: { email: data.email } },
      select: { id: true },
    });
    return earlier !== null;
  });
  const customer = await scope.prisma.customer.findUnique({ where: { storeId_email: { storeId: scope.storeId, email: data.email } } });
  if (!(await verifyPassword(customer?.passwordHash, data.password)) || !customer) {
    await services.throttle.failed(attempt);
    throw new UnauthorizedError("Invalid email or password.");
  }
  await services.throttle.succeeded(attempt);
  return scope.prisma.$transaction(async (tx) => {
    const { session, token } = await services.sessions.issue(tx, customer, client);
    await recordChange(tx, {
      ...changedBy({ ...scope, actor: { kind: "customer", id: customer.id, sessionId: session.id, storeId: customer.storeId } }),
      event: "customers.signIn",
      entityType: "customer_session",
      entityId: session.id,
      after: { customerId: customer.id, expiresAt: session.expiresAt, userAgent: session.userAgent, ipAddress: session.ipAddress },
    });
    return { customer, session, token };
  });
}

/** Ends the caller's session; signing out without one is not an error (the client is signed out). */
export async function signOut(scope: Scope, services: IdentityServices): Promise<boolean> {
  if (scope.actor.kind !== "customer") return false;
  const { sessionId } = scope.actor;
  await scope.prisma.$transaction(async (tx) => {
    await services.sessions.revoke(tx, sessionId);
    await recordChange(tx, { ...changedBy(scope), event: "customers.signOut", entityType: "customer_session", entityId: sessionId });
  });
  services.sessions.forget(sessionId);
  return true;
}

/** The caller's session and customer, or null when nobody is signed in. */
export async function currentSession(scope: Scope) {
  if (scope.actor.kind !== "customer") return null;
  const session = await scope.prisma.customerSession.findUnique({ where: { id: scope.actor.sessionId }, include: { customer: true } });
  if (!session || session.revokedAt) return null;
  return { session, customer: session.customer };
}

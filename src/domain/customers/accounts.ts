import { randomUUID } from "node:crypto";
import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { ConflictError, UnauthorizedError, ValidationError } from "../errors.js";
import { queueAuthLinkMail } from "../mail/mail.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { parseInput } from "../validation.js";
import { email, name, publicCustomer } from "./customers.js";
import { checkedCallbackURL, createLink, type LinkSettings } from "./links.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { hashToken, type SessionTokens } from "./sessions.js";
import type { SignInThrottle } from "./throttle.js";

/** What sign-up and sign-in need besides the scope. */
export interface IdentityServices {
  sessions: SessionTokens;
  throttle: SignInThrottle;
  links: LinkSettings;
}

/** The client a session is started for (shown in session lists, used for throttling). */
export interface ClientInfo {
  userAgent?: string | null;
  ipAddress?: string | null;
}

// Better Auth's defaults, which seed 002's clients are written against.
export const password = z.string().min(8, "Password too short").max(128, "Password too long");

export const SignUpInput = z.object({
  email,
  password,
  name,
  image: z.url().max(2048).nullish(),
  rememberMe: z.boolean().nullish(),
  callbackURL: z.string().max(2048).nullish(),
});
export const SignInInput = z.object({ email, password: z.string().min(1).max(128), rememberMe: z.boolean().nullish() });

/**
 * Registers a customer in the scope's store, signs them in and mails a verification link.
 *
 * An email that belongs to a customer a merchant created (no password yet) is claimed, not refused:
 * the password is kept with a claim link mailed to that address, and only following the link (proof of
 * the mailbox) sets it. The answer is then Better Auth's "verify first" body, `{ token: null, user }`,
 * with a user that is not the merchant's record, so the caller learns nothing about that customer.
 */
export async function signUp(scope: Scope, services: IdentityServices, input: unknown, client: ClientInfo = {}) {
  const data = parseInput(SignUpInput, input);
  const callbackURL = checkedCallbackURL(services.links, data.callbackURL, "callbackURL");
  const passwordHash = await hashPassword(data.password);
  return withPrismaErrors("customer", () =>
    scope.prisma.$transaction(async (tx) => {
      const existing = await tx.customer.findUnique({
        where: { storeId_email: { storeId: scope.storeId, email: data.email } },
      });
      if (existing?.passwordHash) throw new ConflictError("User already exists. Use another email.", "email");
      if (existing) {
        const link = await createLink(tx, existing, "claim", { callbackURL, pendingPasswordHash: passwordHash });
        await queueAuthLinkMail(tx, link);
        const now = new Date();
        const stranger = {
          id: randomUUID(),
          storeId: scope.storeId,
          email: data.email,
          name: data.name,
          phone: null,
          emailVerified: false,
          metadata: {},
          createdAt: now,
          updatedAt: now,
        };
        return {
          customer: stranger,
          session: null,
          token: null,
          refreshToken: null,
          tokenExpiresAt: null,
          cookieToken: null,
          persistent: true,
        };
      }
      const customer = await tx.customer.create({
        data: {
          storeId: scope.storeId,
          email: data.email,
          name: data.name,
          passwordHash,
          metadata: data.image ? { image: data.image } : {},
        },
      });
      const issued = await services.sessions.issue(tx, customer, client, { rememberMe: data.rememberMe });
      const link = await createLink(tx, customer, "verify", { callbackURL });
      await queueAuthLinkMail(tx, link);
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customers.create",
        entityType: "customer",
        entityId: customer.id,
        after: publicCustomer(customer),
      });
      return { customer, persistent: issued.session.persistent, ...issued };
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
  const customer = await scope.prisma.customer.findUnique({
    where: { storeId_email: { storeId: scope.storeId, email: data.email } },
  });
  if (!(await verifyPassword(customer?.passwordHash, data.password)) || !customer) {
    await services.throttle.failed(attempt);
    throw new UnauthorizedError("Invalid email or password");
  }
  await services.throttle.succeeded(attempt);
  return scope.prisma.$transaction(async (tx) => {
    const issued = await services.sessions.issue(tx, customer, client, { rememberMe: data.rememberMe });
    const { session } = issued;
    await recordChange(tx, {
      ...changedBy({
        ...scope,
        actor: { kind: "customer", id: customer.id, sessionId: session.id, storeId: customer.storeId },
      }),
      event: "customers.signIn",
      entityType: "customer_session",
      entityId: session.id,
      after: {
        customerId: customer.id,
        expiresAt: session.expiresAt,
        userAgent: session.userAgent,
        ipAddress: session.ipAddress,
      },
    });
    return { customer, persistent: session.persistent, ...issued };
  });
}

/** Ends the caller's session (and so its refresh tokens); signing out without one is not an error. */
export async function signOut(scope: Scope, services: IdentityServices): Promise<boolean> {
  if (scope.actor.kind !== "customer") return false;
  const { sessionId } = scope.actor;
  await scope.prisma.$transaction(async (tx) => {
    await services.sessions.revoke(tx, sessionId);
    await recordChange(tx, {
      ...changedBy(scope),
      event: "customers.signOut",
      entityType: "customer_session",
      entityId: sessionId,
    });
  });
  services.sessions.forget(sessionId);
  return true;
}

/** The caller's session and customer, or null when nobody is signed in. */
export async function currentSession(scope: Scope) {
  if (scope.actor.kind !== "customer") return null;
  const session = await scope.prisma.customerSession.findUnique({
    where: { id: scope.actor.sessionId },
    include: { customer: true },
  });
  if (!session || session.revokedAt) return null;
  return { session, customer: session.customer };
}

export const RefreshInput = z.object({ refreshToken: z.string().min(1).max(200) });

/**
 * Why a refresh is refused, as a field error on `refreshToken` whose code seed 004 clients branch on
 * (REST: 401 with `errorCode` INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED).
 */
function refreshRefused(reason: "INVALID_REFRESH_TOKEN" | "REFRESH_TOKEN_REUSED"): ValidationError {
  return reason === "REFRESH_TOKEN_REUSED"
    ? ValidationError.field(
        "refreshToken",
        "refresh_token_reused",
        "Refresh token already used: the session has been revoked.",
      )
    : ValidationError.field("refreshToken", "invalid_refresh_token", "Invalid or expired refresh token.");
}

/**
 * Trades a refresh token for a new access token and a new refresh token (rotation). A token is good
 * once: presenting a used one means two parties hold it, so the whole family (the session) is revoked
 * and both must sign in again. Signing out, a password reset or a revocation ends the family too.
 */
export async function refreshSession(scope: Scope, services: IdentityServices, input: unknown) {
  const data = parseInput(RefreshInput, input);
  const tokenHash = hashToken(data.refreshToken);
  const outcome = await scope.prisma.$transaction(async (tx) => {
    const row = await tx.customerRefreshToken.findUnique({
      where: { tokenHash },
      include: { session: { include: { customer: true } } },
    });
    if (!row || row.session.storeId !== scope.storeId) return { refused: "INVALID_REFRESH_TOKEN" as const };
    const { session } = row;
    if (session.revokedAt || session.expiresAt <= new Date() || row.expiresAt <= new Date())
      return { refused: "INVALID_REFRESH_TOKEN" as const };
    // The conditional update lets one of two racing uses through; the other is a reuse.
    const used = row.usedAt
      ? 0
      : (
          await tx.customerRefreshToken.updateMany({
            where: { id: row.id, usedAt: null },
            data: { usedAt: new Date() },
          })
        ).count;
    if (used !== 1) {
      await services.sessions.revoke(tx, session.id);
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customers.sessionRevoked",
        entityType: "customer_session",
        entityId: session.id,
        after: { reason: "refresh_token_reused" },
      });
      return { refused: "REFRESH_TOKEN_REUSED" as const, sessionId: session.id };
    }
    const issued = await services.sessions.tokensFor(tx, session);
    return { customer: session.customer, session, persistent: session.persistent, ...issued };
  });
  if ("refused" in outcome && outcome.refused) {
    if ("sessionId" in outcome && outcome.sessionId) services.sessions.forget(outcome.sessionId);
    throw refreshRefused(outcome.refused);
  }
  return outcome;
}

import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { ValidationError } from "../errors.js";
import { queueAuthLinkMail } from "../mail/mail.js";
import type { Scope } from "../scope.js";
import { parseInput } from "../validation.js";
import { type IdentityServices, password } from "./accounts.js";
import { email } from "./customers.js";
import { checkedCallbackURL, consumeLink, createLink, readLink } from "./links.js";
import { hashPassword } from "./passwords.js";

export const RequestResetInput = z.object({ email, redirectTo: z.string().max(2048).nullish() });

/**
 * Mails a password-reset link when the email has an account in the store. The answer is the same
 * whether or not it has (no account discovery), as Better Auth's.
 */
export async function requestPasswordReset(scope: Scope, services: IdentityServices, input: unknown) {
  const data = parseInput(RequestResetInput, input);
  const callbackURL = checkedCallbackURL(services.links, data.redirectTo, "redirectTo");
  await scope.prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findUnique({
      where: { storeId_email: { storeId: scope.storeId, email: data.email } },
    });
    if (!customer) return;
    const link = await createLink(tx, customer, "reset", { callbackURL });
    await queueAuthLinkMail(tx, link);
  });
  return { status: true, message: "If this email exists in our system, check your email for the reset link" };
}

export const ResetInput = z.object({ token: z.string().min(1).max(4096), newPassword: password });

/**
 * Sets a new password with a reset link's token (single use, one hour) and ends every session of the
 * customer, refresh tokens included: whoever knew the old password is signed out. A merchant-created
 * customer who resets their password has proven the mailbox, so their email counts as verified.
 */
export async function resetPassword(scope: Scope, services: IdentityServices, input: unknown) {
  const data = parseInput(ResetInput, input);
  const passwordHash = await hashPassword(data.newPassword);
  const ended = await scope.prisma.$transaction(async (tx) => {
    const link = await consumeLink(tx, services.links.key, data.token, ["reset"]);
    const customer = await tx.customer.findUnique({ where: { id: link.customerId } });
    if (!customer || customer.storeId !== scope.storeId || customer.email !== link.email)
      throw ValidationError.field("token", "invalid_token", "Invalid token");
    await tx.customer.update({ where: { id: customer.id }, data: { passwordHash, emailVerified: true } });
    const ids = await services.sessions.revokeAll(tx, customer.id);
    await recordChange(tx, {
      ...changedBy(scope),
      event: "customers.passwordReset",
      entityType: "customer",
      entityId: customer.id,
      after: { sessionsEnded: ids.length },
    });
    return ids;
  });
  for (const id of ended) services.sessions.forget(id);
  return { status: true };
}

/** Where the reset link of a mail leads: the page of its callbackURL with the token, or with the error. */
export async function passwordResetRedirect(scope: Scope, services: IdentityServices, token: string) {
  const link = await readLink(scope.prisma, services.links.key, token, ["reset"]);
  const valid = typeof link !== "string" && link.storeId === scope.storeId;
  return {
    valid,
    callbackURL: typeof link === "string" ? null : link.callbackURL,
    error: valid ? null : typeof link === "string" ? link : "INVALID_TOKEN",
  };
}

export const SendVerificationInput = z.object({ email, callbackURL: z.string().max(2048).nullish() });

/**
 * Mails a verification link. Signed in, the email must be the caller's and not yet verified (Better
 * Auth's EMAIL_MISMATCH / EMAIL_ALREADY_VERIFIED); signed out, the answer is the same whatever the email.
 */
export async function sendVerificationEmail(scope: Scope, services: IdentityServices, input: unknown) {
  const data = parseInput(SendVerificationInput, input);
  const callbackURL = checkedCallbackURL(services.links, data.callbackURL, "callbackURL");
  await scope.prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findUnique({
      where: { storeId_email: { storeId: scope.storeId, email: data.email } },
    });
    if (scope.actor.kind === "customer") {
      if (customer?.id !== scope.actor.id) throw ValidationError.field("email", "email_mismatch", "Email mismatch");
      if (customer.emailVerified)
        throw ValidationError.field("email", "email_already_verified", "Email is already verified");
    }
    // A merchant-created customer (no password) is claimed by sign-up, which mails its own link.
    if (!customer || customer.emailVerified || !customer.passwordHash) return;
    const link = await createLink(tx, customer, "verify", { callbackURL });
    await queueAuthLinkMail(tx, link);
  });
  return { status: true };
}

const VerifyInput = z.object({ token: z.string().min(1).max(4096) });

/**
 * Verifies an email with a mailed link (single use, one day). A claim link (sign-up for a customer a
 * merchant created) also sets the password chosen at sign-up: the account is the customer's from now on,
 * and any session someone had before ends.
 */
export async function verifyEmail(scope: Scope, services: IdentityServices, input: unknown) {
  const data = parseInput(VerifyInput, input);
  const result = await scope.prisma.$transaction(async (tx) => {
    const link = await consumeLink(tx, services.links.key, data.token, ["verify", "claim"]);
    const customer = await tx.customer.findUnique({ where: { id: link.customerId } });
    if (!customer || customer.storeId !== scope.storeId || customer.email !== link.email)
      throw ValidationError.field("token", "invalid_token", "Invalid token");
    if (link.purpose === "claim") {
      // Claimed once: a second claim link of the same email, used later, does not reset the password.
      if (customer.passwordHash) throw ValidationError.field("token", "invalid_token", "Invalid token");
      const claimed = await tx.customer.update({
        where: { id: customer.id },
        data: { passwordHash: link.pendingPasswordHash, emailVerified: true },
      });
      const ended = await services.sessions.revokeAll(tx, customer.id);
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customers.claimed",
        entityType: "customer",
        entityId: customer.id,
        after: { emailVerified: true },
      });
      return { customer: claimed, ended, callbackURL: link.callbackURL };
    }
    const verified = customer.emailVerified
      ? customer
      : await tx.customer.update({ where: { id: customer.id }, data: { emailVerified: true } });
    if (!customer.emailVerified) {
      await recordChange(tx, {
        ...changedBy(scope),
        event: "customers.update",
        entityType: "customer",
        entityId: customer.id,
        after: { emailVerified: true },
      });
    }
    return { customer: verified, ended: [] as string[], callbackURL: link.callbackURL };
  });
  for (const id of result.ended) services.sessions.forget(id);
  return { status: true, callbackURL: result.callbackURL };
}

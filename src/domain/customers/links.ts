import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { CustomerAuthLink, Prisma } from "../../generated/prisma/client.js";
import { ValidationError } from "../errors.js";

export type LinkPurpose = "reset" | "verify" | "claim";

/** Short-lived: an hour to reset a password (Better Auth's default), a day to verify an email. */
const LINK_TTL_SECONDS: Record<LinkPurpose, number> = { reset: 60 * 60, verify: 24 * 60 * 60, claim: 24 * 60 * 60 };
const ISSUER = "cartograph:link";

/** What signing and addressing links needs: the key, our public URL, and where a callbackURL may lead. */
export interface LinkSettings {
  key: Uint8Array;
  /** Absolute base of links in mails (PUBLIC_URL), never the request's Host header. */
  publicUrl: string;
  /** Origins a callbackURL may point at besides relative paths (ours and CORS_ORIGINS). */
  allowedOrigins: readonly string[];
}

/** A callbackURL we may redirect to: a relative path, or an absolute URL on one of our origins; else a 422. */
export function checkedCallbackURL(
  settings: LinkSettings,
  value: string | null | undefined,
  field: string,
): string | null {
  if (!value) return null;
  if (value.startsWith("/") && !value.startsWith("//") && !value.includes("\\")) return value;
  let origin: string;
  try {
    origin = new URL(value).origin;
  } catch {
    throw ValidationError.field(field, "invalid_redirect_url", "Invalid callbackURL");
  }
  const own = new URL(settings.publicUrl).origin;
  if (origin !== own && !settings.allowedOrigins.includes(origin))
    throw ValidationError.field(field, "invalid_redirect_url", "Invalid callbackURL");
  return value;
}

/** Creates the row of a link (in the caller's transaction); queue its mail with queueAuthLinkMail. */
export function createLink(
  db: Pick<Prisma.TransactionClient, "customerAuthLink">,
  customer: { id: string; storeId: string; email: string },
  purpose: LinkPurpose,
  options: { callbackURL?: string | null; pendingPasswordHash?: string } = {},
) {
  return db.customerAuthLink.create({
    data: {
      storeId: customer.storeId,
      customerId: customer.id,
      email: customer.email,
      purpose,
      callbackURL: options.callbackURL ?? null,
      pendingPasswordHash: options.pendingPasswordHash ?? null,
      expiresAt: new Date(Date.now() + LINK_TTL_SECONDS[purpose] * 1000),
    },
  });
}

/** The signed token of a link: a JWT naming its row (single use) and purpose, expiring with it. */
export function linkToken(key: Uint8Array, link: CustomerAuthLink): Promise<string> {
  return new SignJWT({ purpose: link.purpose })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setJti(link.id)
    .setSubject(link.customerId)
    .setIssuedAt(Math.floor(link.createdAt.getTime() / 1000))
    .setExpirationTime(Math.floor(link.expiresAt.getTime() / 1000))
    .sign(key);
}

/** The URL a mail carries: Better Auth's paths, so its clients' pages work unchanged. */
export function linkUrl(settings: LinkSettings, link: CustomerAuthLink, token: string): string {
  const base = settings.publicUrl.replace(/\/+$/, "");
  const callback = encodeURIComponent(link.callbackURL ?? "");
  return link.purpose === "reset"
    ? `${base}/api/auth/reset-password/${token}?callbackURL=${callback}`
    : `${base}/api/auth/verify-email?token=${token}${link.callbackURL ? `&callbackURL=${callback}` : ""}`;
}

/** Why a link token is refused, as Better Auth names it. */
export type LinkProblem = "INVALID_TOKEN" | "TOKEN_EXPIRED";

/** The row a token names when it is ours, of one of `purposes`, unused and unexpired; else the problem. */
export async function readLink(
  db: Pick<Prisma.TransactionClient, "customerAuthLink">,
  key: Uint8Array,
  token: string,
  purposes: readonly LinkPurpose[],
): Promise<CustomerAuthLink | LinkProblem> {
  let jti: string | undefined;
  try {
    ({
      payload: { jti },
    } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ["HS256"] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return "TOKEN_EXPIRED";
    if (error instanceof joseErrors.JOSEError) return "INVALID_TOKEN";
    throw error;
  }
  if (!jti) return "INVALID_TOKEN";
  const link = await db.customerAuthLink.findUnique({ where: { id: jti } });
  if (!link || !purposes.includes(link.purpose as LinkPurpose) || link.usedAt) return "INVALID_TOKEN";
  if (link.expiresAt <= new Date()) return "TOKEN_EXPIRED";
  return link;
}

/** Uses a link once: the conditional update lets exactly one of two racing requests through. */
export async function consumeLink(
  db: Pick<Prisma.TransactionClient, "customerAuthLink">,
  key: Uint8Array,
  token: string,
  purposes: readonly LinkPurpose[],
): Promise<CustomerAuthLink> {
  const link = await readLink(db, key, token, purposes);
  if (typeof link === "string") throw linkError(link);
  const used = await db.customerAuthLink.updateMany({
    where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (used.count !== 1) throw linkError("INVALID_TOKEN");
  return link;
}

export function linkError(problem: LinkProblem): ValidationError {
  return ValidationError.field(
    "token",
    problem === "TOKEN_EXPIRED" ? "token_expired" : "invalid_token",
    problem === "TOKEN_EXPIRED" ? "Token expired" : "Invalid token",
  );
}

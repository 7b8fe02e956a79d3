import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed paths: a URL path that carries its own expiry and an HMAC-SHA256 over the path and that
 * expiry, so the server that issued it can later verify it without storing anything. Used for media
 * content and meant for any other time-limited link (digital downloads).
 *
 *   signPath(key, "/api/media/<id>/content", expiresAt)
 *     -> "/api/media/<id>/content?expires=1767225600&signature=<64 hex>"
 *
 * The signature covers the path, so a link cannot be moved to another resource, and the expiry, so it
 * cannot be extended. Give each use its own key (AppSecrets.key(purpose)) so links of one purpose are
 * never valid for another.
 */

const EXPIRES = /^\d{1,12}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function mac(key: Uint8Array, path: string, expires: string): Buffer {
  // A newline cannot occur in a path we sign, so "path + expiry" has one reading.
  return createHmac("sha256", key).update(`${path}\n${expires}`).digest();
}

function assertSignablePath(path: string): void {
  if (!path.startsWith("/") || /[?#\s]/.test(path)) {
    throw new Error(`Cannot sign "${path}": expected an absolute path without query, fragment or whitespace.`);
  }
}

/**
 * `path?expires=<unix seconds>&signature=<hex HMAC-SHA256 over path and expiry>`; the expiry is
 * `expiresAt` rounded down to the second.
 */
export function signPath(key: Uint8Array, path: string, expiresAt: Date): string {
  assertSignablePath(path);
  const expires = String(Math.floor(expiresAt.getTime() / 1000));
  return `${path}?expires=${expires}&signature=${mac(key, path, expires).toString("hex")}`;
}

/**
 * Whether `signature` was issued by `signPath(key, path, ...)` for `expires` and `now` is before that
 * expiry. Malformed input is simply false; the comparison is constant-time.
 */
export function verifySignedPath(
  key: Uint8Array,
  path: string,
  expires: string | number | null | undefined,
  signature: string | null | undefined,
  now: Date,
): boolean {
  const expiresText = typeof expires === "number" ? String(expires) : expires;
  if (!expiresText || !EXPIRES.test(expiresText) || !signature || !SIGNATURE.test(signature)) return false;
  assertSignablePath(path);
  const expected = mac(key, path, expiresText);
  const given = Buffer.from(signature, "hex");
  // Check the signature before the clock, and always compare: the time taken says nothing about the key.
  const authentic = timingSafeEqual(expected, given);
  return authentic && now.getTime() < Number(expiresText) * 1000;
}

import { hash, verify } from "@node-rs/argon2";

/**
 * Argon2id (memory-hard, OWASP's first choice) with the library's defaults (19 MiB, 2 passes), hashed
 * on libuv's thread pool so a sign-in never blocks the event loop. The PHC string carries its own
 * parameters, so raising them later leaves older hashes verifiable.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when the email is unknown, so an unknown email costs the same time as a wrong password.
const DECOY = hash("cartograph-decoy-password");

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await DECOY, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

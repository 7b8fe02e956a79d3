import { hkdfSync, randomBytes } from "node:crypto";
import type { Db } from "./db.js";

/**
 * The server's signing keys (session tokens, signed URLs), derived from one master secret: APP_SECRET
 * when configured, else a random secret generated on first start and kept in the database, so an
 * embedded install needs no setup and its sessions and links survive a restart.
 */
export class AppSecrets {
  private readonly keys = new Map<string, Uint8Array>();

  private constructor(private readonly master: Buffer) {}

  static async load(prisma: Db, configured: string | undefined): Promise<AppSecrets> {
    if (configured) return new AppSecrets(Buffer.from(configured, "utf8"));
    const generated = randomBytes(32).toString("base64url");
    // Two instances starting together agree: the first insert wins and both read it back.
    // (ON CONFLICT DO NOTHING: an upsert with nothing to update reads, then inserts, and can race.)
    await prisma.appSecret.createMany({ data: [{ name: "master", value: generated }], skipDuplicates: true });
    const row = await prisma.appSecret.findUniqueOrThrow({ where: { name: "master" } });
    return new AppSecrets(Buffer.from(row.value, "utf8"));
  }

  /** A 256-bit key for one purpose; keys for different purposes are independent (HKDF-SHA256). */
  key(purpose: "session" | "signed-url" | "cursor" | "auth-link" | "deployment"): Uint8Array {
    // Derived once per purpose: signed-URL keys are asked for on request paths.
    let key = this.keys.get(purpose);
    if (!key)
      this.keys.set(
        purpose,
        (key = new Uint8Array(hkdfSync("sha256", this.master, Buffer.alloc(0), `cartograph:${purpose}`, 32))),
      );
    return key;
  }

  /**
   * A short public name of this deployment (every instance of it shares the secret): what it keeps in a
   * Redis shared with other deployments is kept under it, so their counters never mix.
   */
  deploymentId(): string {
    return Buffer.from(this.key("deployment")).subarray(0, 8).toString("hex");
  }
}

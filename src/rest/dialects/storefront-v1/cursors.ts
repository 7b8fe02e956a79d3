import { createHmac, timingSafeEqual } from "node:crypto";
import { ValidationError } from "../../../domain/errors.js";

/** 128 bits of HMAC-SHA256: plenty against forgery, and the cursor stays short. */
const TAG_BYTES = 16;
/** Room for a keyset cursor of GraphQL's (graphql/cursors.ts) whose order key is a 200-character name. */
const MAX_CURSOR_LENGTH = 4096;

/**
 * Seed 000's opaque cursors: the connection's own cursor and the list it belongs to, signed with the
 * server's cursor key (AppSecrets, HKDF per purpose). A client cannot make one up, edit one, or take one
 * from one list to another: anything but a cursor we issued for this list is a 400 on `cursor`.
 */
export class CursorSigner {
  constructor(private readonly key: Uint8Array) {}

  sign(list: string, after: string): string {
    const body = Buffer.from(JSON.stringify({ l: list, a: after })).toString("base64url");
    return `${body}.${this.tag(body).toString("base64url")}`;
  }

  /** The connection cursor inside a cursor issued for `list`; a ValidationError on `cursor` otherwise. */
  verify(list: string, cursor: string): string {
    const [body, tag, extra] = cursor.split(".");
    if (body && tag && extra === undefined && cursor.length <= MAX_CURSOR_LENGTH) {
      const given = Buffer.from(tag, "base64url");
      const expected = this.tag(body);
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        const decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { l?: unknown; a?: unknown };
        if (decoded.l === list && typeof decoded.a === "string") return decoded.a;
      }
    }
    throw ValidationError.field(
      "cursor",
      "invalid_cursor",
      "The cursor is not one this list issued; start again without it.",
    );
  }

  private tag(body: string): Buffer {
    return createHmac("sha256", this.key).update(body).digest().subarray(0, TAG_BYTES);
  }
}

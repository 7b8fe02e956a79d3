import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ValidationError } from "../domain/errors.js";
import { INPUT_LIMITS } from "../domain/validation.js";
import type { AppSecrets } from "../infra/secrets.js";

/**
 * Connection cursors: `base64url(JSON payload).base64url(tag)`, the tag 128 bits of HMAC-SHA256 over the
 * list's identity and the payload. Clients cannot read meaning into them, make one up, edit one, or carry
 * one from one list to another: anything else is the field error `invalid_cursor` on after/before.
 *
 * - keyset `["k", [orderValue..., id]]`: the row's position in a total order (top-level lists);
 * - offset `["o", n]`: the n-th row (lists that have no stable order to seek in: search by relevance,
 *   and lists planned into their parent's query);
 * - page `["p", n]`: the boundary before the n-th row, which REST's page numbers jump to (`pageCursor`).
 *
 * Keyset and offset cursors are signed with a key derived from AppSecrets (APP_SECRET or the database's
 * generated master), which every process of a deployment shares, and the list they belong to (type,
 * field and order) is part of what is signed, not of the payload. Page cursors never leave the process:
 * REST makes one and runs the GraphQL field in the same process, so they are signed with a key of the
 * process alone and are valid on any list.
 */
export type CursorPosition =
  | { kind: "keyset"; values: unknown[] }
  | { kind: "offset"; offset: number }
  | { kind: "page"; offset: number };

const TAG_BYTES = 16;
/** Longer than any cursor we issue (keys are short columns); checked before any hashing. */
const MAX_CURSOR_LENGTH = 4096;

const PAGE_KEY = randomBytes(32);
const listKeys = new WeakMap<AppSecrets, Buffer>();

/** The key of GraphQL's cursors: independent of the storefront dialect's cursor signing (same purpose key). */
function listKey(secrets: AppSecrets): Buffer {
  let key = listKeys.get(secrets);
  if (!key) {
    key = createHmac("sha256", secrets.key("cursor")).update("cartograph:graphql-connection-cursor").digest();
    listKeys.set(secrets, key);
  }
  return key;
}

const tag = (key: Buffer, list: string, body: string) =>
  createHmac("sha256", key).update(list).update("\n").update(body).digest().subarray(0, TAG_BYTES);

function seal(key: Buffer, list: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${tag(key, list, body).toString("base64url")}`;
}

/** The payload of a well-formed cursor, its tag not checked; undefined when it is not one. */
function bodyOf(cursor: string): { body: string; tag: Buffer; payload: unknown } | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH) return undefined;
  const [body, given, extra] = cursor.split(".");
  if (!body || !given || extra !== undefined) return undefined;
  try {
    return {
      body,
      tag: Buffer.from(given, "base64url"),
      payload: JSON.parse(Buffer.from(body, "base64url").toString("utf8")),
    };
  } catch {
    return undefined;
  }
}

const isOffset = (n: unknown): n is number =>
  Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= INPUT_LIMITS.offset;

function positionOf(payload: unknown): CursorPosition | undefined {
  if (!Array.isArray(payload) || payload.length !== 2) return undefined;
  const [kind, value] = payload;
  if (kind === "k" && Array.isArray(value)) return { kind: "keyset", values: value.map(decodeValue) };
  if (kind === "o" && isOffset(value)) return { kind: "offset", offset: value };
  if (kind === "p" && isOffset(value)) return { kind: "page", offset: value };
  return undefined;
}

/** Order-key values in JSON: dates as `{ d: epoch ms }` (columns keep milliseconds). */
function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return { d: value.getTime() };
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value;
  throw new Error(`A keyset cursor cannot hold a ${typeof value} order key.`);
}

function decodeValue(value: unknown): unknown {
  return value !== null && typeof value === "object" && "d" in value ? new Date((value as { d: number }).d) : value;
}

export const invalidCursor = (field: "after" | "before") =>
  ValidationError.field(field, "invalid_cursor", "The cursor is not valid for this list.");

/** Signs and verifies the cursors of one list (`Query.orders|createdAt:desc,id:desc`, `Customer.orders`). */
export class ListCursors {
  private readonly key: Buffer;

  constructor(
    secrets: AppSecrets,
    readonly list: string,
  ) {
    this.key = listKey(secrets);
  }

  keyset(values: unknown[]): string {
    return seal(this.key, this.list, ["k", values.map(encodeValue)]);
  }

  offset(offset: number): string {
    return seal(this.key, this.list, ["o", offset]);
  }

  /** The position a cursor of this list (or a page cursor) stands for; `invalid_cursor` on `field` otherwise. */
  read(field: "after" | "before", cursor: string): CursorPosition {
    const parts = bodyOf(cursor);
    const position = parts && positionOf(parts.payload);
    if (parts && position) {
      const expected = position.kind === "page" ? tag(PAGE_KEY, "", parts.body) : tag(this.key, this.list, parts.body);
      if (parts.tag.length === expected.length && timingSafeEqual(parts.tag, expected)) return position;
    }
    throw invalidCursor(field);
  }
}

/**
 * The boundary before the `offset`-th row, for REST's page numbers (page 3 of 20 is pageCursor(40)): valid
 * on every list, in this process only.
 */
export function pageCursor(offset: number): string {
  if (!isOffset(offset)) throw new RangeError(`Offset ${offset} is out of range.`);
  return seal(PAGE_KEY, "", ["p", offset]);
}

/**
 * What an offset or page cursor claims, unverified: lists planned into their parent's query choose their
 * rows before their resolver (which has the context to verify the cursor, and refuses it then) runs.
 */
export function peekOffset(cursor: string): CursorPosition | undefined {
  const position = positionOf(bodyOf(cursor)?.payload);
  return position?.kind === "keyset" ? undefined : position;
}

import { z } from "zod";
import { type FieldError, ValidationError } from "./errors.js";

/** Parses domain input, turning every problem into a field-level VALIDATION_FAILED. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

export const slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and single dashes");

export const uuid = z.uuid({ message: "must be a UUID" });

/**
 * Input limits every transport enforces before a service runs (graphql/input-limits.ts, the REST
 * executor), so that no input can reach PostgreSQL in a shape it rejects (NUL) or at a size nobody needs.
 */
export const INPUT_LIMITS = {
  /** Any text input: the longest free text we keep is a description of 20,000 characters. */
  textLength: 20_000,
  /** Ids are UUIDs, slugs (120) or order numbers. */
  idLength: 255,
  /** A JSON object input (metadata, an address), serialized as UTF-8. */
  jsonBytes: 16 * 1024,
  /** Nesting of any JSON value, a request body or a variable. */
  depth: 32,
  /** An offset into a list (a page or a cursor): GraphQL's Int range. */
  offset: 2 ** 31 - 1,
} as const;

type Path = readonly (string | number)[];

/** A problem of a client's value, with its path as segments (FieldError joins them). */
export interface InputProblem {
  path: Path;
  code: "invalid_characters" | "too_deep" | "too_big";
  message: string;
  /** too_big: the limit (characters, or bytes for JSON). */
  max?: number;
}

export function toFieldError({ path, ...problem }: InputProblem): FieldError {
  return { path: path.join("."), ...problem };
}

export function nulProblem(path: Path): InputProblem {
  return { path, code: "invalid_characters", message: "Must not contain NUL (U+0000) characters." };
}

/**
 * The first problem of a JSON value that no transport accepts: NUL in a string or key (PostgreSQL
 * rejects it in text and jsonb), or nesting deeper than `maxDepth` below `path`.
 */
export function unsafeJsonProblem(
  value: unknown,
  path: Path = [],
  maxDepth: number = INPUT_LIMITS.depth,
): InputProblem | null {
  // Iterative, so a value nested 10,000 deep costs no stack.
  const pending: { value: unknown; path: Path }[] = [{ value, path }];
  while (pending.length) {
    const item = pending.pop()!;
    if (typeof item.value === "string") {
      if (item.value.includes("\u0000")) return nulProblem(item.path);
      continue;
    }
    if (typeof item.value !== "object" || item.value === null) continue;
    if (item.path.length - path.length >= maxDepth) {
      return { path: item.path, code: "too_deep", message: `Must not be nested deeper than ${maxDepth} levels.` };
    }
    const isList = Array.isArray(item.value);
    for (const [key, child] of Object.entries(item.value)) {
      const childPath = [...item.path, isList ? Number(key) : key];
      if (key.includes("\u0000")) return nulProblem(childPath);
      pending.push({ value: child, path: childPath });
    }
  }
  return null;
}

/** A JSON object input over INPUT_LIMITS.jsonBytes (call after unsafeJsonProblem: it bounds the nesting). */
export function oversizedJsonProblem(value: unknown, path: Path = []): InputProblem | null {
  if (Buffer.byteLength(JSON.stringify(value) ?? "") <= INPUT_LIMITS.jsonBytes) return null;
  return {
    path,
    code: "too_big",
    message: `Must be at most ${INPUT_LIMITS.jsonBytes} bytes as JSON.`,
    max: INPUT_LIMITS.jsonBytes,
  };
}

/** Arbitrary JSON a client attaches to a record: an object without NUL, of at most INPUT_LIMITS.jsonBytes. */
export const metadata = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const problem = unsafeJsonProblem(value) ?? oversizedJsonProblem(value);
  if (problem) ctx.addIssue({ code: "custom", path: [...problem.path], message: problem.message });
});

export const locale = z
  .string()
  // RFC 5646's recommended buffer: a tag's length is otherwise unbounded, and it is part of a unique index.
  .max(35)
  .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 locale such as en or pt-BR");

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** An optional id filter: absent, or a UUID; anything else is VALIDATION_FAILED (the REST documents say UUID). */
export function uuidFilter(field: string, value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  if (!isUuid(value)) throw ValidationError.field(field, "invalid_uuid", `${field} must be a UUID.`);
  return value;
}

/** Turns a name into a slug candidate ("Blue Widgets!" -> "blue-widgets"). */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120);
}

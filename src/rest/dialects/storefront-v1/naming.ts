/**
 * Seed 000's names at the edge: snake_case JSON, and a few fields the seed calls otherwise than our
 * schema does. One table serves both directions: request bodies become our input, and the paths of
 * field errors go back to the names the client sent.
 */
const RENAMED: Record<string, string> = {
  product_id: "entityId",
  line_item_id: "lineId",
  coupons: "promotionCodes",
  collection_id: "categoryId",
};
const RENAMED_BACK = Object.fromEntries(Object.entries(RENAMED).map(([dialect, ours]) => [ours, dialect]));

/** Values that are the client's own JSON (metadata): their keys are never renamed. */
const FREE_FORM = new Set(["metadata"]);

export const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const camelToSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** One field name of the dialect -> ours. */
export const ourName = (name: string) => RENAMED[name] ?? snakeToCamel(name);
/** One field name of ours -> the dialect's. */
export const dialectName = (name: string) => RENAMED_BACK[name] ?? camelToSnake(name);

function renameKeys(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (!value || typeof value !== "object" || value instanceof File) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [rename(key), FREE_FORM.has(key) ? child : renameKeys(child, rename)]),
  );
}

/** A request body in the dialect's names -> our input (keys only; metadata is left as sent). */
export const toOurInput = (body: Record<string, unknown>) => renameKeys(body, ourName) as Record<string, unknown>;

/** Any of our JSON (addresses, error details) -> the dialect's names. */
export const toDialectKeys = <T>(value: T): T => renameKeys(value, dialectName) as T;

/** A field error's path (`items.0.lineId`) -> the dialect's (`items.0.line_item_id`). */
export const toDialectPath = (path: string) =>
  path
    .split(".")
    .map((segment) => (/^\d+$/.test(segment) ? segment : dialectName(segment)))
    .join(".");

import { ConflictError, DomainError, NotFoundError } from "./errors.js";

interface DriverCause {
  kind?: string;
  code?: string;
  originalCode?: string;
  detail?: string;
  constraint?: { fields?: string[]; index?: string };
  table?: string;
}

/**
 * Field names from a unique index's name. `@prisma/adapter-pg` 7 reports a unique violation by index
 * only (`store_slug_key`, `catalog_entity_storeId_slug_key`) plus the table; Prisma names unique
 * indexes `<table>_<columns joined by _>_key`, and our columns are camelCase (no underscores), so the
 * columns are what is left between the table prefix and `_key`. Without a table, the columns start at
 * the first camelCase part, else the last part is the one column.
 */
export function fieldsFromIndexName(index: string, table?: string): string[] | undefined {
  const match = /^(.*)_key$/.exec(index);
  if (!match?.[1]) return undefined;
  let columns = match[1];
  if (table && columns.startsWith(`${table}_`)) columns = columns.slice(table.length + 1);
  else {
    const parts = columns.split("_");
    const first = parts.findIndex((part) => /[A-Z]/.test(part));
    columns = (first >= 0 ? parts.slice(first) : parts.slice(-1)).join("_");
  }
  const fields = columns.split("_").filter(Boolean);
  return fields.length ? fields : undefined;
}

/** Prisma's error code, or the PostgreSQL SQLSTATE a driver adapter passed through unmapped (PGlite does). */
function classify(error: object): { kind: "unique" | "foreignKey" | "missing" | "other"; fields?: string[] } {
  const code = (error as { code?: unknown }).code;
  const meta = (error as { meta?: { target?: unknown; driverAdapterError?: { cause?: DriverCause } } }).meta;
  const cause: DriverCause | undefined = (error as { cause?: DriverCause }).cause ?? meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? cause?.code;
  if (code === "P2002" || cause?.kind === "UniqueConstraintViolation" || sqlState === "23505") {
    const target = meta?.target;
    const fields =
      cause?.constraint?.fields ??
      (Array.isArray(target) ? target.map(String) : undefined) ??
      (cause?.constraint?.index ? fieldsFromIndexName(cause.constraint.index, cause.table) : undefined) ??
      /Key \(([^)]+)\)=/
        .exec(cause?.detail ?? "")?.[1]
        ?.split(",")
        .map((f) => f.trim());
    return { kind: "unique", fields: fields?.map((f) => f.replace(/"/g, "")) };
  }
  if (code === "P2003" || cause?.kind === "ForeignKeyConstraintViolation" || sqlState === "23503")
    return { kind: "foreignKey" };
  if (code === "P2025") return { kind: "missing" };
  return { kind: "other" };
}

/**
 * Translates the database errors that are business outcomes (unique violation, missing row, foreign
 * key) into domain errors, so a duplicate slug is a 409 and never a 500.
 */
export function translatePrismaError(error: unknown, resource: string): unknown {
  if (error instanceof DomainError || typeof error !== "object" || error === null) return error;
  const { kind, fields } = classify(error);
  if (kind === "unique") {
    const named = (fields ?? []).filter((f) => f !== "storeId" && f !== "entityId" && f !== "optionTypeId");
    const target = named.length ? named.join(", ") : undefined;
    return new ConflictError(`A ${resource} with this ${target ?? "value"} already exists.`, target);
  }
  if (kind === "missing") return new NotFoundError(resource);
  if (kind === "foreignKey") return new ConflictError(`The ${resource} is referenced by or refers to another record.`);
  return error;
}

/** Runs a write and rethrows the database's business errors as domain errors. */
export async function withPrismaErrors<T>(resource: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translatePrismaError(error, resource);
  }
}

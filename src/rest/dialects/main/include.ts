import { ValidationError } from "../../../domain/errors.js";

export const INCLUDABLE = ["attributes", "variants", "categories", "brands", "media", "inventory", "pricing"] as const;

/** `include=attributes,variants` -> `{ withAttributes: true, withVariants: true }`; unknown names are a 422. */
export function includeVariables(include: string | undefined): Record<string, boolean> {
  const variables: Record<string, boolean> = {};
  for (const name of (include ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(INCLUDABLE as readonly string[]).includes(name)) {
      throw ValidationError.field(
        "include",
        "invalid_value",
        `Unknown include "${name}"; expected any of ${INCLUDABLE.join(", ")}.`,
      );
    }
    variables[`with${name[0]!.toUpperCase()}${name.slice(1)}`] = true;
  }
  return variables;
}

/** `sort=createdAt:desc,slug` -> `[{ field: "createdAt", direction: "desc" }, { field: "slug", direction: "asc" }]`. */
export function sortVariable(sort: string | undefined, fields: readonly string[]) {
  if (!sort) return undefined;
  return sort.split(",").map((part) => {
    const [field = "", direction = "asc"] = part.trim().split(":");
    if (!fields.includes(field)) {
      throw ValidationError.field(
        "sort",
        "invalid_value",
        `Cannot sort by "${field}"; expected one of ${fields.join(", ")}.`,
      );
    }
    if (direction !== "asc" && direction !== "desc") {
      throw ValidationError.field("sort", "invalid_value", `Sort direction must be asc or desc, not "${direction}".`);
    }
    return { field, direction };
  });
}

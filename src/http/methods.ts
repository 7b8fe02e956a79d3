/** Methods in the order an `Allow` header lists them. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

interface RegisteredRoute {
  method: string;
  path: string;
}

/**
 * Which methods the app answers on a path, from its registered routes: a known path asked with another
 * method is 405 with `Allow`, not 404, and OPTIONS lists them. GET routes answer HEAD too (Hono runs
 * HEAD as GET), and every known path answers OPTIONS.
 */
export class RouteMethods {
  private table: { method: string; pattern: RegExp }[] | undefined;

  /** `routes` is read on first use, once every route is registered (Hono's `app.routes`). */
  constructor(private readonly routes: () => readonly RegisteredRoute[]) {}

  allowed(path: string): string[] | null {
    this.table ??= this.routes()
      .filter((route) => (METHODS as readonly string[]).includes(route.method))
      .map((route) => ({ method: route.method, pattern: patternOf(route.path) }));
    const methods = new Set(this.table.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (!methods.size) return null;
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    return METHODS.filter((method) => methods.has(method));
  }
}

/** A Hono route path (`/api/orders/:id`, `/assets/*`) as a regular expression over request paths. */
function patternOf(path: string): RegExp {
  const escaped = path
    .split(/(:\w+|\*)/)
    .map((part) => (part === "*" ? ".*" : part.startsWith(":") ? "[^/]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}/?$`);
}

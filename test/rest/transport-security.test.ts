import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../src/app.js";
import type { Logger } from "../../src/infra/logger.js";
import { ADMIN_KEY, type Sent, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";

const TRUSTED = "https://shop.example";
const FOREIGN = "https://evil.example";
const OWN = "http://localhost";
const MB = 1024 * 1024;

const t = useTestApp({ trustedOrigins: [TRUSTED] });

interface LogEntry {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/** The same database and secrets, other settings: 5 requests a minute; production with a captured log. */
let limited: App;
let production: App;
const log: LogEntry[] = [];

beforeAll(async () => {
  limited = await buildApp({ ...t.app.config, rateLimitPerMinute: 5 }, { db: t.app.db });
  const capture =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void log.push({ level, message, fields });
  const logger: Logger = {
    debug: capture("debug"),
    info: capture("info"),
    warn: capture("warn"),
    error: capture("error"),
  };
  production = await buildApp({ ...t.app.config, production: true }, { db: t.app.db, logger });
});
afterAll(async () => {
  await limited?.stop();
  await production?.stop();
});

async function send(
  app: App,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: BodyInit } = {},
): Promise<Sent> {
  const response = await app.fetch(
    new Request(`http://localhost${path}`, { method, headers: init.headers, body: init.body }),
  );
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

function accessControlHeaders(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith("access-control-"));
}

/** A JWT with a session token's header and a payload of our choosing, signed by nobody. */
function forgedToken(realToken: string, claims: Record<string, unknown>): string {
  const [header] = realToken.split(".");
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${Buffer.from("not the signature").toString("base64url")}`;
}

describe("rate limits per verified caller", () => {
  it("counts a forged bearer token against the client's address, never against signed-in customers", async () => {
    const customer = await signUp(t);
    const other = await signUp(t);
    const forged = { authorization: `Bearer ${forgedToken(customer.token, { sub: customer.id, sid: "forged" })}` };
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await send(limited, "GET", "/api/me/profile", { headers: forged })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // The address that sent them has used its window, for anonymous requests too...
    const anonymous = await send(limited, "GET", "/api/health");
    expect(anonymous.status).toBe(429);
    expect(anonymous.body.error.code).toBe("TOO_MANY_REQUESTS");
    // ...but every verified caller has a bucket of its own.
    const bearer = await send(limited, "GET", "/api/me/profile", {
      headers: { authorization: `Bearer ${customer.token}` },
    });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get("x-ratelimit-remaining")).toBe("4");
    expect((await send(limited, "GET", "/api/me/profile", { headers: { cookie: other.cookie } })).status).toBe(200);
    const key = await t.createKey(["catalog:read"]);
    expect((await send(limited, "GET", "/api/health", { headers: { "x-api-key": key } })).status).toBe(200);
  });

  it("gives a customer one bucket across sessions, apart from other customers", async () => {
    const customer = await signUp(t);
    const other = await signUp(t);
    const second = await t.request("POST", "/api/auth/sign-in/email", {
      key: null,
      body: { email: customer.email, password: "correct horse battery" },
    });
    expect(second.status).toBe(200);
    const sessions = [customer.token, second.body.token as string];
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const token = sessions[i % 2]!;
      statuses.push(
        (await send(limited, "GET", "/api/me/profile", { headers: { authorization: `Bearer ${token}` } })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(
      (await send(limited, "GET", "/api/me/profile", { headers: { authorization: `Bearer ${other.token}` } })).status,
    ).toBe(200);
  });
});

describe("CORS only for our own and trusted origins", () => {
  const origins = { none: undefined, own: OWN, trusted: TRUSTED, foreign: FOREIGN } as const;
  const requests = {
    "GET /graphql": { method: "GET", path: `/graphql?query=${encodeURIComponent("{ __typename }")}`, status: 200 },
    "POST /graphql": { method: "POST", path: "/graphql", body: { query: "{ __typename }" }, status: 200 },
    "GET /api": { method: "GET", path: "/api/catalog/entities", status: 200 },
    "POST /api": {
      method: "POST",
      path: "/api/catalog/entities",
      body: { type: "product", slug: "cors" },
      status: 401,
    },
  } as const;

  for (const [kind, origin] of Object.entries(origins)) {
    for (const [name, request] of Object.entries(requests)) {
      it(`${name} from ${kind} origin`, async () => {
        const res = await t.request(request.method, request.path, {
          key: null,
          headers: origin ? { origin } : {},
          ...("body" in request ? { body: request.body } : {}),
        });
        // A keyless browser mutation from another site is refused outright (the CSRF check).
        expect(res.status).toBe(kind === "foreign" && request.method === "POST" ? 403 : request.status);
        if (kind === "own" || kind === "trusted") {
          expect(res.headers.get("access-control-allow-origin")).toBe(origin);
          expect(res.headers.get("access-control-allow-credentials")).toBe("true");
          expect(res.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
        } else {
          expect(accessControlHeaders(res.headers)).toEqual([]);
        }
        expect(res.headers.get("vary")).toContain("Origin");
      });
    }
    for (const path of ["/graphql", "/api/catalog/entities"]) {
      it(`OPTIONS ${path} (preflight) from ${kind} origin`, async () => {
        const res = await t.request("OPTIONS", path, {
          key: null,
          headers: {
            ...(origin ? { origin } : {}),
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
        });
        expect(res.status).toBe(204);
        expect(res.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
        if (kind === "own" || kind === "trusted") {
          expect(res.headers.get("access-control-allow-origin")).toBe(origin);
          expect(res.headers.get("access-control-allow-methods")).toContain("POST");
          expect(res.headers.get("access-control-allow-headers")).toContain("content-type");
          expect(res.headers.get("access-control-allow-credentials")).toBe("true");
        } else {
          expect(accessControlHeaders(res.headers)).toEqual([]);
        }
      });
    }
  }

  it("does not let another site's page act with the visitor's session cookie", async () => {
    const customer = await signUp(t);
    const me = `/graphql?query=${encodeURIComponent("{ me { email } }")}`;
    const foreign = await t.request("GET", me, { key: null, headers: { cookie: customer.cookie, origin: FOREIGN } });
    expect(foreign.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
    expect(JSON.stringify(foreign.body)).not.toContain(customer.email);
    expect(accessControlHeaders(foreign.headers)).toEqual([]);
    const foreignRest = await t.request("GET", "/api/me/profile", {
      key: null,
      headers: { cookie: customer.cookie, origin: FOREIGN },
    });
    expect(foreignRest.status).toBe(401);

    for (const headers of [{ origin: TRUSTED }, { origin: OWN }, {}] as Record<string, string>[]) {
      const res = await t.request("GET", me, { key: null, headers: { cookie: customer.cookie, ...headers } });
      expect(res.body.data.me.email).toBe(customer.email);
    }
  });
});

describe("body limits", () => {
  const PNG = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
    "base64",
  );
  const UPLOAD =
    "mutation ($input: UploadMediaInput!) { uploadMedia(input: $input) { __typename ... on UploadMediaPayload { asset { byteSize } } } }";

  /** A GraphQL multipart request (the multipart request spec), with the file as `variables.input.file`. */
  function graphqlUpload(operations: Record<string, unknown>, file?: Uint8Array): FormData {
    const form = new FormData();
    form.set("operations", JSON.stringify(operations));
    form.set("map", JSON.stringify(file ? { 0: ["variables.input.file"] } : {}));
    if (file) form.set("0", new Blob([new Uint8Array(file)], { type: "image/png" }), "photo.png");
    return form;
  }

  it("gives a multipart request to /graphql the upload limit for its file only", async () => {
    const padding = " ".repeat(1.5 * MB);
    const headers = { "x-api-key": ADMIN_KEY };
    // No file: the 1 MB limit, however the body is encoded.
    const noFile = await send(t.app, "POST", "/graphql", {
      headers,
      body: graphqlUpload({ query: `{ __typename }${padding}` }),
    });
    expect(noFile.status).toBe(413);
    expect(noFile.body.errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    // A file does not lift the limit for the operations.
    const riding = graphqlUpload({ query: `${UPLOAD}${padding}`, variables: { input: { file: null } } }, PNG);
    const bigQuery = await send(t.app, "POST", "/graphql", { headers, body: riding });
    expect(bigQuery.status).toBe(413);
    expect(bigQuery.body.errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    // The file itself may be larger than 1 MB.
    const bigFile = Buffer.concat([PNG, Buffer.alloc(1.5 * MB)]);
    const upload = await send(t.app, "POST", "/graphql", {
      headers,
      body: graphqlUpload({ query: UPLOAD, variables: { input: { file: null } } }, bigFile),
    });
    expect(upload.status).toBe(200);
    expect(upload.body.data.uploadMedia.asset.byteSize).toBe(bigFile.length);
  });

  it("keeps the form fields of a REST upload within 1 MB", async () => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(PNG)], { type: "image/png" }), "photo.png");
    form.set("alt", "x".repeat(1.5 * MB));
    const res = await send(t.app, "POST", "/api/media/upload", { headers: { "x-api-key": ADMIN_KEY }, body: form });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("closes the connection after a 413 or an unread body, so a pooled client's next request succeeds", async () => {
    const { url } = await t.app.start();
    // One kept-alive socket: the next request goes on the same connection unless the server closed it.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const call = (method: string, path: string, body?: Buffer, key = ADMIN_KEY) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const headers = { "x-api-key": key, ...(body ? { "content-type": "application/json" } : {}) };
        const request = http.request(`${url}${path}`, { method, agent, headers }, (response) => {
          response.resume();
          response.on("end", () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
        });
        request.on("error", reject);
        request.end(body);
      });
    try {
      const tooLarge = await call("POST", "/api/catalog/entities", Buffer.alloc(2 * MB, " "));
      expect((await call("GET", "/api/health")).status).toBe(200);
      expect(tooLarge).toEqual({ status: 413, connection: "close" });
      // A forged key is refused before the body is read: that socket is not reused.
      const unread = await call("POST", "/api/catalog/entities", Buffer.alloc(256 * 1024, " "), "forged-key");
      expect((await call("GET", "/api/health")).status).toBe(200);
      expect(unread).toEqual({ status: 401, connection: "close" });
      // A body within the limits is read whole whatever the route: the socket stays in use.
      const read = await call("POST", "/api/no/such/route", Buffer.alloc(256 * 1024, " "));
      expect((await call("GET", "/api/health")).status).toBe(200);
      expect(read).toEqual({ status: 404, connection: "keep-alive" });
      // Node's fetch (undici's pool) likewise.
      const viaFetch = await fetch(`${url}/api/catalog/entities`, {
        method: "POST",
        headers: { "x-api-key": ADMIN_KEY, "content-type": "application/json" },
        body: Buffer.alloc(2 * MB, " "),
      });
      expect(viaFetch.status).toBe(413);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

describe("headers of GraphQL answers written to the socket", () => {
  it("carries the HTTP layer's headers on a fresh and on a cached answer, and 304s a held one", async () => {
    const { url } = await t.app.start();
    const ask = (requestId: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": requestId, ...headers },
        body: JSON.stringify({ query: "{ catalogEntities(first: 1) { totalCount } }" }),
      });
    const fresh = await ask("fresh-1");
    const cached = await ask("cached-2");
    for (const [response, id] of [
      [fresh, "fresh-1"],
      [cached, "cached-2"],
    ] as const) {
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBe(id);
      expect(response.headers.get("vary")).toContain("Origin");
      expect(Number(response.headers.get("x-ratelimit-limit"))).toBeGreaterThan(0);
      expect(response.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
      expect(response.headers.get("etag")).toBeTruthy();
    }
    expect(await cached.text()).toBe(await fresh.text());
    const held = await ask("held-3", { "if-none-match": cached.headers.get("etag")! });
    expect(held.status).toBe(304);
    expect(held.headers.get("x-request-id")).toBe("held-3");
  });
});

describe("query cost of expensive fields", () => {
  const aliased = (count: number, field: string) =>
    `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

  it("refuses ten aliased full-text searches before running any", async () => {
    const before = t.app.db.statementCount();
    for (const count of [10, 149]) {
      const res = await t.graphql(aliased(count, `search(query: "lamp") { totalCount }`), undefined, null);
      expect(res.body.errors[0].extensions.code).toBe("BAD_REQUEST");
      expect(res.body.errors[0].message).toMatch(/complexity/);
      expect(res.body.data).toBeUndefined();
    }
    const suggestions = await t.graphql(aliased(41, `searchSuggestions(prefix: "la") { text }`), undefined, null);
    expect(suggestions.body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(t.app.db.statementCount()).toBe(before);

    const one = await t.graphql(aliased(1, `search(query: "lamp") { totalCount }`), undefined, null);
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.a0.totalCount).toBe(0);
  });

  it("still runs REST's largest search: 100 hits with every include and facet", async () => {
    const include = "attributes,variants,categories,brands,media,inventory,pricing";
    const res = await t.request(
      "GET",
      `/api/search?q=lamp&limit=100&include=${include}&facets=type,brand,category,status`,
      { key: null },
    );
    expect(res.status).toBe(200);
  });
});

describe("content types, methods and OPTIONS on REST", () => {
  it("requires application/json for a JSON body", async () => {
    const body = JSON.stringify({ type: "product", slug: "typed" });
    const types: Record<string, string>[] = [
      { "content-type": "text/plain" },
      {},
      { "content-type": "application/x-www-form-urlencoded" },
    ];
    for (const headers of types) {
      const res = await t.request("POST", "/api/catalog/entities", { raw: body, headers });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    const json = await t.request("POST", "/api/catalog/entities", {
      raw: body,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(json.status).toBe(201);
    // No body at all needs no type; the signed webhook keeps its raw body, whatever its type.
    expect((await t.request("POST", "/api/catalog/entities", {})).status).toBe(422);
    const webhook = await t.request("POST", "/api/payments/webhook", {
      key: null,
      raw: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(webhook.status).toBe(400);
  });

  it("answers a known path asked with another method 405 with Allow", async () => {
    const health = await t.request("PUT", "/api/health");
    expect(health.status).toBe(405);
    expect(health.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(health.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const entity = await t.request("PUT", "/api/catalog/entities/4f8c1d2e-0000-4000-8000-000000000000");
    expect(entity.status).toBe(405);
    expect(entity.headers.get("allow")).toBe("GET, HEAD, PATCH, DELETE, OPTIONS");
    const graphql = await t.request("DELETE", "/graphql");
    expect(graphql.status).toBe(405);
    expect(graphql.body.errors[0].extensions.code).toBe("METHOD_NOT_ALLOWED");
    expect((await t.request("PUT", "/api/no/such/route")).status).toBe(404);
  });

  it("answers OPTIONS on known paths with 204 and Allow, and 404 elsewhere", async () => {
    const res = await t.request("OPTIONS", "/api/orders/ORD-2026-000001", { key: null });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await t.request("OPTIONS", "/api/no/such/route", { key: null })).status).toBe(404);
  });
});

describe("GraphQL client errors in production", () => {
  const graphql = (body: unknown) =>
    send(production, "POST", "/graphql", {
      headers: { "content-type": "application/json", "x-api-key": ADMIN_KEY },
      body: JSON.stringify(body),
    });

  it("shows no schema suggestions", async () => {
    const typo = { query: "{ catalogEntitys { totalCount } }" };
    expect(JSON.stringify((await t.graphql(typo.query)).body.errors)).toContain("Did you mean");
    const refused = await graphql(typo);
    expect(refused.body.errors).toHaveLength(1);
    expect(JSON.stringify(refused.body)).not.toContain("Did you mean");
    const variables = await graphql({
      query: "query ($f: SearchFilters) { search(filters: $f) { totalCount } }",
      variables: { f: { staus: "active" } },
    });
    expect(variables.body.errors).toHaveLength(1);
    expect(JSON.stringify(variables.body)).not.toContain("Did you mean");
    const rest = await send(production, "POST", "/api/catalog/entities", {
      headers: { "content-type": "application/json", "x-api-key": ADMIN_KEY },
      body: JSON.stringify({ typ: "product", slug: "suggest" }),
    });
    expect(rest.status).toBe(422);
    expect(JSON.stringify(rest.body)).not.toContain("Did you mean");
  });

  it("logs the client's mistakes below error level and without stacks", async () => {
    log.length = 0;
    await graphql({ query: "query ($n: Int) { catalogEntities(first: $n) { totalCount } }", variables: { n: "many" } });
    await graphql({ query: "{ nope }" });
    await graphql({ query: "{ __typename" });
    await graphql([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    const getMutation = await send(
      production,
      "GET",
      `/graphql?query=${encodeURIComponent("mutation { signOut { __typename } }")}`,
    );
    expect(getMutation.status).toBe(405);
    expect(log.filter((entry) => entry.level === "error")).toEqual([]);
    expect(log.filter((entry) => entry.level === "debug").length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(log)).not.toMatch(/stack|\n\s+at /);
  });
});

/**
 * A new embedded DATA_DIR starts as a copy of the template `npm install` prepares (initdb + every
 * migration, scripts/prepare-embedded.mjs), and a template made for another PGlite or migration set is
 * ignored: the server then creates the directory itself. Real server processes; PGlite only.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEmbeddedTemplate } from "../../src/infra/db.js";
import { testDatabaseUrl } from "../helpers/database.js";
import { type ServerProcess, startServer, stopServer } from "../helpers/server-process.js";

/** Signs a customer up, then again with the same address: the second is refused, so the first was stored. */
async function signUpTwice(server: ServerProcess) {
  const email = `template-${Date.now()}@example.com`;
  const signUp = () =>
    fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "template-test-password-42", name: "Tess Template" }),
    });
  const first = await signUp();
  const firstBody = await first.json();
  const second = await signUp();
  return { first: { status: first.status, body: firstBody }, second: { status: second.status } };
}

async function ready(server: ServerProcess) {
  const res = await fetch(`${server.url}/api/health/ready`);
  return { status: res.status, body: await res.json() };
}

const listening = (server: ServerProcess) => server.log.find((entry) => entry.message === "listening") as any;

describe.skipIf(testDatabaseUrl())("embedded database template", () => {
  let scratch: string;
  let cache: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "cg-template-"));
    cache = path.join(scratch, "cache");
    expect(await prepareEmbeddedTemplate(cache)).toBe("created");
    // A second preparation for the same PGlite and migrations keeps it.
    expect(await prepareEmbeddedTemplate(cache)).toBe("current");
  }, 300_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("creates a new DATA_DIR as a copy of the template, migrated, and serves on it", async () => {
    const server = await startServer({ DATA_DIR: path.join(scratch, "new", "data"), CARTOGRAPH_CACHE_DIR: cache });
    try {
      expect(server.log.some((e) => e.message === "new embedded database copied from the install's template")).toBe(
        true,
      );
      expect(listening(server).startup).toMatchObject({ template: 1 });
      expect(server.log.some((e) => e.message === "migrations applied")).toBe(false);
      expect(await ready(server)).toMatchObject({
        status: 200,
        body: { status: "ready", checks: { database: "ok", migrations: "ok" } },
      });
      const { first, second } = await signUpTwice(server);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.user).toMatchObject({ name: "Tess Template" });
      expect(second.status).toBe(422);
    } finally {
      await stopServer(server);
    }
  }, 240_000); // a ceiling for a busy machine (the stale case runs initdb), not a speed check

  it("ignores a template made by another PGlite and creates the directory itself", async () => {
    const stale = path.join(scratch, "stale-cache");
    await cp(cache, stale, { recursive: true });
    const manifestFile = path.join(stale, "pglite-template", "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, pglite: "0.0.1-another" }));

    const server = await startServer({ DATA_DIR: path.join(scratch, "stale", "data"), CARTOGRAPH_CACHE_DIR: stale });
    try {
      const created = server.log.find((e) => e.message === "new embedded database: initdb and every migration");
      expect(created).toMatchObject({ reason: "stale template (pglite differ)" });
      expect(listening(server).startup).toMatchObject({ template: 0 });
      expect(server.log.some((e) => e.message === "migrations applied")).toBe(true);
      expect(await ready(server)).toMatchObject({ status: 200, body: { status: "ready" } });
      const { first, second } = await signUpTwice(server);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(second.status).toBe(422);
    } finally {
      await stopServer(server);
    }
  }, 240_000); // a ceiling for a busy machine (the stale case runs initdb), not a speed check
});

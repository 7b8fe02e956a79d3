import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { signPath } from "../../../src/domain/media/signed-urls.js";
import { AppSecrets } from "../../../src/infra/secrets.js";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { createStore } from "../../helpers/merchant.js";

const dataDir = await mkdtemp(path.join(tmpdir(), "cg-media-test-"));
const MAX_BYTES = 64 * 1024;
const t = useTestApp({ dataDir, mediaMaxBytes: MAX_BYTES });
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "latin1");
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function send(
  method: string,
  url: string,
  options: { key?: string | null; body?: BodyInit; headers?: Record<string, string> } = {},
) {
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  const headers: Record<string, string> = { ...options.headers, ...(key ? { "x-api-key": key } : {}) };
  return t.app.fetch(new Request(`http://localhost${url}`, { method, headers, body: options.body }));
}

async function json(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** POST /api/media/upload with a multipart form. */
async function upload(
  bytes: Uint8Array,
  options: { name?: string; type?: string; alt?: string; key?: string | null } = {},
): Promise<Answer> {
  const form = new FormData();
  form.set(
    "file",
    new Blob([new Uint8Array(bytes)], { type: options.type ?? "image/png" }),
    options.name ?? "photo.png",
  );
  if (options.alt !== undefined) form.set("alt", options.alt);
  return json(await send("POST", "/api/media/upload", { key: options.key, body: form }));
}

async function uploaded(
  bytes: Uint8Array = PNG,
  options: { name?: string; alt?: string } = {},
): Promise<{ id: string; url: string }> {
  const res = await upload(bytes, options);
  expect(res.status).toBe(201);
  return res.body.data;
}

async function entity(slug: string, status: "draft" | "active" = "draft"): Promise<string> {
  const res = await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug, status } });
  expect(res.status).toBe(201);
  return res.body.data.id;
}

async function attach(body: Record<string, unknown>, key?: string | null) {
  return t.request("POST", "/api/media/attach", { body, key });
}

/** Every file the local-disk driver holds. */
async function storedFiles(): Promise<string[]> {
  const root = path.join(dataDir, "media");
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe("media upload and signed URLs", () => {
  it("stores an upload under a generated key, serves it by a signed URL and refuses tampered or expired links", async () => {
    const before = await storedFiles();
    const res = await upload(PNG, { name: "../../etc/evil name.png", alt: "A red dot" });
    expect(res.status).toBe(201);
    const asset = res.body.data;
    expect(asset).toMatchObject({
      url: `/api/media/${asset.id}/content`,
      contentType: "image/png",
      byteSize: PNG.length,
      fileName: "evil name.png",
      alt: "A red dot",
    });
    expect(asset.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The bytes are on disk under <DATA_DIR>/media/<store>/<uuid>, not under anything the client named.
    const added = (await storedFiles()).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(path.relative(path.join(dataDir, "media"), added[0]!)).toMatch(/^[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    expect(Buffer.compare(await readFile(added[0]!), PNG)).toBe(0);
    const row = await t.app.db.prisma.mediaAsset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(row.storageKey).toBe(path.relative(path.join(dataDir, "media"), added[0]!));

    // Not attached to anything: no public access; a merchant key or a signed link is needed.
    expect((await json(await send("GET", asset.url, { key: null }))).status).toBe(404);
    expect((await t.request("GET", `/api/media/${asset.id}`, { key: null })).status).toBe(404);
    const merchant = await send("GET", asset.url);
    expect(merchant.status).toBe(200);
    expect(merchant.headers.get("cache-control")).toBe("private, no-cache");
    expect(Buffer.compare(await bytesOf(merchant), PNG)).toBe(0);

    const redirect = await send("GET", `/api/media/${asset.id}?signed=true`);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^/api/media/${asset.id}/content\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    const expires = Number(new URL(location, "http://x").searchParams.get("expires"));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);

    const fetched = await send("GET", location, { key: null });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toBe("image/png");
    expect(fetched.headers.get("x-content-type-options")).toBe("nosniff");
    expect(fetched.headers.get("content-disposition")).toBe(
      `inline; filename="evil name.png"; filename*=UTF-8''evil%20name.png`,
    );
    expect(fetched.headers.get("content-length")).toBe(String(PNG.length));
    expect(fetched.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
    expect(fetched.headers.get("etag")).toBe(`"${asset.sha256}"`);
    expect(Buffer.compare(await bytesOf(fetched), PNG)).toBe(0);

    const signature = new URL(location, "http://x").searchParams.get("signature")!;
    const tampered = location.replace(signature, `${signature.slice(0, -1)}${signature.endsWith("a") ? "b" : "a"}`);
    const refused = await json(await send("GET", tampered, { key: null }));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "FORBIDDEN", message: "The link is invalid or has expired." });
    expect(
      (await send("GET", location.replace(`expires=${expires}`, `expires=${expires + 3600}`), { key: null })).status,
    ).toBe(403);
    expect((await send("GET", `${asset.url}?signature=${signature}`, { key: null })).status).toBe(403);
    // A signature is for one path: moved to another asset it is refused.
    const other = await uploaded(PDF, { name: "other.pdf" });
    expect((await send("GET", location.replace(asset.id, other.id), { key: null })).status).toBe(403);

    // The server's key (as AppSecrets derives it) signs a link that already expired: refused; a live one: served.
    const key = (await AppSecrets.load(t.app.db.prisma, undefined)).key("signed-url");
    const expired = signPath(key, asset.url, new Date(Date.now() - 1000));
    const expiredAnswer = await json(await send("GET", expired, { key: null }));
    expect(expiredAnswer.status).toBe(403);
    expect(expiredAnswer.body.error.code).toBe("FORBIDDEN");
    expect((await send("GET", signPath(key, asset.url, new Date(Date.now() + 60_000)), { key: null })).status).toBe(
      200,
    );

    // Anyone can ask, only merchants get a signed link.
    expect((await t.request("GET", `/api/media/${asset.id}?signed=true`, { key: null })).status).toBe(404);
    expect((await t.request("GET", `/api/media/${asset.id}?signed=yes`)).status).toBe(422);
  });

  it("refuses content types outside the allow-list, judging by the bytes", async () => {
    const before = await storedFiles();
    const svg = await upload(SVG, { name: "logo.png", type: "image/png" });
    expect(svg.status).toBe(422);
    expect(svg.body.error.code).toBe("VALIDATION_FAILED");
    expect(svg.body.error.details).toEqual([expect.objectContaining({ path: "file", code: "unsupported_type" })]);
    const exe = await upload(Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200)]), {
      name: "setup.pdf",
      type: "application/pdf",
    });
    expect(exe.status).toBe(422);
    expect(exe.body.error.details[0].message).toContain("application/x-msdownload");
    expect((await upload(Buffer.from("just text"), { name: "a.txt", type: "text/plain" })).status).toBe(422);
    expect((await upload(Buffer.alloc(0))).status).toBe(422);
    expect(await storedFiles()).toEqual(before);

    // Conversely a real PNG sent as text/plain named notes.txt is a PNG, and is named like one.
    const png = await upload(PNG, { name: "notes.txt", type: "text/plain" });
    expect(png.body.data).toMatchObject({ contentType: "image/png", fileName: "notes.txt.png" });
  });

  it("answers 413 in the envelope for a file over MEDIA_MAX_BYTES and for a body over the upload limit", async () => {
    const before = await storedFiles();
    const tooBig = Buffer.concat([PNG, Buffer.alloc(MAX_BYTES + 1 - PNG.length)]);
    const res = await upload(tooBig);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(res.body.error.message).toContain(String(MAX_BYTES));
    expect((await upload(tooBig.subarray(0, MAX_BYTES))).status).toBe(201);

    const huge = await upload(Buffer.concat([PNG, Buffer.alloc(MAX_BYTES + 1024 * 1024)]));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect((await storedFiles()).length).toBe(before.length + 1);

    // Other routes keep the 1 MB limit.
    const json = await t.request("POST", "/api/catalog/entities", {
      raw: JSON.stringify({ type: "product", slug: "x".repeat(1024 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(413);
  });

  it("needs a multipart body with a file", async () => {
    const notForm = await t.request("POST", "/api/media/upload", { body: { file: "x" } });
    expect(notForm.status).toBe(400);
    const form = new FormData();
    form.set("alt", "no file");
    const missing = await json(await send("POST", "/api/media/upload", { body: form }));
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: "file", code: "required" })]);
    const text = new FormData();
    text.set("file", "not a file");
    const notFile = await json(await send("POST", "/api/media/upload", { body: text }));
    expect(notFile.status).toBe(422);
    expect(notFile.body.error.details[0].path).toBe("file");
  });
});

describe("attaching media to catalog entities", () => {
  it("attaches in a role, validates the request and shows the media in include=media", async () => {
    const entityId = await entity("media-host");
    const photo = await uploaded(PNG, { alt: "front" });
    const res = await attach({ entityId, mediaAssetId: photo.id, role: "thumbnail" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      entityId,
      role: "thumbnail",
      position: 0,
      asset: { id: photo.id, url: photo.url, contentType: "image/png" },
    });

    expect((await attach({ entityId: randomUUID(), mediaAssetId: photo.id, role: "gallery" })).status).toBe(404);
    const unknownAsset = await attach({ entityId, mediaAssetId: randomUUID(), role: "gallery" });
    expect(unknownAsset.status).toBe(404);
    expect(unknownAsset.body.error.message).toBe("Media asset not found.");
    expect((await attach({ entityId: "not-a-uuid", mediaAssetId: photo.id, role: "gallery" })).status).toBe(404);
    const badRole = await attach({ entityId, mediaAssetId: photo.id, role: "banner" });
    expect(badRole.status).toBe(422);
    expect(badRole.body.error.details).toEqual([expect.objectContaining({ path: "role" })]);
    expect((await attach({ entityId, mediaAssetId: photo.id })).status).toBe(422);
    expect((await attach({ entityId, mediaAssetId: photo.id, role: "gallery", position: -1 })).status).toBe(422);

    // A second thumbnail replaces the first; gallery items go last; attaching again is harmless.
    const second = await uploaded();
    await attach({ entityId, mediaAssetId: second.id, role: "thumbnail" });
    await attach({ entityId, mediaAssetId: photo.id, role: "gallery" });
    expect((await attach({ entityId, mediaAssetId: photo.id, role: "gallery" })).body.data.position).toBe(1);
    const moved = await attach({ entityId, mediaAssetId: photo.id, role: "gallery", position: 7 });
    expect(moved.body.data.position).toBe(7);

    const shown = await t.request("GET", `/api/catalog/entities/${entityId}?include=media`);
    expect(shown.body.data.media).toEqual([
      {
        role: "thumbnail",
        position: 0,
        asset: { id: second.id, url: second.url, alt: null, contentType: "image/png", byteSize: PNG.length },
      },
      {
        role: "gallery",
        position: 7,
        asset: { id: photo.id, url: photo.url, alt: "front", contentType: "image/png", byteSize: PNG.length },
      },
    ]);
    const trail = (await t.request("GET", `/api/audit/catalog_entity/${entityId}?event=catalog.update`)).body.data;
    expect(trail[0].after).toEqual({
      mediaAttached: { mediaAssetId: photo.id, role: "gallery", position: 7, replacedThumbnails: 0 },
    });
    expect(
      trail.find(
        (e: { after: { mediaAttached?: { mediaAssetId: string } } }) =>
          e.after.mediaAttached?.mediaAssetId === second.id,
      ).after.mediaAttached.replacedThumbnails,
    ).toBe(1);
  });

  it("makes media public once its entity is active, except downloads", async () => {
    const entityId = await entity("media-public");
    const photo = await uploaded();
    const manual = await uploaded(PDF, { name: "manual.pdf" });
    await attach({ entityId, mediaAssetId: photo.id, role: "gallery" });
    await attach({ entityId, mediaAssetId: manual.id, role: "download" });

    // A draft: nothing is public.
    expect((await send("GET", photo.url, { key: null })).status).toBe(404);
    expect((await t.request("GET", `/api/media/${photo.id}`, { key: null })).status).toBe(404);

    await t.request("POST", `/api/catalog/entities/${entityId}/publish`);
    const redirect = await send("GET", `/api/media/${photo.id}`, { key: null });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe(photo.url);
    const served = await send("GET", photo.url, { key: null });
    expect(served.status).toBe(200);
    expect(served.headers.get("cache-control")).toBe("public, max-age=3600");
    const etag = served.headers.get("etag")!;
    expect((await send("GET", photo.url, { key: null, headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await t.request("GET", `/api/media/${photo.id}?signed=true`, { key: null })).status).toBe(401);

    // The download stays private: not listed for the public, not served without a signature.
    expect((await send("GET", manual.url, { key: null })).status).toBe(404);
    const publicView = await t.request("GET", `/api/catalog/entities/${entityId}?include=media`, { key: null });
    expect(publicView.body.data.media.map((m: { role: string }) => m.role)).toEqual(["gallery"]);
    const merchantView = await t.request("GET", `/api/catalog/entities/${entityId}?include=media`);
    expect(merchantView.body.data.media.map((m: { role: string }) => m.role)).toEqual(["gallery", "download"]);
    const signed = (await send("GET", `/api/media/${manual.id}?signed=true`)).headers.get("location")!;
    const download = await send("GET", signed, { key: null });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="manual.pdf"/);

    await t.request("POST", `/api/catalog/entities/${entityId}/archive`);
    expect((await send("GET", photo.url, { key: null })).status).toBe(404);
  });
});

describe("deleting media", () => {
  it("removes the bytes and the attachments, and records it", async () => {
    const entityId = await entity("media-delete", "active");
    const photo = await uploaded();
    await attach({ entityId, mediaAssetId: photo.id, role: "gallery" });
    const row = await t.app.db.prisma.mediaAsset.findUniqueOrThrow({ where: { id: photo.id } });
    const file = path.join(dataDir, "media", ...row.storageKey.split("/"));
    expect((await readFile(file)).length).toBe(PNG.length);

    const res = await t.request("DELETE", `/api/media/${photo.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: photo.id });
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    expect(await t.app.db.prisma.entityMedia.count({ where: { mediaAssetId: photo.id } })).toBe(0);
    expect((await t.request("GET", `/api/catalog/entities/${entityId}?include=media`)).body.data.media).toEqual([]);
    expect((await t.request("GET", `/api/media/${photo.id}`)).status).toBe(404);
    expect((await send("GET", photo.url)).status).toBe(404);
    expect((await t.request("DELETE", `/api/media/${photo.id}`)).status).toBe(404);
    expect((await t.request("DELETE", "/api/media/not-a-uuid")).status).toBe(404);

    const assetTrail = (await t.request("GET", `/api/audit/media_asset/${photo.id}`)).body.data;
    expect(assetTrail.map((e: { event: string }) => e.event)).toEqual(["media.delete", "media.create"]);
    expect(assetTrail[0].before).toMatchObject({ id: photo.id, contentType: "image/png" });
    expect(assetTrail[0].before.storageKey).toBeUndefined();
    const entityTrail = (await t.request("GET", `/api/audit/catalog_entity/${entityId}`)).body.data;
    expect(entityTrail[0].after).toEqual({ mediaDetached: { mediaAssetId: photo.id, roles: ["gallery"] } });
  });
});

describe("media permissions and tenancy", () => {
  it("needs catalog:create to upload, catalog:update to attach and catalog:delete to delete", async () => {
    expect((await upload(PNG, { key: null })).status).toBe(401);
    expect((await upload(PNG, { key: await t.createKey(["catalog:read"]) })).status).toBe(403);
    const creator = await t.createKey(["catalog:create"]);
    const created = await upload(PNG, { key: creator });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const entityId = await entity("media-perms");

    expect((await attach({ entityId, mediaAssetId: id, role: "gallery" }, null)).status).toBe(401);
    expect((await attach({ entityId, mediaAssetId: id, role: "gallery" }, creator)).status).toBe(403);
    expect(
      (await attach({ entityId, mediaAssetId: id, role: "gallery" }, await t.createKey(["catalog:update"]))).status,
    ).toBe(200);

    expect((await t.request("DELETE", `/api/media/${id}`, { key: null })).status).toBe(401);
    expect((await t.request("DELETE", `/api/media/${id}`, { key: await t.createKey(["catalog:update"]) })).status).toBe(
      403,
    );
    expect((await t.request("DELETE", `/api/media/${id}`, { key: await t.createKey(["catalog:delete"]) })).status).toBe(
      200,
    );
  });

  it("keeps another store's key away from our media", async () => {
    const ours = await entity("media-tenant", "active");
    const photo = await uploaded();
    const hidden = await uploaded();
    await attach({ entityId: ours, mediaAssetId: photo.id, role: "gallery" });
    const other = await createStore(t, { slug: "media-b", name: "B" });
    const theirKey = await t.createKey(["catalog:*"], other.id);
    const theirs = (
      await t.request("POST", "/api/catalog/entities", { key: theirKey, body: { type: "product", slug: "theirs" } })
    ).body.data.id;

    expect((await t.request("GET", `/api/media/${hidden.id}`, { key: theirKey })).status).toBe(404);
    expect((await t.request("GET", `/api/media/${hidden.id}?signed=true`, { key: theirKey })).status).toBe(404);
    expect((await send("GET", hidden.url, { key: theirKey })).status).toBe(404);
    expect((await t.request("DELETE", `/api/media/${hidden.id}`, { key: theirKey })).status).toBe(404);
    expect((await attach({ entityId: theirs, mediaAssetId: hidden.id, role: "gallery" }, theirKey)).status).toBe(404);
    expect((await attach({ entityId: ours, mediaAssetId: hidden.id, role: "gallery" }, theirKey)).status).toBe(404);
    // Public media of store A are public in store A, not in B's catalog.
    expect((await t.request("GET", `/api/media/${photo.id}`, { key: theirKey })).status).toBe(404);
    const graph = await t.graphql(
      `query ($id: ID!) { signedMediaUrl(id: $id) { url } mediaAsset(id: $id) { id } }`,
      { id: hidden.id },
      theirKey,
    );
    expect(graph.body.data).toEqual({ signedMediaUrl: null, mediaAsset: null });
    expect(await t.app.db.prisma.mediaAsset.count({ where: { id: hidden.id } })).toBe(1);
  });
});

describe("media in GraphQL", () => {
  it("uploads through the GraphQL multipart request spec and attaches, detaches and signs", async () => {
    const form = new FormData();
    form.set(
      "operations",
      JSON.stringify({
        query: `mutation ($input: UploadMediaInput!) { uploadMedia(input: $input) {
          __typename ... on UploadMediaPayload { asset { id url contentType byteSize fileName alt } }
          ... on Error { code message } } }`,
        variables: { input: { file: null, alt: "via graphql" } },
      }),
    );
    form.set("map", JSON.stringify({ 0: ["variables.input.file"] }));
    form.set("0", new Blob([PNG], { type: "image/png" }), "gql.png");
    const res = await json(await send("POST", "/graphql", { body: form }));
    expect(res.body.errors).toBeUndefined();
    const asset = res.body.data.uploadMedia.asset;
    expect(asset).toMatchObject({
      contentType: "image/png",
      byteSize: PNG.length,
      fileName: "gql.png",
      alt: "via graphql",
    });

    const svgForm = new FormData();
    svgForm.set(
      "operations",
      JSON.stringify({
        query: `mutation ($input: UploadMediaInput!) { uploadMedia(input: $input) { __typename ... on ValidationError { fieldErrors { path code } } } }`,
        variables: { input: { file: null } },
      }),
    );
    svgForm.set("map", JSON.stringify({ 0: ["variables.input.file"] }));
    svgForm.set("0", new Blob([SVG], { type: "image/svg+xml" }), "x.svg");
    const svg = await json(await send("POST", "/graphql", { body: svgForm }));
    expect(svg.body.data.uploadMedia).toEqual({
      __typename: "ValidationError",
      fieldErrors: [{ path: "file", code: "unsupported_type" }],
    });

    const entityId = await entity("media-graphql", "active");
    const attached = await t.graphql(
      `mutation ($input: AttachMediaInput!) { attachMedia(input: $input) { ... on AttachMediaPayload { attachment { role position asset { id } } } ... on Error { code } } }`,
      { input: { entityId, mediaAssetId: asset.id, role: "hero" } },
    );
    expect(attached.body.data.attachMedia.attachment).toEqual({ role: "hero", position: 0, asset: { id: asset.id } });

    const read = await t.graphql(
      `query ($id: ID!, $entity: ID!) {
        mediaAsset(id: $id) { id alt signedUrl(expiresInSeconds: 60) { url expiresAt } }
        node(id: $id) { ... on MediaAsset { id } }
        catalogEntity(id: $entity) { media { role asset { id url } } }
      }`,
      { id: asset.id, entity: entityId },
    );
    expect(read.body.errors).toBeUndefined();
    const { mediaAsset, node, catalogEntity } = read.body.data;
    expect(node).toEqual({ id: asset.id });
    expect(catalogEntity.media).toEqual([{ role: "hero", asset: { id: asset.id, url: asset.url } }]);
    const expiresAt = Date.parse(mediaAsset.signedUrl.expiresAt);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
    expect(expiresAt - Date.now()).toBeGreaterThan(50_000);
    expect((await send("GET", mediaAsset.signedUrl.url, { key: null })).status).toBe(200);
    const tooLong = await t.graphql(
      `query ($id: ID!) { signedMediaUrl(id: $id, expiresInSeconds: 999999999) { url } }`,
      { id: asset.id },
    );
    expect(tooLong.body.errors[0].extensions.code).toBe("VALIDATION_FAILED");
    const anonymous = await t.graphql(`query ($id: ID!) { signedMediaUrl(id: $id) { url } }`, { id: asset.id }, null);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");

    const detached = await t.graphql(
      `mutation ($input: DetachMediaInput!) { detachMedia(input: $input) { ... on DetachMediaPayload { entity { media { role } } } ... on Error { code } } }`,
      { input: { entityId, mediaAssetId: asset.id } },
    );
    expect(detached.body.data.detachMedia).toEqual({ entity: { media: [] } });
    const again = await t.graphql(
      `mutation ($input: DetachMediaInput!) { detachMedia(input: $input) { ... on Error { code } } }`,
      { input: { entityId, mediaAssetId: asset.id } },
    );
    expect(again.body.data.detachMedia).toEqual({ code: "NOT_FOUND" });
    expect(await t.app.db.prisma.mediaAsset.count({ where: { id: asset.id } })).toBe(1);
  });

  it("loads catalog entities' media with a constant number of statements", async () => {
    for (let i = 0; i < 30; i++) {
      const created = await t.request("POST", "/api/catalog/entities", {
        body: { type: "mediaCount", slug: `media-count-${i}`, status: "active" },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      for (const role of ["thumbnail", "gallery"]) {
        const asset = await uploaded(PNG, { name: `${i}.png` });
        const attached = await attach({ entityId: created.body.data.id, mediaAssetId: asset.id, role });
        expect(attached.status, JSON.stringify(attached.body)).toBeLessThan(300);
      }
    }
    const query = `query ($first: Int!) { catalogEntities(first: $first, filter: { type: "mediaCount" }) {
      edges { node { id media { role position asset { id url contentType byteSize fileName alt createdAt } } } } } }`;
    const statements = async (first: number) => {
      const before = t.app.db.statementCount();
      const res = await t.graphql(query, { first }, null);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.catalogEntities.edges).toHaveLength(first);
      expect(
        res.body.data.catalogEntities.edges.every((e: { node: { media: unknown[] } }) => e.node.media.length === 2),
      ).toBe(true);
      return t.app.db.statementCount() - before;
    };
    const ten = await statements(10);
    expect(await statements(30)).toBe(ten);
    expect(ten).toBeLessThanOrEqual(2);
  });
});

describe("media in the OpenAPI document", () => {
  it("documents the multipart upload, the redirect and the content route", async () => {
    const doc = (await t.request("GET", "/api/doc", { key: null })).body;
    const uploadBody = doc.paths["/api/media/upload"].post.requestBody.content["multipart/form-data"].schema;
    expect(uploadBody).toMatchObject({
      required: ["file"],
      properties: { file: { type: "string", format: "binary" }, alt: { type: "string" } },
    });
    expect(doc.paths["/api/media/{id}"].get.responses["302"].headers.Location).toBeDefined();
    expect(doc.paths["/api/media/{id}"].delete.description).toContain("catalog:delete");
    expect(
      doc.paths["/api/media/attach"].post.requestBody.content["application/json"].schema.properties.role.enum,
    ).toContain("thumbnail");
    expect(doc.paths["/api/media/{id}/content"].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      "id",
      "expires",
      "signature",
    ]);
  });
});

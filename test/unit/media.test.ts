import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAllowedContentType, safeFileName, sniffContentType } from "../../src/domain/media/content-types.js";
import { signPath, verifySignedPath } from "../../src/domain/media/signed-urls.js";
import { LocalDiskStorage } from "../../src/infra/storage/local-disk.js";

const latin1 = (s: string) => Buffer.from(s, "latin1");

describe("signed paths", () => {
  const key = randomBytes(32);
  const now = new Date("2026-01-01T00:00:00Z");
  const expiresAt = new Date("2026-01-01T00:15:00.900Z");

  function parts(signed: string) {
    const url = new URL(signed, "http://x");
    return {
      path: url.pathname,
      expires: url.searchParams.get("expires")!,
      signature: url.searchParams.get("signature")!,
    };
  }

  it("appends the expiry in unix seconds and a hex HMAC-SHA256 that verifies until then", () => {
    const signed = signPath(key, "/api/media/abc/content", expiresAt);
    expect(signed).toMatch(/^\/api\/media\/abc\/content\?expires=1767226500&signature=[0-9a-f]{64}$/);
    const { path: p, expires, signature } = parts(signed);
    expect(verifySignedPath(key, p, expires, signature, now)).toBe(true);
    expect(verifySignedPath(key, p, Number(expires), signature, new Date("2026-01-01T00:14:59Z"))).toBe(true);
  });

  it("refuses an expired link, a moved or extended one, a tampered or foreign signature, and junk", () => {
    const { path: p, expires, signature } = parts(signPath(key, "/api/media/abc/content", expiresAt));
    expect(verifySignedPath(key, p, expires, signature, new Date("2026-01-01T00:15:00Z"))).toBe(false);
    expect(verifySignedPath(key, "/api/media/abd/content", expires, signature, now)).toBe(false);
    expect(verifySignedPath(key, p, String(Number(expires) + 3600), signature, now)).toBe(false);
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`;
    expect(verifySignedPath(key, p, expires, flipped, now)).toBe(false);
    expect(verifySignedPath(randomBytes(32), p, expires, signature, now)).toBe(false);
    expect(verifySignedPath(key, p, expires, signature.toUpperCase(), now)).toBe(false);
    expect(verifySignedPath(key, p, expires, signature.slice(2), now)).toBe(false);
    expect(verifySignedPath(key, p, "soon", signature, now)).toBe(false);
    expect(verifySignedPath(key, p, undefined, signature, now)).toBe(false);
    expect(verifySignedPath(key, p, expires, null, now)).toBe(false);
  });

  it("signs only plain absolute paths", () => {
    expect(() => signPath(key, "/a?b=c", expiresAt)).toThrow(/Cannot sign/);
    expect(() => signPath(key, "relative", expiresAt)).toThrow(/Cannot sign/);
  });
});

describe("content sniffing", () => {
  it("recognises the allowed types by their bytes", async () => {
    const samples: Record<string, Buffer> = {
      "image/png": Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
        "base64",
      ),
      "image/jpeg": Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), latin1("JFIF\0"), Buffer.alloc(20)]),
      "image/gif": latin1("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
      "image/webp": Buffer.concat([latin1("RIFF"), Buffer.from([30, 0, 0, 0]), latin1("WEBPVP8 "), Buffer.alloc(20)]),
      "image/avif": Buffer.concat([
        Buffer.from([0, 0, 0, 0x1c]),
        latin1("ftypavif"),
        Buffer.alloc(4),
        latin1("avifmif1miaf"),
        Buffer.alloc(8),
      ]),
      "video/mp4": Buffer.concat([
        Buffer.from([0, 0, 0, 0x18]),
        latin1("ftypisom"),
        Buffer.from([0, 0, 2, 0]),
        latin1("isomiso2"),
        Buffer.alloc(8),
      ]),
      "application/pdf": latin1("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
      "application/zip": Buffer.concat([latin1("PK\x05\x06"), Buffer.alloc(18)]),
    };
    for (const [mime, bytes] of Object.entries(samples)) {
      const sniffed = await sniffContentType(bytes);
      expect(sniffed).toBe(mime);
      expect(isAllowedContentType(sniffed!)).toBe(true);
    }
  });

  it("does not allow SVG, HTML, text or executables", async () => {
    expect(
      await sniffContentType(latin1('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
    ).toBeNull();
    expect(await sniffContentType(latin1("<!doctype html><script>alert(1)</script>"))).toBeNull();
    const exe = await sniffContentType(Buffer.concat([latin1("MZ"), Buffer.alloc(100)]));
    expect(exe).toBe("application/x-msdownload");
    expect(isAllowedContentType(exe!)).toBe(false);
    expect(isAllowedContentType("image/svg+xml")).toBe(false);
  });

  it("keeps only a harmless last segment of the client's file name, with an extension of the real type", () => {
    expect(safeFileName("../../etc/passwd.png", "image/png")).toBe("passwd.png");
    expect(safeFileName("C:\\Users\\me\\Photo.JPEG", "image/jpeg")).toBe("Photo.JPEG");
    expect(safeFileName("invoice.exe", "application/pdf")).toBe("invoice.exe.pdf");
    expect(safeFileName("a\u0000b\r\n.png", "image/png")).toBe("ab.png");
    expect(safeFileName("...", "image/gif")).toBe("file.gif");
    expect(safeFileName(undefined, "application/zip")).toBe("file.zip");
    expect(Array.from(safeFileName(`${"é".repeat(300)}.png`, "image/png"))).toHaveLength(194);
  });
});

describe("the local-disk storage driver", () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  async function storage() {
    const root = await mkdtemp(path.join(tmpdir(), "cg-storage-"));
    roots.push(root);
    return { root, storage: new LocalDiskStorage(path.join(root, "media")) };
  }

  it("puts, streams and deletes bytes under the key, leaving no partial files", async () => {
    const { root, storage: disk } = await storage();
    const bytes = randomBytes(200_000);
    await disk.put("store-1/asset-1", bytes);
    expect(await readdir(path.join(root, "media", "store-1"))).toEqual(["asset-1"]);
    expect(Buffer.compare(await readFile(path.join(root, "media", "store-1", "asset-1")), bytes)).toBe(0);
    const stream = await disk.get("store-1/asset-1");
    expect(Buffer.compare(Buffer.from(await new Response(stream).arrayBuffer()), bytes)).toBe(0);
    await disk.delete("store-1/asset-1");
    expect(await disk.get("store-1/asset-1")).toBeNull();
    await disk.delete("store-1/asset-1");
  });

  it("refuses keys that are not plain segments", async () => {
    const { storage: disk } = await storage();
    for (const key of ["../escape", "a/../../b", "/abs", "a//b", "a/./b", "", "a\\b", "a b"]) {
      await expect(disk.put(key, Buffer.from("x"))).rejects.toThrow(/Invalid storage key/);
      await expect(disk.get(key)).rejects.toThrow(/Invalid storage key/);
    }
  });
});

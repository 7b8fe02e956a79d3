import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { MediaStorage } from "../../domain/media/storage.js";

/** Keys are slash-separated segments of letters, digits, `-` and `_`: no `..`, no absolute paths. */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,64}(?:\/[A-Za-z0-9_-]{1,64}){0,7}$/;

/**
 * Media bytes as files under one root directory (`<DATA_DIR>/media` by default), one file per key.
 * A file is written beside its final name and renamed into place, so a reader never sees half of it.
 */
export class LocalDiskStorage implements MediaStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file of a key; anything that is not a safe key (or would leave the root) is refused. */
  private file(key: string): string {
    const file = path.resolve(this.root, ...key.split("/"));
    if (!SAFE_KEY.test(key) || !file.startsWith(this.root + path.sep)) throw new Error(`Invalid storage key "${key}".`);
    return file;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, bytes, { flag: "wx", mode: 0o640 });
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const file = this.file(key);
    let handle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    // The stream owns the handle and closes it when done (or cancelled).
    return Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

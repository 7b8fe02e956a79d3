/**
 * What may be uploaded, by the type sniffed from the bytes (never the client's Content-Type or file
 * name), with the file extensions that go with it. SVG is not here: it is a document that can carry
 * script, and it has no magic number (file-type does not report it), so it is refused like any
 * unrecognised text.
 */
export const ALLOWED_CONTENT_TYPES = {
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "image/webp": ["webp"],
  "image/gif": ["gif"],
  "image/avif": ["avif"],
  "application/pdf": ["pdf"],
  "video/mp4": ["mp4"],
  "application/zip": ["zip"],
} as const satisfies Record<string, readonly string[]>;

export type AllowedContentType = keyof typeof ALLOWED_CONTENT_TYPES;

export function isAllowedContentType(mime: string): mime is AllowedContentType {
  return Object.hasOwn(ALLOWED_CONTENT_TYPES, mime);
}

/** The content type of `bytes` from their signature, or null when it is not recognised. */
export async function sniffContentType(bytes: Uint8Array): Promise<string | null> {
  // Loaded at the first upload rather than at start-up.
  const { fileTypeFromBuffer } = await import("file-type");
  return (await fileTypeFromBuffer(bytes))?.mime ?? null;
}

/** Whether the browser may show this type in place (images, video); anything else is downloaded. */
export function isInlineContentType(mime: string): boolean {
  return mime.startsWith("image/") || mime.startsWith("video/");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The client's file name made harmless, for Content-Disposition only (it never names a stored file):
 * the last path segment, without control characters, at most 200 characters, and with an extension
 * that matches the sniffed type, so a PDF named `invoice.exe` is saved as `invoice.exe.pdf`.
 */
export function safeFileName(name: string | null | undefined, mime: AllowedContentType): string {
  const extensions: readonly string[] = ALLOWED_CONTENT_TYPES[mime];
  const base = (name ?? "").split(/[/\\]/).pop()!.replace(CONTROL, "").trim().replace(/^\.+/, "");
  const stem = base || "file";
  const extension = /\.([A-Za-z0-9]+)$/.exec(stem)?.[1]?.toLowerCase();
  const named = extension && extensions.includes(extension) ? stem : `${stem}.${extensions[0]}`;
  const chars = Array.from(named);
  return chars.length <= 200 ? named : `${chars.slice(0, 190).join("")}.${extensions[0]}`;
}

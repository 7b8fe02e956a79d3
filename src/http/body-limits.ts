import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type HttpVariables, setAnswerHeader, transportError } from "./middleware.js";
import { readIncomingBody, withReadBody } from "./request-body.js";

export interface BodyLimitOptions {
  /** Every body, and every part of a multipart body but its files. */
  maxBytes: number;
  /** The largest file a multipart upload may carry (MEDIA_MAX_BYTES). */
  maxFileBytes: number;
  /** Whether a POST goes to a path that takes uploads (an upload route, /graphql). */
  takesUploads: (path: string) => boolean;
}

/**
 * 413 PAYLOAD_TOO_LARGE past the body limits. A body is at most `maxBytes`, except a multipart POST to a
 * path that takes uploads: its files may add up to `maxFileBytes`, but everything else in it (the
 * GraphQL `operations` and `map`, form fields, part headers) still stays within `maxBytes`, so a huge
 * query cannot ride on the upload limit.
 *
 * The 413 is sent before the rest of the body is read, so it says `Connection: close`: the client must
 * not send its next request on this socket, which is closed rather than kept reading.
 */
export function bodyLimits(options: BodyLimitOptions): MiddlewareHandler<{ Variables: HttpVariables }> {
  const { maxBytes, maxFileBytes, takesUploads } = options;
  const tooLarge = (message: string) => (c: Context) =>
    transportError(c, "PAYLOAD_TOO_LARGE", message, { Connection: "close" });
  const bodyTooLarge = tooLarge(`The request body exceeds ${maxBytes} bytes.`);
  const defaultLimit = bodyLimit({ maxSize: maxBytes, onError: bodyTooLarge });
  const uploadLimit = bodyLimit({
    maxSize: maxFileBytes + maxBytes,
    onError: tooLarge(`The upload exceeds ${maxFileBytes} bytes.`),
  });
  return async (c, next) => {
    // Behind the Node adapter a body always announces itself (a length or chunks): without either there
    // is none, and asking `c.req.raw.body` would make the adapter build a full Request for nothing.
    const { incoming, outgoing } = (c.env ?? {}) as { incoming?: IncomingMessage; outgoing?: ServerResponse };
    if (incoming && !("content-length" in incoming.headers) && !("transfer-encoding" in incoming.headers)) {
      return next();
    }
    const upload =
      c.req.method === "POST" &&
      !!c.req.header("content-type")?.toLowerCase().startsWith("multipart/form-data") &&
      takesUploads(c.req.path);
    if (!upload) {
      if (!incoming) return defaultLimit(c, next); // in-process (tests): a fetch Request already
      // Any other body is small: read it whole from the socket, once, for whoever reads it next.
      const bytes = await readIncomingBody(incoming, maxBytes);
      if (bytes === "too-large") return bodyTooLarge(c);
      if (bytes === "broken") return transportError(c, "BAD_REQUEST", "The request body could not be read.");
      c.req.raw = withReadBody(c.req.raw, bytes, outgoing);
      return next();
    }
    let refused: Response | undefined;
    const answered = await uploadLimit(c, async () => {
      if (await filesOnlyBeyond(c, maxBytes)) await next();
      else refused = bodyTooLarge(c);
    });
    return refused ?? answered;
  };
}

/**
 * A response sent without reading the request's body (a 401, 404 or 405 before any route read it) says
 * `Connection: close`. Node would have to drain the unread body before it could read the next request
 * on the socket, and the Node adapter gives up on that and closes the socket under a client that was
 * told keep-alive, so the client's next request would fail.
 */
export const closeWhenBodyUnread: MiddlewareHandler = async (c, next) => {
  const request = c.req.raw;
  await next();
  const declaresBody =
    Number(c.req.header("content-length") ?? 0) > 0 || c.req.header("transfer-encoding") !== undefined;
  if (!declaresBody) return;
  // Over a socket: whether the whole body has arrived (read or not, Node discards what is left of it).
  // Asking the adapter's Request for `bodyUsed` would build a full Request just to answer.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming ? !incoming.complete : !request.bodyUsed) setAnswerHeader(c, "Connection", "close");
};

/**
 * Whether a multipart body is within `maxBytes` once its files are left out. The body is read here (the
 * route or Yoga reads it again from memory); past `maxBytes` it is parsed to find its files.
 */
async function filesOnlyBeyond(c: Context, maxBytes: number): Promise<boolean> {
  const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
  c.req.raw = new Request(c.req.raw, { body: bytes });
  if (bytes.byteLength <= maxBytes) return true;
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": c.req.header("content-type")! } }).formData();
  } catch {
    return true; // not valid multipart: the route's own parsing answers 400
  }
  let fileBytes = 0;
  for (const value of form.values()) if (typeof value !== "string") fileBytes += value.size;
  return bytes.byteLength - fileBytes <= maxBytes;
}

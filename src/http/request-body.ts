import type { IncomingMessage, ServerResponse } from "node:http";

/** Why a body could not be read: past the limit, or the client went away (or sent a broken stream) mid-body. */
export type UnreadBody = "too-large" | "broken";

/**
 * The whole body of a Node request, read straight from its socket stream: at most `maxBytes` (a
 * declared Content-Length past it is refused before a byte is read). Reading it here, rather than
 * through the fetch Request the Node adapter would build for it, spares every JSON request an undici
 * Request, its AbortSignal and a web stream.
 */
export function readIncomingBody(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | UnreadBody> {
  if (Number(incoming.headers["content-length"]) > maxBytes) return Promise.resolve("too-large");
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: Buffer | UnreadBody) => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onBroken);
      incoming.off("aborted", onBroken);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // The rest is not read: the 413 says Connection: close.
        incoming.pause();
        settle("too-large");
      } else chunks.push(chunk);
    };
    const onEnd = () => settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onBroken = () => settle("broken");
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onBroken);
    incoming.on("aborted", onBroken);
  });
}

/**
 * `request` with its body already in memory: what Yoga and the REST routes read (`text`, `json`,
 * `arrayBuffer`, `formData`, `body`, `bodyUsed`) comes from `bytes`, everything else (method, URL,
 * headers) from the request itself. Its `signal` aborts when the client goes away before the answer
 * is finished, as the adapter's own Request's would.
 */
export function withReadBody(request: Request, bytes: Buffer, outgoing: ServerResponse | undefined): Request {
  let used = false;
  const take = () => {
    if (used) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
    used = true;
    return Promise.resolve(bytes);
  };
  const text = () => take().then((b) => b.toString("utf8"));
  const asResponse = () => new Response(new Uint8Array(bytes), { headers: request.headers });
  let signal: AbortSignal | undefined;
  let stream: ReadableStream<Uint8Array> | null | undefined;
  return Object.create(request, {
    bodyUsed: { get: () => used },
    // Looking at the stream (`if (request.body)`) does not use the body up; reading it does.
    body: { get: () => (stream ??= asResponse().body) },
    text: { value: text },
    json: { value: () => text().then(JSON.parse) },
    arrayBuffer: {
      value: () => take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
    },
    bytes: { value: () => take().then((b) => new Uint8Array(b)) },
    blob: { value: () => take().then(() => asResponse().blob()) },
    formData: { value: () => take().then(() => asResponse().formData()) },
    clone: { value: () => withReadBody(request, bytes, outgoing) },
    signal: {
      get: () => {
        if (signal) return signal;
        const controller = new AbortController();
        outgoing?.once("close", () => {
          if (!outgoing.writableFinished) controller.abort("Client connection prematurely closed.");
        });
        signal = controller.signal;
        return signal;
      },
    },
  }) as Request;
}

import type { LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedTarget } from "./targets.js";

/**
 * POSTs to a resolved target, connecting only to the addresses it was resolved to (checked by
 * `resolveTarget`): the socket's name lookup answers from that list instead of asking DNS again. TLS
 * still verifies the certificate against the URL's host name. Redirects are not followed, and every
 * attempt opens its own connection (no pooled socket to an address resolved earlier). Resolves with
 * the response status; the body is not read.
 */
export function postToPinnedTarget(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: false,
        lookup: pinnedLookup(target.addresses),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A `lookup` for net.connect that answers with the given addresses only (one, or all for Happy Eyeballs). */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family =
      options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const usable = addresses.filter((a) => family === 0 || a.family === family);
    const done = callback as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const first = usable[0];
    if (!first) {
      done(Object.assign(new Error(`No IPv${family} address for ${hostname}.`), { code: "ENOTFOUND" }), "", 0);
    } else if (options.all) {
      done(null, usable);
    } else {
      done(null, first.address, first.family);
    }
  };
}

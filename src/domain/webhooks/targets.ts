import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { ValidationError } from "../errors.js";

/** Addresses a webhook must never reach from the server (SSRF): loopback, private, link-local, and the like. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, "ipv4");
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * A webhook URL must be http(s) and resolve only to public addresses, unless private targets are
 * allowed (local development and tests). Checked at registration and again before every delivery, since
 * DNS can change in between.
 */
export async function assertDeliverableUrl(raw: string, allowPrivateTargets: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw ValidationError.field("url", "invalid_url", "url must be an absolute http(s) URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw ValidationError.field("url", "invalid_url", "url must use http or https.");
  }
  if (url.username || url.password) throw ValidationError.field("url", "invalid_url", "url must not carry credentials.");
  if (allowPrivateTargets) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw ValidationError.field("url", "unresolvable", `${host} does not resolve.`);
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw ValidationError.field("url", "private_target", "url resolves to a private, loopback or link-local address.");
  }
  return url;
}

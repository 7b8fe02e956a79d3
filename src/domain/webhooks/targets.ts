import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { ValidationError } from "../errors.js";

/**
 * Where a webhook may be sent (SSRF). Only globally routable unicast addresses are public. IPv6 forms
 * that carry an IPv4 address (IPv4-mapped, IPv4-translated, NAT64 64:ff9b::/96, 6to4) are judged by the
 * IPv4 address they lead to, so `[64:ff9b::a9fe:a9fe]` is the metadata address 169.254.169.254.
 * Forms whose IPv4 address cannot be read reliably are refused: IPv4-compatible (::a.b.c.d, deprecated),
 * local-use NAT64 (64:ff9b:1::/48, the embedding depends on the operator's prefix length) and Teredo.
 */
export function addressRange(address: string): string {
  const text = address.replace(/%.*$/, ""); // a zone id (fe80::1%eth0) does not change the range
  const family = isIP(text);
  if (family === 4) return ipaddr.IPv4.parse(text).range();
  if (family !== 6) return "invalid";
  // Parsed as the socket layer reads it: ipaddr.js takes the deprecated `::1.2.3.4` for `::ffff:1.2.3.4`,
  // while it is ::102:304; the URL host parser writes it in hexadecimal first.
  const v6 = ipaddr.IPv6.parse(new URL(`http://[${text}]/`).hostname.slice(1, -1));
  const range = v6.range();
  const parts = v6.parts;
  switch (range) {
    case "ipv4Mapped":
    case "rfc6145":
      return embedded(range, parts[6]!, parts[7]!);
    case "rfc6052":
      // 64:ff9b::/96 ends with the IPv4 address; 64:ff9b:1::/48 is for local use only.
      return parts[2] === 0 ? embedded(range, parts[6]!, parts[7]!) : range;
    case "6to4":
      return embedded(range, parts[1]!, parts[2]!);
    case "unicast":
      if (parts.slice(0, 6).every((p) => p === 0)) return "ipv4Compatible";
      // Global unicast is 2000::/3; everything else outside the named ranges is unassigned.
      return (parts[0]! & 0xe000) === 0x2000 ? "unicast" : "unassigned";
    default:
      return range;
  }
}

/** `<form>:<range of the IPv4 address>`, or plain `unicast` when that address is public. */
function embedded(form: string, high: number, low: number): string {
  const v4 = new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]).range();
  return v4 === "unicast" ? "unicast" : `${form}:${v4}`;
}

/** True for every address a webhook must not reach: loopback, private, link-local, reserved and the like. */
export function isPrivateAddress(address: string): boolean {
  return addressRange(address) !== "unicast";
}

/** Resolves a host name to every address it has (the system resolver unless another is given). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface TargetPolicy {
  /** Local development and tests: private addresses allowed. */
  allowPrivateTargets: boolean;
  resolve?: ResolveHost;
}

/** A webhook URL with the addresses it resolved to; the request must connect to these and no others. */
export interface ResolvedTarget {
  url: URL;
  addresses: LookupAddress[];
}

function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw ValidationError.field("url", "invalid_url", "url must be an absolute http(s) URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw ValidationError.field("url", "invalid_url", "url must use http or https.");
  }
  if (url.username || url.password)
    throw ValidationError.field("url", "invalid_url", "url must not carry credentials.");
  return url;
}

/**
 * Resolves a webhook URL once and checks every address it resolved to (unless private targets are
 * allowed). The delivery then connects to exactly these addresses, so DNS cannot answer one thing to
 * the check and another to the connection (rebinding).
 */
export async function resolveTarget(raw: string, policy: TargetPolicy): Promise<ResolvedTarget> {
  const url = parseTargetUrl(raw);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  const family = isIP(host);
  if (family) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch {
      throw ValidationError.field("url", "unresolvable", `${host} does not resolve.`);
    }
  }
  if (addresses.length === 0) throw ValidationError.field("url", "unresolvable", `${host} does not resolve.`);
  if (!policy.allowPrivateTargets && addresses.some((a) => isPrivateAddress(a.address))) {
    throw ValidationError.field(
      "url",
      "private_target",
      "url resolves to a private, loopback, link-local or reserved address.",
    );
  }
  return { url, addresses };
}

/**
 * The check at registration: http(s), no credentials, and (unless private targets are allowed) only
 * public addresses. Delivery checks again, on the addresses it connects to.
 */
export async function assertDeliverableUrl(raw: string, policy: TargetPolicy): Promise<URL> {
  if (policy.allowPrivateTargets) return parseTargetUrl(raw);
  return (await resolveTarget(raw, policy)).url;
}

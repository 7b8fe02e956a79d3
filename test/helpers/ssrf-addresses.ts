/**
 * Addresses a webhook must never reach, each as a resolver would return it and as a URL host, with what
 * it is. Shared by the classifier's unit test and the API tests (registration and delivery).
 */
export const PRIVATE_ADDRESSES: { address: string; what: string }[] = [
  // IPv4
  { address: "0.0.0.0", what: "this network (0.0.0.0/8)" },
  { address: "0.1.2.3", what: "this network (0.0.0.0/8)" },
  { address: "10.1.2.3", what: "private 10/8" },
  { address: "100.64.0.1", what: "carrier-grade NAT 100.64/10" },
  { address: "100.127.255.254", what: "carrier-grade NAT 100.64/10" },
  { address: "127.0.0.1", what: "loopback" },
  { address: "127.255.0.9", what: "loopback 127/8" },
  { address: "169.254.169.254", what: "link-local (cloud metadata)" },
  { address: "172.16.0.1", what: "private 172.16/12" },
  { address: "172.31.255.255", what: "private 172.16/12" },
  { address: "192.0.0.8", what: "IETF protocol assignments 192.0.0/24" },
  { address: "192.0.2.10", what: "documentation (TEST-NET-1)" },
  { address: "192.168.1.1", what: "private 192.168/16" },
  { address: "198.18.0.1", what: "benchmarking 198.18/15" },
  { address: "224.0.0.1", what: "multicast" },
  { address: "240.0.0.1", what: "reserved 240/4" },
  { address: "255.255.255.255", what: "broadcast" },
  // IPv6
  { address: "::", what: "unspecified" },
  { address: "::1", what: "loopback" },
  { address: "::7f00:1", what: "IPv4-compatible ::127.0.0.1 (deprecated)" },
  { address: "::808:808", what: "IPv4-compatible ::8.8.8.8 (deprecated)" },
  { address: "::ffff:7f00:1", what: "IPv4-mapped loopback" },
  { address: "::ffff:a9fe:a9fe", what: "IPv4-mapped metadata address" },
  { address: "::ffff:a01:203", what: "IPv4-mapped 10.1.2.3" },
  { address: "::ffff:0:7f00:1", what: "IPv4-translated (RFC 6145) loopback" },
  { address: "64:ff9b::a9fe:a9fe", what: "NAT64 of the metadata address" },
  { address: "64:ff9b::7f00:1", what: "NAT64 of loopback" },
  { address: "64:ff9b::c0a8:101", what: "NAT64 of 192.168.1.1" },
  { address: "64:ff9b:1::808:808", what: "local-use NAT64 (64:ff9b:1::/48)" },
  { address: "2002:7f00:1::1", what: "6to4 of loopback" },
  { address: "2002:a9fe:a9fe::1", what: "6to4 of the metadata address" },
  { address: "2002:a00:1::", what: "6to4 of 10.0.0.1" },
  { address: "2001:0:4136:e378:8000:63bf:3fff:fdd2", what: "Teredo" },
  { address: "fc00::1", what: "unique local fc00::/7" },
  { address: "fd12:3456::1", what: "unique local fc00::/7" },
  { address: "fe80::1", what: "link-local" },
  { address: "febf::1", what: "link-local fe80::/10" },
  { address: "fec0::1", what: "site-local fec0::/10 (deprecated)" },
  { address: "feff::1", what: "site-local fec0::/10 (deprecated)" },
  { address: "ff02::1", what: "multicast" },
  { address: "100::1", what: "discard-only 100::/64" },
  { address: "2001:db8::1", what: "documentation" },
  { address: "4000::1", what: "unassigned (outside 2000::/3)" },
];

/** Public addresses, including IPv6 forms that lead to a public IPv4 address. */
export const PUBLIC_ADDRESSES = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.216.34",
  "100.63.255.255",
  "100.128.0.1",
  "172.15.255.255",
  "172.32.0.1",
  "2606:4700:4700::1111",
  "2a00:1450:4001:80b::200e",
  "::ffff:808:808",
  "64:ff9b::808:808",
  "2002:808:808::1",
];

/** An address as the host of a URL: IPv6 in brackets. */
export const urlHost = (address: string) => (address.includes(":") ? `[${address}]` : address);

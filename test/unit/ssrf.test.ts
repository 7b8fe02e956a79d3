import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/domain/errors.js";
import { addressRange, isPrivateAddress, resolveTarget } from "../../src/domain/webhooks/targets.js";
import { PRIVATE_ADDRESSES, PUBLIC_ADDRESSES, urlHost } from "../helpers/ssrf-addresses.js";

const family = (address: string) => (address.includes(":") ? 6 : 4);
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: family(address) }));

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors[0]?.code;
  }
}

describe("webhook target addresses", () => {
  it.each(PRIVATE_ADDRESSES)("refuses $address ($what)", ({ address }) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(PUBLIC_ADDRESSES)("accepts %s", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
    expect(addressRange(address)).toBe("unicast");
  });

  it("reads every spelling of an address as the socket layer does", () => {
    // ::127.0.0.1 is IPv4-compatible (::7f00:1), not IPv4-mapped; both are refused.
    expect(addressRange("::127.0.0.1")).toBe("ipv4Compatible");
    expect(addressRange("::8.8.8.8")).toBe("ipv4Compatible");
    expect(addressRange("::ffff:127.0.0.1")).toBe("ipv4Mapped:loopback");
    expect(addressRange("0:0:0:0:0:FFFF:7F00:0001")).toBe("ipv4Mapped:loopback");
    expect(addressRange("64:ff9b::169.254.169.254")).toBe("rfc6052:linkLocal");
    expect(addressRange("FEC0::1")).toBe("deprecatedSiteLocal");
    expect(addressRange("fe80::1%eth0")).toBe("linkLocal");
    for (const nonsense of ["", "localhost", "0x7f.1", "127.1", "2130706433", "::ffff:999.0.0.1", "1.2.3.4.5"]) {
      expect(isPrivateAddress(nonsense), nonsense).toBe(true);
    }
  });
});

describe("resolveTarget", () => {
  const strict = (resolve = resolvesTo("8.8.8.8")) => ({ allowPrivateTargets: false, resolve });

  it("refuses every private address form as a URL host", async () => {
    for (const { address } of PRIVATE_ADDRESSES) {
      expect(await refusal(resolveTarget(`http://${urlHost(address)}:8080/hook`, strict())), address).toBe(
        "private_target",
      );
    }
  });

  it("refuses hosts the URL parser turns into private addresses", async () => {
    for (const url of [
      "http://0/",
      "http://127.1/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::169.254.169.254]/",
      "http://[::ffff:10.0.0.1]/",
    ]) {
      expect(await refusal(resolveTarget(url, strict())), url).toBe("private_target");
    }
  });

  it("refuses a name when any address it resolves to is private, and resolves it once", async () => {
    let calls = 0;
    const resolve = async () => {
      calls++;
      return [
        { address: "93.184.216.34", family: 4 },
        { address: "::ffff:7f00:1", family: 6 },
      ];
    };
    expect(await refusal(resolveTarget("https://hooks.example.com/x", strict(resolve)))).toBe("private_target");
    expect(calls).toBe(1);
    for (const { address } of PRIVATE_ADDRESSES) {
      expect(await refusal(resolveTarget("https://hooks.example.com/x", strict(resolvesTo(address)))), address).toBe(
        "private_target",
      );
    }
  });

  it("returns the checked addresses for a public name, the ones the delivery connects to", async () => {
    const target = await resolveTarget(
      "https://hooks.example.com/x",
      strict(resolvesTo("93.184.216.34", "2606:4700:4700::1111")),
    );
    expect(target.url.hostname).toBe("hooks.example.com");
    expect(target.addresses.map((a) => a.address)).toEqual(["93.184.216.34", "2606:4700:4700::1111"]);
    const literal = await resolveTarget("http://[64:ff9b::808:808]/", strict(resolvesTo("10.0.0.1")));
    expect(literal.addresses).toEqual([{ address: "64:ff9b::808:808", family: 6 }]);
  });

  it("allows private targets when configured, and refuses names that do not resolve", async () => {
    const allowed = await resolveTarget("http://hooks.internal/x", {
      allowPrivateTargets: true,
      resolve: resolvesTo("10.0.0.7"),
    });
    expect(allowed.addresses).toEqual([{ address: "10.0.0.7", family: 4 }]);
    const nowhere = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect(await refusal(resolveTarget("http://nowhere.invalid/", strict(nowhere)))).toBe("unresolvable");
    expect(await refusal(resolveTarget("http://empty.invalid/", strict(resolvesTo())))).toBe("unresolvable");
    expect(await refusal(resolveTarget("ftp://8.8.8.8/", strict()))).toBe("invalid_url");
    expect(await refusal(resolveTarget("http://user:pw@8.8.8.8/", strict()))).toBe("invalid_url");
  });
});

import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { clientKey } from "../../../src/domain/customers/throttle.js";
import { useTestApp } from "../../helpers/app.js";
import { uniqueEmail } from "../../helpers/customers.js";

// The client address comes from the socket (never from a header), so these tests talk to a real server
// over real connections, each from its own loopback address (Linux routes all of 127/8 to lo).
const t = useTestApp();
let base: URL;
beforeAll(async () => {
  base = new URL((await t.app.start()).url);
});

interface Answer {
  status: number;
  retryAfter: number | null;
  body: any;
}

/** POSTs JSON from the loopback address `from` (e.g. 127.0.0.7). */
function post(from: string, path: string, body: unknown): Promise<Answer> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: "POST",
        localAddress: from,
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          resolve({
            status: res.statusCode!,
            retryAfter: retryAfter === undefined ? null : Number(retryAfter),
            body: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const PASSWORD = "the-owners-password";
const signIn = (from: string, email: string, password: string) =>
  post(from, "/api/auth/sign-in/email", { email, password });

/** Signs an owner up from `from` (which therefore has had a session of the account). */
async function owner(from = "127.0.0.250") {
  const email = uniqueEmail("owner");
  const res = await post(from, "/api/auth/sign-up/email", { email, password: PASSWORD, name: "Owner" });
  expect(res.status).toBe(200);
  return email;
}

let nextAddress = 10;
/** A loopback address no other test has used. */
const freshAddress = () => `127.0.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 2}`;

describe("sign-in throttling", () => {
  it("locks an attacker's address out of an account without stopping the owner elsewhere", async () => {
    const email = await owner();
    const [attacker, ownersPhone] = [freshAddress(), freshAddress()];
    for (let i = 0; i < 5; i++) expect((await signIn(attacker, email, `guess-${i}`)).status).toBe(401);
    const locked = await signIn(attacker, email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("TOO_MANY_REQUESTS"); // Better Auth's error shape on /api/auth
    expect(locked.retryAfter).toBeGreaterThan(60); // the pair stays locked for the window

    const theOwner = await signIn(ownersPhone, email, PASSWORD);
    expect(theOwner.status).toBe(200);
    expect(theOwner.body.user.email).toBe(email);
    // The owner's success does not unlock the attacker's address.
    expect((await signIn(attacker, email, PASSWORD)).status).toBe(429);
  });

  it("counts failures per address too: an address guessing across many accounts is locked, others are not", async () => {
    const victim = await owner();
    const [sprayer, someoneElse] = [freshAddress(), freshAddress()];
    for (let i = 0; i < 50; i++) expect((await signIn(sprayer, uniqueEmail("spray"), "password-1")).status).toBe(401);
    const locked = await signIn(sprayer, victim, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBeGreaterThan(60);
    expect((await signIn(someoneElse, victim, PASSWORD)).status).toBe(200);
  });

  it("slows a distributed guess at one account down to a short delay, and never delays an address the owner used", async () => {
    const knownAddress = freshAddress();
    const email = await owner(knownAddress);
    // 100 failures from 25 addresses, 4 each: no pair and no address reaches its own limit.
    const attackers = Array.from({ length: 25 }, freshAddress);
    await Promise.all(
      attackers.map(async (from) => {
        for (let i = 0; i < 4; i++) expect((await signIn(from, email, `${from}-guess-${i}`)).status).toBe(401);
      }),
    );
    // Over the account's cap, addresses that never signed in to it share one try per few seconds ...
    const [attacker, ownersNewLaptop] = [freshAddress(), freshAddress()];
    const first = await signIn(attacker, email, "another-guess");
    expect(first.status).toBe(401);
    const slowed = await signIn(ownersNewLaptop, email, PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.body.code).toBe("TOO_MANY_REQUESTS");
    expect(slowed.retryAfter).toBeGreaterThanOrEqual(1);
    expect(slowed.retryAfter).toBeLessThanOrEqual(5);
    // ... while the address the owner signed up from goes straight through.
    const known = await signIn(knownAddress, email, PASSWORD);
    expect(known.status).toBe(200);
    expect(known.body.user.email).toBe(email);
  });

  it("keeps failures of one account apart from other accounts", async () => {
    const [a, b] = [await owner(), await owner()];
    const from = freshAddress();
    for (let i = 0; i < 5; i++) await signIn(from, a, `guess-${i}`);
    expect((await signIn(from, a, PASSWORD)).status).toBe(429);
    expect((await signIn(from, b, PASSWORD)).status).toBe(200);
  });
});

describe("client keys", () => {
  it("count IPv4 (also IPv4-mapped) as is and IPv6 per /64", () => {
    expect(clientKey("203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe(clientKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
    expect(clientKey("2001:db8:1:2::1")).not.toBe(clientKey("2001:db8:1:3::1"));
    expect(clientKey(undefined)).toBeUndefined();
  });
});

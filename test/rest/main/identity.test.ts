import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { AppSecrets } from "../../../src/infra/secrets.js";
import { useTestApp } from "../../helpers/app.js";
import { signedIn, signUp, uniqueEmail } from "../../helpers/customers.js";

const t = useTestApp();
const anonymous = { key: null } as const;

describe("sign-up", () => {
  it("registers a customer, answers like Better Auth and sets an HttpOnly session cookie", async () => {
    const email = uniqueEmail("Jane").replace("jane", "Jane");
    const res = await t.request("POST", "/api/auth/sign-up/email", {
      ...anonymous,
      body: { email, password: "s3cret-password", name: "Jane Doe" },
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^eyJ/);
    expect(res.body.user).toMatchObject({
      email: email.toLowerCase(),
      name: "Jane Doe",
      emailVerified: false,
      image: null,
    });
    expect(res.body).not.toHaveProperty("data"); // Better Auth's bare body, not repeated under data
    expect(res.headers.get("set-auth-token")).toBe(res.body.token);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/better-auth\.session_token=eyJ/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(JSON.stringify(res.body)).not.toContain("argon2");

    const stored = await t.app.db.prisma.customer.findUniqueOrThrow({ where: { id: res.body.user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await t.app.db.prisma.auditEntry.findFirstOrThrow({
      where: { entityId: stored.id, event: "customers.create" },
    });
    expect(JSON.stringify(audit.after)).not.toContain("passwordHash");
  });

  it("accepts what Better Auth clients send besides the fields (image, callbackURL, rememberMe)", async () => {
    const email = uniqueEmail();
    const up = await t.request("POST", "/api/auth/sign-up/email", {
      ...anonymous,
      body: {
        email,
        password: "long-enough-password",
        name: "Pic",
        image: "https://cdn.example.com/me.png",
        callbackURL: "/welcome",
      },
    });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.user.image).toBe("https://cdn.example.com/me.png");
    const signIn = await t.request("POST", "/api/auth/sign-in/email", {
      ...anonymous,
      body: { email, password: "long-enough-password", rememberMe: true, callbackURL: "/account" },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.image).toBe("https://cdn.example.com/me.png");
  });

  it("refuses a taken email (422), a short password and a bad email (400) with Better Auth's codes", async () => {
    const { email } = await signUp(t);
    const taken = await t.request("POST", "/api/auth/sign-up/email", {
      ...anonymous,
      body: { email: email.toUpperCase(), password: "another-password", name: "X" },
    });
    expect(taken.status).toBe(422);
    expect(taken.body.code).toBe("USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
    const weak = await t.request("POST", "/api/auth/sign-up/email", {
      ...anonymous,
      body: { email: uniqueEmail(), password: "short", name: "X" },
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ code: "PASSWORD_TOO_SHORT", message: "Password too short" });
    const bad = await t.request("POST", "/api/auth/sign-up/email", {
      ...anonymous,
      body: { email: "not-an-email", password: "long-enough-password", name: "X" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("INVALID_EMAIL");
    expect(bad.body.details[0].path).toBe("email");
    const missing = await t.request("POST", "/api/auth/sign-up/email", {
      ...anonymous,
      body: { email: uniqueEmail() },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe("VALIDATION_ERROR");
  });
});

describe("sign-in, sessions and sign-out", () => {
  it("signs in by email (any case) and the session works as bearer token and as cookie", async () => {
    const { email } = await signUp(t, { password: "my-long-password" });
    const res = await t.request("POST", "/api/auth/sign-in/email", {
      ...anonymous,
      body: { email: email.toUpperCase(), password: "my-long-password" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ redirect: false, user: { email } });
    const me = signedIn(res, email);

    const byBearer = await t.request("GET", "/api/me/profile", me.as);
    expect(byBearer.status).toBe(200);
    expect(byBearer.body.data).toMatchObject({ id: me.id, email });
    // seed 004's apps send the JWT without the Bearer prefix
    expect(
      (await t.request("GET", "/api/me/profile", { key: null, headers: { authorization: me.token } })).status,
    ).toBe(200);
    const byCookie = await t.request("GET", "/api/me/profile", { key: null, headers: { cookie: me.cookie } });
    expect(byCookie.body.data.id).toBe(me.id);

    const session = await t.request("GET", "/api/auth/get-session", { key: null, headers: { cookie: me.cookie } });
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ id: me.id, email });
    expect(session.body.session).toMatchObject({ userId: me.id });
    expect(new Date(session.body.session.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
  });

  it("answers a wrong password or unknown email with the same 401", async () => {
    const { email } = await signUp(t);
    const wrong = await t.request("POST", "/api/auth/sign-in/email", {
      ...anonymous,
      body: { email, password: "wrong-password" },
    });
    const unknown = await t.request("POST", "/api/auth/sign-in/email", {
      ...anonymous,
      body: { email: uniqueEmail(), password: "wrong-password" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("throttles repeated failures for an account with 429 and Retry-After, even for the right password", async () => {
    const { email } = await signUp(t, { password: "the-right-password" });
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await t.request("POST", "/api/auth/sign-in/email", {
            ...anonymous,
            body: { email, password: `guess-${i}-wrong` },
          })
        ).status,
      ).toBe(401);
    }
    const blocked = await t.request("POST", "/api/auth/sign-in/email", {
      ...anonymous,
      body: { email, password: "the-right-password" },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // other accounts are not affected
    const other = await signUp(t, { password: "other-password" });
    expect(
      (
        await t.request("POST", "/api/auth/sign-in/email", {
          ...anonymous,
          body: { email: other.email, password: "other-password" },
        })
      ).status,
    ).toBe(200);
  });

  it("signs out at once: the token is refused and the cookie no longer signs in", async () => {
    const me = await signUp(t);
    const out = await t.request("POST", "/api/auth/sign-out", me.as);
    expect(out.status).toBe(200);
    expect(out.body.success).toBe(true);
    expect(out.headers.get("set-cookie")).toMatch(/better-auth\.session_token=;.*Max-Age=0/);
    expect((await t.request("GET", "/api/me/profile", me.as)).status).toBe(401);
    const cookieAfter = await t.request("GET", "/api/auth/get-session", { key: null, headers: { cookie: me.cookie } });
    expect(cookieAfter.body).toBeNull();
    expect((await t.request("GET", "/api/me/profile", { key: null, headers: { cookie: me.cookie } })).status).toBe(401);
  });

  it("refuses forged and expired tokens", async () => {
    const me = await signUp(t);
    const claims = JSON.parse(Buffer.from(me.token.split(".")[1]!, "base64url").toString());
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("x".repeat(32)));
    expect(
      (await t.request("GET", "/api/me/profile", { key: null, headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
    const key = (await AppSecrets.load(t.app.db.prisma, t.app.config.appSecret)).key("session");
    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(key);
    expect(
      (await t.request("GET", "/api/me/profile", { key: null, headers: { authorization: `Bearer ${expired}` } }))
        .status,
    ).toBe(401);
    // the same claims, correctly signed and current, do work: the refusals above are about signature and expiry
    const fresh = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(key);
    expect(
      (await t.request("GET", "/api/me/profile", { key: null, headers: { authorization: `Bearer ${fresh}` } })).status,
    ).toBe(200);
  });

  it("answers /me with 401 for anonymous callers and merchant keys alike", async () => {
    expect((await t.request("GET", "/api/me/profile", anonymous)).status).toBe(401);
    const merchant = await t.request("GET", "/api/me/orders");
    expect(merchant.status).toBe(401);
    expect(merchant.body.error.code).toBe("UNAUTHORIZED");
    expect((await t.request("GET", "/api/auth/get-session", anonymous)).body).toBeNull();
  });

  it("refuses a cookie-authenticated sign-out from another origin (CSRF)", async () => {
    const me = await signUp(t);
    const res = await t.request("POST", "/api/auth/sign-out", {
      key: null,
      headers: { cookie: me.cookie, origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect((await t.request("GET", "/api/me/profile", me.as)).status).toBe(200);
  });
});

describe("profile and addresses", () => {
  it("updates the profile, emitting customers.update to audit and webhooks", async () => {
    const me = await signUp(t, { name: "Old Name" });
    const res = await t.request("PATCH", "/api/me/profile", {
      ...me.as,
      body: { name: "New Name", phone: "+49 30 1234567" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: "New Name", phone: "+49 30 1234567" });
    expect((await t.request("GET", "/api/me/profile", me.as)).body.data.name).toBe("New Name");
    const entry = await t.app.db.prisma.auditEntry.findFirstOrThrow({
      where: { entityId: me.id, event: "customers.update" },
    });
    expect(entry).toMatchObject({ actorType: "customer", actorId: me.id });
    expect((entry.before as { name: string }).name).toBe("Old Name");
    expect(JSON.stringify(entry.after)).not.toContain("passwordHash");

    const badPhone = await t.request("PATCH", "/api/me/profile", { ...me.as, body: { phone: "call me" } });
    expect(badPhone.status).toBe(422);
    expect(badPhone.body.error.details[0].path).toBe("phone");
    const email = await t.request("PATCH", "/api/me/profile", { ...me.as, body: { email: "new@example.com" } });
    expect(email.status).toBe(422);
    expect(email.body.error.details[0].path).toBe("email");
    const metadata = await t.request("PATCH", "/api/me/profile", { ...me.as, body: { metadata: { vip: true } } });
    expect(metadata.status).toBe(422);
    expect(metadata.body.error.details[0].path).toBe("metadata");
  });

  it("adds, lists and deletes addresses with a single default", async () => {
    const me = await signUp(t);
    const first = await t.request("POST", "/api/me/addresses", {
      ...me.as,
      body: { line1: "Main St 1", city: "Berlin", country: "de" },
    });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ country: "DE", isDefaultShipping: true, isDefaultBilling: true });
    const second = await t.request("POST", "/api/me/addresses", {
      ...me.as,
      body: { line1: "Side St 2", city: "Paris", country: "FR", isDefaultShipping: true },
    });
    expect(second.body.data).toMatchObject({ isDefaultShipping: true, isDefaultBilling: false });
    const list = await t.request("GET", "/api/me/addresses", me.as);
    expect(
      list.body.data.map((a: { city: string; isDefaultShipping: boolean }) => [a.city, a.isDefaultShipping]),
    ).toEqual([
      ["Berlin", false],
      ["Paris", true],
    ]);
    const invalid = await t.request("POST", "/api/me/addresses", {
      ...me.as,
      body: { line1: "x", city: "y", country: "Germany" },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details[0].path).toBe("country");
    const deleted = await t.request("DELETE", `/api/me/addresses/${first.body.data.id}`, me.as);
    expect(deleted.status).toBe(200);
    expect((await t.request("GET", "/api/me/addresses", me.as)).body.data).toHaveLength(1);
    expect((await t.request("DELETE", `/api/me/addresses/${first.body.data.id}`, me.as)).status).toBe(404);
    expect((await t.request("DELETE", "/api/me/addresses/not-a-uuid", me.as)).status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents the Better Auth bodies and the session requirement of /me", async () => {
    const doc = (await t.request("GET", "/api/doc", anonymous)).body;
    const signIn = doc.paths["/api/auth/sign-in/email"].post.responses["200"].content["application/json"].schema;
    expect(Object.keys(signIn.properties)).toEqual(
      expect.arrayContaining(["token", "user", "redirect", "refreshToken"]),
    );
    expect(Object.keys(signIn.properties.user.properties)).toEqual(expect.arrayContaining(["id", "email", "image"]));
    const orders = doc.paths["/api/me/orders"].get;
    expect(orders.security).toEqual([{ Session: [] }, { Bearer: [] }]);
    expect(orders.responses["401"]).toBeDefined();
    const tracking =
      doc.paths["/api/me/orders/{idOrNumber}/tracking"].get.responses["200"].content["application/json"].schema;
    expect(Object.keys(tracking.properties.data.properties)).toEqual(["orderId", "number", "status", "fulfillments"]);
  });
});

describe("GraphQL", () => {
  const send = (query: string, variables: Record<string, unknown>, token?: string) =>
    t.app
      .fetch(
        new Request("http://localhost/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        }),
      )
      .then((r) => r.json() as Promise<any>);

  it("signs in and reads me with the same data as REST", async () => {
    const { email } = await signUp(t, { password: "graphql-password", name: "Graph Q" });
    const signIn = await send(
      `mutation ($input: SignInInput!) { signIn(input: $input) { __typename ... on SignInPayload { auth { token customer { email } } } ... on Error { code message } } }`,
      { input: { email, password: "graphql-password" } },
    );
    const token = signIn.data.signIn.auth.token;
    expect(signIn.data.signIn.auth.customer.email).toBe(email);
    const me = await send(`{ me { id email name addresses { id } orders(first: 5) { totalCount } } }`, {}, token);
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toMatchObject({ email, name: "Graph Q", addresses: [], orders: { totalCount: 0 } });
    const wrong = await send(
      `mutation ($input: SignInInput!) { signIn(input: $input) { __typename ... on Error { code } } }`,
      { input: { email, password: "nope-nope-nope" } },
    );
    expect(wrong.data.signIn).toEqual({ __typename: "BusinessError", code: "UNAUTHORIZED" });
    const anonymousMe = await send(`{ me { id } }`, {});
    expect(anonymousMe.errors[0].extensions.code).toBe("UNAUTHORIZED");
  });
});

import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { uniqueEmail } from "../../helpers/customers.js";

const t = useTestApp();
const PASSWORD = "correct horse battery";

async function signIn(email: string) {
  const res = await t.request("POST", "/api/auth/sign-in/email", { key: null, body: { email, password: PASSWORD } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

async function newCustomer() {
  const email = uniqueEmail("refresh");
  const res = await t.request("POST", "/api/auth/sign-up/email", {
    key: null,
    body: { email, password: PASSWORD, name: "R" },
  });
  expect(res.status).toBe(200);
  return { email, res };
}

const me = (token: string, bare = false) =>
  t.request("GET", "/api/me/profile", { key: null, headers: { authorization: bare ? token : `Bearer ${token}` } });
const refresh = (refreshToken: string) => t.request("POST", "/api/auth/refresh", { key: null, body: { refreshToken } });

function claims(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as {
    exp: number;
    iat: number;
    aud?: string;
  };
}

describe("access tokens and rotating refresh tokens (seed 004)", () => {
  it("issues a 15-minute access token with a refresh token, and a session-long token only in the HttpOnly cookie", async () => {
    const { res } = await newCustomer();
    const access = claims(res.body.token);
    expect(access.exp - access.iat).toBe(15 * 60);
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(Date.parse(res.body.tokenExpiresAt)).toBe(access.exp * 1000);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!.split("=")[1]!;
    expect(claims(cookie).aud).toBe("cookie");
    expect(JSON.stringify(res.body)).not.toContain(cookie);
    // The cookie token is not a bearer credential, the access token not a cookie.
    expect((await me(cookie)).status).toBe(401);
    const byCookie = await t.request("GET", "/api/me/profile", {
      key: null,
      headers: { cookie: `better-auth.session_token=${res.body.token}` },
    });
    expect(byCookie.status).toBe(401);
    expect(
      (
        await t.request("GET", "/api/me/profile", {
          key: null,
          headers: { cookie: `better-auth.session_token=${cookie}` },
        })
      ).status,
    ).toBe(200);
  });

  it("accepts the access token without the Bearer prefix (seed 004: token only)", async () => {
    const { res } = await newCustomer();
    const answer = await me(res.body.token, true);
    expect(answer.status).toBe(200);
    expect(answer.body.data.id).toBe(res.body.user.id);
  });

  it("rotates: a refresh token buys new tokens once; reusing it revokes the whole family", async () => {
    const { email } = await newCustomer();
    const first = await signIn(email);
    const second = await refresh(first.body.refreshToken);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    expect(second.headers.get("set-auth-token")).toBe(second.body.token);
    expect((await me(second.body.token)).status).toBe(200);

    const reused = await refresh(first.body.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: "REFRESH_TOKEN_REUSED", errorCode: "REFRESH_TOKEN_REUSED" });
    // The family is gone: the newest refresh token and every access token of the session are refused.
    const afterTheft = await refresh(second.body.refreshToken);
    expect(afterTheft.status).toBe(401);
    expect(afterTheft.body.errorCode).toBe("INVALID_REFRESH_TOKEN");
    expect((await me(second.body.token)).status).toBe(401);
    // Other sessions of the customer are untouched.
    const other = await signIn(email);
    expect((await me(other.body.token)).status).toBe(200);
  });

  it("sign-out revokes the refresh token", async () => {
    const { email } = await newCustomer();
    const session = await signIn(email);
    const out = await t.request("POST", "/api/auth/sign-out", {
      key: null,
      headers: { authorization: `Bearer ${session.body.token}` },
    });
    expect(out.status).toBe(200);
    const refused = await refresh(session.body.refreshToken);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: "INVALID_REFRESH_TOKEN" });
    expect((await refresh("not-a-token")).body.errorCode).toBe("INVALID_REFRESH_TOKEN");
  });

  it("answers a revoked bearer with 401 in our envelope outside /api/auth, and get-session with null", async () => {
    const { email } = await newCustomer();
    const session = await signIn(email);
    await t.request("POST", "/api/auth/sign-out", {
      key: null,
      headers: { authorization: `Bearer ${session.body.token}` },
    });
    const outside = await me(session.body.token);
    expect(outside.status).toBe(401);
    expect(outside.body.error.code).toBe("UNAUTHORIZED");
    const inside = await t.request("GET", "/api/auth/get-session", {
      key: null,
      headers: { authorization: `Bearer ${session.body.token}` },
    });
    expect(inside.status).toBe(200);
    expect(inside.body).toBeNull();
  });

  it("refreshes through GraphQL too, with the reason as a field error code", async () => {
    const { email } = await newCustomer();
    const session = await signIn(email);
    const query = `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) {
      __typename ... on RefreshSessionPayload { auth { token refreshToken } } ... on ValidationError { fieldErrors { path code } } } }`;
    const ok = await t.graphql(query, { input: { refreshToken: session.body.refreshToken } }, null);
    expect(ok.body.data.refreshSession.auth.token).toMatch(/^eyJ/);
    const again = await t.graphql(query, { input: { refreshToken: session.body.refreshToken } }, null);
    expect(again.body.data.refreshSession.fieldErrors).toEqual([
      { path: "refreshToken", code: "refresh_token_reused" },
    ]);
  });
});

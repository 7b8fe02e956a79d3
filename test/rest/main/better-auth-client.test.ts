import { createAuthClient } from "better-auth/client";
import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { uniqueEmail } from "../../helpers/customers.js";
import { startMailbox } from "../../helpers/mailbox.js";

// The official `better-auth` client, pointed at our /api/auth through the in-process fetch handler.
const mailbox = await startMailbox();
const t = useTestApp({ smtpUrl: mailbox.url, publicUrl: "http://shop.test" });
afterAll(() => mailbox.close());

function client(bearer?: () => string | undefined) {
  return createAuthClient({
    baseURL: "http://localhost",
    basePath: "/api/auth",
    fetchOptions: {
      customFetchImpl: (input, init) => t.app.fetch(new Request(input as string, init)),
      ...(bearer ? { auth: { type: "Bearer" as const, token: bearer } } : {}),
    },
  });
}

async function runJobs() {
  const res = await t.request("GET", "/api/jobs/run?queue=mail");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The token of the newest mailed link to `email` (verify-email ?token= or reset-password/<token>). */
async function mailedToken(email: string): Promise<string> {
  await runJobs();
  const link = mailbox.linksTo(email).at(-1);
  expect(link, `no mail to ${email}`).toBeTruthy();
  const url = new URL(link!);
  expect(url.origin).toBe("http://shop.test");
  return url.searchParams.get("token") ?? url.pathname.split("/").at(-1)!;
}

describe("the better-auth client against /api/auth", () => {
  it("signs up (rememberMe accepted), reads the session with its token, and getSession is null when signed out", async () => {
    const email = uniqueEmail("ba");
    let token: string | undefined;
    const auth = client(() => token);
    // rememberMe is part of Better Auth's sign-up body; this client version's types do not list it.
    const up = await auth.signUp.email({
      email,
      password: "correct horse battery",
      name: "Ada",
      rememberMe: false,
    } as never);
    expect(up.error).toBeNull();
    expect(up.data!.user).toMatchObject({ email, name: "Ada", emailVerified: false, image: null });
    token = up.data!.token!;
    expect(token).toMatch(/^eyJ/);

    const session = await auth.getSession();
    expect(session.error).toBeNull();
    expect(session.data!.user.id).toBe(up.data!.user.id);
    expect(session.data!.session.token).toBe(session.data!.session.id);
    expect(session.data!.session.userId).toBe(up.data!.user.id);
    expect(session.data).not.toHaveProperty("data");

    const signedOut = await client().getSession();
    expect(signedOut.error).toBeNull();
    expect(signedOut.data).toBeNull();
  });

  it("gives Better Auth's status codes and { code, message } errors", async () => {
    const email = uniqueEmail("ba");
    const auth = client();
    await auth.signUp.email({ email, password: "correct horse battery", name: "Ada" });
    const taken = await auth.signUp.email({ email, password: "correct horse battery", name: "Ada" });
    expect(taken.error).toMatchObject({
      status: 422,
      code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
      message: "User already exists. Use another email.",
    });
    const short = await auth.signUp.email({ email: uniqueEmail("ba"), password: "short", name: "Ada" });
    expect(short.error).toMatchObject({ status: 400, code: "PASSWORD_TOO_SHORT" });
    const wrong = await auth.signIn.email({ email, password: "not the password" });
    expect(wrong.error).toMatchObject({
      status: 401,
      code: "INVALID_EMAIL_OR_PASSWORD",
      message: "Invalid email or password",
    });
    const anonymous = await auth.listSessions();
    expect(anonymous.error).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });

  it("lists and revokes sessions, updates the user, changes the password revoking the others, signs out", async () => {
    const email = uniqueEmail("ba");
    let first: string | undefined;
    let second: string | undefined;
    const a = client(() => first);
    const b = client(() => second);
    first = (await a.signUp.email({ email, password: "correct horse battery", name: "Ada" })).data!.token!;
    second = (await b.signIn.email({ email, password: "correct horse battery", rememberMe: true })).data!.token!;

    const listed = await a.listSessions();
    expect(listed.error).toBeNull();
    expect(listed.data).toHaveLength(2);
    const bSession = (await b.getSession()).data!.session;
    expect(listed.data!.map((s) => s.token)).toContain(bSession.token);

    expect((await a.revokeSession({ token: bSession.token })).data).toEqual({ status: true });
    expect((await b.getSession()).data).toBeNull(); // a revoked bearer is "signed out", as Better Auth answers
    expect((await a.listSessions()).data).toHaveLength(1);

    expect((await a.updateUser({ name: "Ada L." })).data).toEqual({ status: true });
    expect((await a.getSession()).data!.user.name).toBe("Ada L.");

    second = (await b.signIn.email({ email, password: "correct horse battery" })).data!.token!;
    const wrongCurrent = await a.changePassword({
      currentPassword: "nope nope nope",
      newPassword: "a new battery staple",
    });
    expect(wrongCurrent.error).toMatchObject({ status: 400, code: "INVALID_PASSWORD" });
    const changed = await a.changePassword({
      currentPassword: "correct horse battery",
      newPassword: "a new battery staple",
      revokeOtherSessions: true,
    });
    expect(changed.error).toBeNull();
    expect(changed.data!.token).toMatch(/^eyJ/);
    expect((await b.getSession()).data).toBeNull();
    expect((await a.getSession()).data).toBeNull(); // the old session ended too; the new token works
    first = changed.data!.token!;
    expect((await a.getSession()).data!.user.email).toBe(email);
    expect((await client().signIn.email({ email, password: "correct horse battery" })).error?.status).toBe(401);

    second = (await b.signIn.email({ email, password: "a new battery staple" })).data!.token!;
    expect((await a.revokeOtherSessions()).data).toEqual({ status: true });
    expect((await b.getSession()).data).toBeNull();
    expect((await a.getSession()).data).not.toBeNull();
    expect((await a.signOut()).data).toEqual({ success: true });
    expect((await a.getSession()).data).toBeNull();

    first = (await a.signIn.email({ email, password: "a new battery staple" })).data!.token!;
    expect((await a.revokeSessions()).data).toEqual({ status: true });
    expect((await a.getSession()).data).toBeNull();
  });

  it("resets a password with the mailed link (single use) and verifies the email with the mailed link", async () => {
    const email = uniqueEmail("ba");
    let token: string | undefined;
    const auth = client(() => token);
    token = (await auth.signUp.email({ email, password: "correct horse battery", name: "Ada" })).data!.token!;

    const verifyToken = await mailedToken(email);
    const verified = await auth.verifyEmail({ query: { token: verifyToken } });
    expect(verified.error).toBeNull();
    expect(verified.data).toMatchObject({ status: true });
    expect((await auth.getSession()).data!.user.emailVerified).toBe(true);
    const again = await auth.verifyEmail({ query: { token: verifyToken } });
    expect(again.error).toMatchObject({ status: 401, code: "INVALID_TOKEN" });
    expect((await auth.sendVerificationEmail({ email })).error).toMatchObject({
      status: 400,
      code: "EMAIL_ALREADY_VERIFIED",
    });

    const asked = await client().requestPasswordReset({ email, redirectTo: "/reset" });
    expect(asked.data).toMatchObject({ status: true });
    const unknown = await client().requestPasswordReset({ email: uniqueEmail("nobody"), redirectTo: "/reset" });
    expect(unknown.data).toEqual(asked.data);
    const resetToken = await mailedToken(email);

    const followed = await t.request("GET", `/api/auth/reset-password/${resetToken}?callbackURL=https://evil.example`, {
      key: null,
    });
    expect(followed.status).toBe(302);
    expect(followed.headers.get("location")).toBe(`/reset?token=${resetToken}`);

    const short = await client().resetPassword({ newPassword: "short", token: resetToken });
    expect(short.error).toMatchObject({ status: 400, code: "PASSWORD_TOO_SHORT" });
    const reset = await client().resetPassword({ newPassword: "brand new battery", token: resetToken });
    expect(reset.error).toBeNull();
    expect(reset.data).toEqual({ status: true });
    expect((await auth.getSession()).data).toBeNull(); // a reset ends every session
    const reused = await client().resetPassword({ newPassword: "another new battery", token: resetToken });
    expect(reused.error).toMatchObject({ status: 400, code: "INVALID_TOKEN" });
    expect((await client().signIn.email({ email, password: "brand new battery" })).error).toBeNull();

    const foreign = await client().requestPasswordReset({ email, redirectTo: "https://evil.example/steal" });
    expect(foreign.error).toMatchObject({ status: 403, code: "INVALID_REDIRECT_URL" });
  });
});

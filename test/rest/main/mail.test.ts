import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileTransport } from "../../../src/infra/mail.js";
import { useTestApp } from "../../helpers/app.js";
import { uniqueEmail } from "../../helpers/customers.js";
import { startMailbox } from "../../helpers/mailbox.js";

// Account mails go through the job table to a real SMTP server the test starts.
const mailbox = await startMailbox();
const t = useTestApp({ smtpUrl: mailbox.url, publicUrl: "http://shop.test" });
afterAll(() => mailbox.close());

async function runJobs() {
  const res = await t.request("GET", "/api/jobs/run?queue=mail");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as { claimed: number; completed: number; failed: number; retried: number };
}

function tokenOf(link: string): string {
  const url = new URL(link);
  return url.searchParams.get("token") ?? url.pathname.split("/").at(-1)!;
}

describe("account mails over SMTP", () => {
  it("queues the verification mail with the sign-up and sends it through SMTP; the mailed link verifies the email", async () => {
    const email = uniqueEmail("mail");
    const up = await t.request("POST", "/api/auth/sign-up/email", {
      key: null,
      body: { email, password: "correct horse battery", name: "Mo" },
    });
    expect(up.status).toBe(200);
    expect(mailbox.linksTo(email)).toHaveLength(0); // queued, not sent inside the request

    await runJobs();
    const [link] = mailbox.linksTo(email);
    expect(link).toMatch(/^http:\/\/shop\.test\/api\/auth\/verify-email\?token=eyJ/);
    expect(mailbox.messages.find((m) => m.to.includes(email))!.subject).toMatch(/Verify your email/);

    const verified = await t.request("GET", new URL(link!).pathname + new URL(link!).search, { key: null });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ status: true, user: null });
    const session = await t.request("GET", "/api/auth/get-session", {
      key: null,
      headers: { authorization: `Bearer ${up.body.token}` },
    });
    expect(session.body.user.emailVerified).toBe(true);
    const again = await t.request("GET", new URL(link!).pathname + new URL(link!).search, { key: null });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: "INVALID_TOKEN" });
  });

  it("lets a customer created by a merchant claim the account by the mailed link, not by sign-up alone", async () => {
    const email = uniqueEmail("claim");
    const created = await t.request("POST", "/api/customers", { body: { email, name: "Merchant Made" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const merchantId = created.body.data.id as string;
    expect(merchantId, JSON.stringify(created.body)).toBeTruthy();

    const up = await t.request("POST", "/api/auth/sign-up/email", {
      key: null,
      body: { email, password: "claimed battery staple", name: "Claimer" },
    });
    expect(up.status).toBe(200);
    expect(up.body.token).toBeNull();
    expect(up.body.user.id).not.toBe(merchantId); // nothing of the merchant's record is shown
    expect(up.headers.get("set-cookie")).toBeNull();
    expect(
      (
        await t.request("POST", "/api/auth/sign-in/email", {
          key: null,
          body: { email, password: "claimed battery staple" },
        })
      ).status,
    ).toBe(401);

    await runJobs();
    const link = mailbox.linksTo(email).at(-1)!;
    expect(mailbox.messages.find((m) => m.to.includes(email))!.subject).toMatch(/activate/);
    const verified = await t.request("GET", `/api/auth/verify-email?token=${tokenOf(link)}`, { key: null });
    expect(verified.status).toBe(200);

    const signIn = await t.request("POST", "/api/auth/sign-in/email", {
      key: null,
      body: { email, password: "claimed battery staple" },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user).toMatchObject({ id: merchantId, emailVerified: true });
  });

  it("retries a mail the SMTP server refuses, with backoff, like a webhook delivery", async () => {
    mailbox.failNext(1);
    const email = uniqueEmail("retry");
    const asked = await t.request("POST", "/api/auth/request-password-reset", {
      key: null,
      body: { email: `nobody-${email}` },
    });
    expect(asked.status).toBe(200);
    await t.request("POST", "/api/auth/sign-up/email", {
      key: null,
      body: { email, password: "correct horse battery", name: "Re" },
    });
    const run = await runJobs();
    expect(run).toMatchObject({ claimed: 1, completed: 0, retried: 1, failed: 0 });
    expect(mailbox.linksTo(email)).toHaveLength(0);
    // Not due again at once: the retry waits for its backoff.
    expect((await runJobs()).claimed).toBe(0);
  });

  it("writes each message to DATA_DIR/mail in development and logs its link", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cartograph-mail-"));
    const logged: unknown[] = [];
    const logger = { debug() {}, info: (_m: string, fields?: unknown) => logged.push(fields), warn() {}, error() {} };
    await fileTransport(dir, "Shop <shop@example.com>", logger as never).send({
      to: "a@example.com",
      subject: "Hi",
      text: "Go to http://x.test/l",
      link: "http://x.test/l",
    });
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(await readFile(path.join(dir, files[0]!), "utf8")).toMatch(/Subject: Hi[\s\S]*http:\/\/x\.test\/l/);
    expect(logged).toContainEqual(expect.objectContaining({ link: "http://x.test/l", to: "a@example.com" }));
  });
});

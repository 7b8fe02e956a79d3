import { expect } from "vitest";
import type { Sent, TestApp } from "./app.js";

export interface SignedIn {
  id: string;
  email: string;
  token: string;
  /** The `Cookie` header a browser would send back. */
  cookie: string;
  /** Request options acting as this customer with a bearer token (no API key). */
  as: { key: null; headers: Record<string, string> };
}

let seq = 0;

export function uniqueEmail(label = "shopper"): string {
  return `${label}-${++seq}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** Signs a new customer up through REST. */
export async function signUp(
  t: TestApp,
  options: { email?: string; password?: string; name?: string } = {},
): Promise<SignedIn> {
  const email = options.email ?? uniqueEmail();
  const res = await t.request("POST", "/api/auth/sign-up/email", {
    key: null,
    body: { email, password: options.password ?? "correct horse battery", name: options.name ?? "Jane Doe" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return signedIn(res, email);
}

export function signedIn(res: Sent, email: string): SignedIn {
  const token = res.body.token as string;
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  return {
    id: res.body.user.id,
    email,
    token,
    cookie,
    as: { key: null, headers: { authorization: `Bearer ${token}` } },
  };
}

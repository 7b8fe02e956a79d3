import { serialize as serializeCookie } from "hono/utils/cookie";
import { SESSION_TTL_SECONDS } from "../../../domain/customers/sessions.js";
import { SESSION_COOKIE } from "../../../http/middleware.js";
import { mutationOperation, type OpenApiSchema, type RestRequest, route } from "../../route.js";

const tag = "Auth";

export const authFragments: Record<string, string> = {
  AuthUserFields: /* GraphQL */ `
    fragment AuthUserFields on Customer { id email name emailVerified metadata createdAt updatedAt }`,
  AuthSessionFields: /* GraphQL */ `
    fragment AuthSessionFields on CustomerSession { id customerId expiresAt createdAt userAgent ipAddress }`,
};

interface AuthUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
  metadata: { image?: unknown };
  createdAt: string;
  updatedAt: string;
}

interface AuthSessionRow {
  id: string;
  customerId: string;
  expiresAt: string;
  createdAt: string;
  userAgent: string | null;
  ipAddress: string | null;
}

/** Better Auth's user object (its clients read `image` too). */
function user({ metadata, ...customer }: AuthUser) {
  return { ...customer, image: typeof metadata.image === "string" ? metadata.image : null };
}

/** Better Auth's session object. */
function session(row: AuthSessionRow) {
  return {
    id: row.id,
    userId: row.customerId,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
  };
}

function sessionCookie(request: RestRequest, token: string, maxAge: number): string {
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  return serializeCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "Lax", maxAge, secure });
}

/**
 * Better Auth answers with bare bodies (`{ token, user }`, `{ session, user }`), which is what the
 * browser and app clients of seed 002 read; the same payload is also under `data`, the envelope every
 * other route has. The session travels as an HttpOnly cookie (browsers) and in `set-auth-token` (apps).
 */
function authReply(body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ ...body, data: body }), {
    status: 200,
    headers: { "content-type": "application/json; charset=UTF-8", "cache-control": "no-store", ...headers },
  });
}

function signedIn(extra: Record<string, unknown>) {
  return (payload: { token: string; customer: AuthUser }, request: RestRequest) =>
    authReply(
      { ...extra, token: payload.token, user: user(payload.customer) },
      { "set-cookie": sessionCookie(request, payload.token, SESSION_TTL_SECONDS), "set-auth-token": payload.token },
    );
}

const AUTH_SELECTION = "token customer { ...AuthUserFields }";

const USER_SCHEMA: OpenApiSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    email: { type: "string" },
    name: { type: "string", nullable: true },
    emailVerified: { type: "boolean" },
    image: { type: "string", nullable: true },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
};

const SESSION_SCHEMA: OpenApiSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    userId: { type: "string" },
    expiresAt: { type: "string", format: "date-time" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    ipAddress: { type: "string", nullable: true },
    userAgent: { type: "string", nullable: true },
  },
};

/** Better Auth's bare body, repeated under `data`. */
function bareAndEnveloped(properties: Record<string, OpenApiSchema>, nullable = false): () => OpenApiSchema {
  const body: OpenApiSchema = { type: "object", properties };
  return () => ({ type: "object", properties: { ...properties, data: { ...body, ...(nullable ? { nullable: true } : {}) } } });
}

const TOKEN = { type: "string", description: "The session JWT: send as Authorization: Bearer <token> (apps)." };

export const authRoutes = [
  route({
    method: "POST",
    path: "/auth/sign-up/email",
    summary: "Register a new user",
    tag,
    description:
      "Creates a customer in the store and signs them in. Responds like Better Auth: `{ token, user }` (also under " +
      "`data`), with the session in an HttpOnly `better-auth.session_token` cookie and a `set-auth-token` header. " +
      "Send the token as `Authorization: Bearer <token>` from apps. Password: 8 to 128 characters. An email already " +
      "registered is 409 CONFLICT.",
    operation: mutationOperation({ field: "signUp", inputType: "SignUpInput", dataField: "auth", selection: AUTH_SELECTION }),
    body: { variable: "input", example: { email: "user@example.com", password: "secret-password", name: "Jane Doe" } },
    result: ["signUp", "auth"],
    reply: signedIn({}),
    responseSchema: bareAndEnveloped({ token: TOKEN, user: USER_SCHEMA }),
  }),
  route({
    method: "POST",
    path: "/auth/sign-in/email",
    summary: "Sign in with email and password",
    tag,
    description:
      "Responds like Better Auth: `{ redirect: false, token, user }` (also under `data`), with the session cookie and " +
      "`set-auth-token`. Wrong email or password: 401. Repeated failures for an account or from a client: 429 with " +
      "Retry-After, even for the right password, until the 15-minute window passes.",
    operation: mutationOperation({ field: "signIn", inputType: "SignInInput", dataField: "auth", selection: AUTH_SELECTION }),
    body: { variable: "input", example: { email: "user@example.com", password: "secret-password" } },
    result: ["signIn", "auth"],
    reply: signedIn({ redirect: false, url: null }),
    responseSchema: bareAndEnveloped({ redirect: { type: "boolean" }, url: { type: "string", nullable: true }, token: TOKEN, user: USER_SCHEMA }),
  }),
  route({
    method: "GET",
    path: "/auth/get-session",
    summary: "Get the current session",
    tag,
    description:
      "`{ session, user }` (also under `data`) for the session of the cookie or bearer token; `{ session: null, user: " +
      "null, data: null }` when nobody is signed in.",
    operation: `query { session { session { ...AuthSessionFields } customer { ...AuthUserFields } } }`,
    result: ["session"],
    nullable: true,
    responseSchema: bareAndEnveloped({ session: { ...SESSION_SCHEMA, nullable: true }, user: { ...USER_SCHEMA, nullable: true } }, true),
    reply: (payload: { session: AuthSessionRow; customer: AuthUser } | null) =>
      payload
        ? authReply({ session: session(payload.session), user: user(payload.customer) })
        : new Response(JSON.stringify({ session: null, user: null, data: null }), {
            headers: { "content-type": "application/json; charset=UTF-8", "cache-control": "no-store" },
          }),
  }),
  route({
    method: "POST",
    path: "/auth/sign-out",
    summary: "Sign out",
    tag,
    description: "Ends the session at once (its token stops working) and clears the cookie. `{ success: true }`.",
    operation: `mutation { signOut { success } }`,
    result: ["signOut"],
    responseSchema: bareAndEnveloped({ success: { type: "boolean" } }),
    reply: (_payload: { success: boolean }, request: RestRequest) =>
      authReply({ success: true }, { "set-cookie": sessionCookie(request, "", 0) }),
  }),
];

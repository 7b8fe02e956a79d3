import { serialize as serializeCookie } from "hono/utils/cookie";
import { SESSION_TTL_SECONDS } from "../../../domain/customers/sessions.js";
import { SESSION_COOKIE } from "../../../http/middleware.js";
import type {
  AuthSessionFieldsFragment,
  AuthTokensFieldsFragment,
  AuthUserFieldsFragment,
} from "../../generated/main.js";
import { mutationOperation, type OpenApiSchema, type RestRequest } from "../../route.js";
import { route } from "./route.js";

const tag = "Auth";

export const authFragments: Record<string, string> = {
  AuthUserFields: /* GraphQL */ `
    fragment AuthUserFields on Customer { id email name emailVerified metadata createdAt updatedAt }`,
  AuthSessionFields: /* GraphQL */ `
    fragment AuthSessionFields on CustomerSession { id customerId expiresAt createdAt userAgent ipAddress rememberMe }`,
  AuthTokensFields: /* GraphQL */ `
    fragment AuthTokensFields on AuthSession {
      token tokenExpiresAt refreshToken cookieToken rememberMe
      session { expiresAt }
      customer { ...AuthUserFields }
    }`,
};

// What the operations select (AuthUserFields and the others below), as codegen types them.
type AuthUser = AuthUserFieldsFragment;
type AuthSessionRow = AuthSessionFieldsFragment;
type AuthTokens = AuthTokensFieldsFragment;

/** Better Auth's user object (its clients read `image` too). */
function user({ metadata, ...customer }: AuthUser) {
  return { ...customer, image: typeof metadata.image === "string" ? metadata.image : null };
}

/**
 * Better Auth's session object. Its `token` is the session's handle (what revoke-session takes), not a
 * credential: we never show one session's credential to another (Better Auth's list-sessions would).
 */
function session(row: AuthSessionRow) {
  return {
    id: row.id,
    token: row.id,
    userId: row.customerId,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
  };
}

/** The session cookie: HttpOnly, Lax; without Max-Age (ends with the browser) when rememberMe was false. */
function sessionCookie(request: RestRequest, token: string, maxAge: number | undefined): string {
  const secure = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  return serializeCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    ...(maxAge !== undefined ? { maxAge } : {}),
    secure,
  });
}

const clearCookie = (request: RestRequest) => sessionCookie(request, "", 0);

/** A bare JSON body, as Better Auth answers (no `data` envelope on /api/auth). */
function json(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=UTF-8", "cache-control": "no-store", ...headers },
  });
}

/** Cookie (browsers) and `set-auth-token` (apps) for a new session; nothing when none was started. */
function sessionHeaders(payload: AuthTokens, request: RestRequest): Record<string, string> {
  if (!payload.token || !payload.cookieToken) return {};
  const maxAge = payload.rememberMe
    ? Math.max(
        0,
        Math.floor(
          ((payload.session ? Date.parse(payload.session.expiresAt) : Date.now() + SESSION_TTL_SECONDS * 1000) -
            Date.now()) /
            1000,
        ),
      )
    : undefined;
  return {
    "set-cookie": sessionCookie(request, payload.cookieToken, maxAge),
    "set-auth-token": payload.token,
    "access-control-expose-headers": "set-auth-token",
  };
}

/** Better Auth's body for a started session, plus seed 004's refresh token and the access token's expiry. */
function tokensBody(payload: AuthTokens, extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    token: payload.token,
    ...(payload.token ? { tokenExpiresAt: payload.tokenExpiresAt, refreshToken: payload.refreshToken } : {}),
    user: user(payload.customer),
  };
}

function signedIn(extra: Record<string, unknown>) {
  return (payload: AuthTokens, request: RestRequest) =>
    json(tokensBody(payload, extra), sessionHeaders(payload, request));
}

/** A redirect to a callbackURL (checked against our origins when the link was made) with parameters. */
function redirect(target: string, params: Record<string, string>): Response {
  const [base, query = ""] = target.split("?", 2) as [string, string?];
  const search = new URLSearchParams(query);
  for (const [k, v] of Object.entries(params)) search.set(k, v);
  return new Response(null, { status: 302, headers: { location: `${base}?${search}`, "cache-control": "no-store" } });
}

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
    token: { type: "string", description: "The session's handle for revoke-session (not a credential)." },
    userId: { type: "string" },
    expiresAt: { type: "string", format: "date-time" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    ipAddress: { type: "string", nullable: true },
    userAgent: { type: "string", nullable: true },
  },
};

const bare = (schema: OpenApiSchema) => () => schema;
const object = (properties: Record<string, OpenApiSchema>, extra: Record<string, unknown> = {}): OpenApiSchema => ({
  type: "object",
  properties,
  ...extra,
});
const STATUS = object({ status: { type: "boolean" } });

const TOKENS: Record<string, OpenApiSchema> = {
  token: {
    type: "string",
    nullable: true,
    description: "Access JWT (15 minutes): `Authorization: Bearer <token>`, or the bare token (seed 004).",
  },
  tokenExpiresAt: { type: "string", format: "date-time" },
  refreshToken: { type: "string", description: "Single use: POST /api/auth/refresh trades it for new tokens." },
  user: USER_SCHEMA,
};

const AUTH_ERRORS =
  " Errors are Better Auth's `{ code, message }` (also as `errorCode`, seed 004), e.g. 401 UNAUTHORIZED without a session.";

export const authRoutes = [
  route({
    method: "POST",
    path: "/customers",
    summary: "Create a customer",
    tag: "Customers",
    description:
      "A merchant creates a customer (no password, email unverified). The customer claims the account by signing up with the " +
      "email and following the mailed link. A taken email is 409.",
    operation: mutationOperation({
      field: "createCustomer",
      inputType: "CreateCustomerInput",
      dataField: "customer",
      selection: "id email name phone emailVerified createdAt updatedAt",
    }),
    body: { variable: "input", example: { email: "buyer@example.com", name: "Phone Order" } },
    result: ["createCustomer", "customer"],
    status: 201,
    permission: "customers:create",
  }),
  route({
    method: "POST",
    path: "/auth/sign-up/email",
    summary: "Register a new user",
    tag,
    description:
      "Creates a customer, signs them in and mails a verification link. Answers like Better Auth: `{ token, user }` (plus " +
      "`refreshToken` and `tokenExpiresAt`), the session in the HttpOnly `better-auth.session_token` cookie and the access " +
      "token in `set-auth-token`. `rememberMe: false`: a one-day session with a browser-session cookie. A taken email is 422 " +
      "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL; a short password 400 PASSWORD_TOO_SHORT. The email of a customer a merchant created " +
      "(who has no password) is claimed instead: `{ token: null, user }`, and the account is activated with that password when " +
      "the mailed link is followed.",
    operation: mutationOperation({
      field: "signUp",
      inputType: "SignUpInput",
      dataField: "auth",
      selection: "...AuthTokensFields",
    }),
    body: {
      variable: "input",
      example: { email: "user@example.com", password: "secret-password", name: "Jane Doe", rememberMe: true },
    },
    result: ["signUp", "auth"],
    reply: signedIn({}),
    responseSchema: bare(object(TOKENS)),
  }),
  route({
    method: "POST",
    path: "/auth/sign-in/email",
    summary: "Sign in with email and password",
    tag,
    description:
      "Answers like Better Auth: `{ redirect: false, token, url: null, user }` (plus `refreshToken`, `tokenExpiresAt`), with the " +
      "session cookie and `set-auth-token`. Wrong email or password: 401 INVALID_EMAIL_OR_PASSWORD. Repeated failures for an " +
      "account or from a client: 429 with Retry-After, even for the right password, until the 15-minute window passes.",
    operation: mutationOperation({
      field: "signIn",
      inputType: "SignInInput",
      dataField: "auth",
      selection: "...AuthTokensFields",
    }),
    body: { variable: "input", example: { email: "user@example.com", password: "secret-password", rememberMe: true } },
    result: ["signIn", "auth"],
    reply: signedIn({ redirect: false, url: null }),
    responseSchema: bare(object({ redirect: { type: "boolean" }, url: { type: "string", nullable: true }, ...TOKENS })),
  }),
  route({
    method: "POST",
    path: "/auth/refresh",
    summary: "Refresh the access token",
    tag,
    description:
      "Seed 004's refresh: trades `{ refreshToken }` for a new access token and a new refresh token (rotation), with the " +
      "session cookie renewed. A refresh token works once: presenting a used one revokes the session (401 REFRESH_TOKEN_REUSED) " +
      "and every token of it; an unknown, expired or signed-out one is 401 INVALID_REFRESH_TOKEN.",
    operation: mutationOperation({
      field: "refreshSession",
      inputType: "RefreshSessionInput",
      dataField: "auth",
      selection: "...AuthTokensFields",
    }),
    body: { variable: "input", example: { refreshToken: "..." } },
    result: ["refreshSession", "auth"],
    reply: signedIn({}),
    responseSchema: bare(object(TOKENS)),
  }),
  route({
    method: "GET",
    path: "/auth/get-session",
    summary: "Get the current session",
    tag,
    description:
      "`{ session, user }` for the session of the cookie or bearer token; JSON `null` when nobody is signed in, including " +
      "for a revoked or expired token (as Better Auth answers).",
    operation: `query { session { session { ...AuthSessionFields } customer { ...AuthUserFields } } }`,
    result: ["session"],
    nullable: true,
    responseSchema: bare(object({ session: SESSION_SCHEMA, user: USER_SCHEMA }, { nullable: true })),
    reply: (payload) => json(payload ? { session: session(payload.session), user: user(payload.customer) } : null),
  }),
  route({
    method: "POST",
    path: "/auth/sign-out",
    summary: "Sign out",
    tag,
    description:
      "Ends the session at once (its access, cookie and refresh tokens stop working) and clears the cookie. `{ success: true }`.",
    operation: `mutation { signOut { success } }`,
    result: ["signOut"],
    responseSchema: bare(object({ success: { type: "boolean" } })),
    reply: (_payload, request) => json({ success: true }, { "set-cookie": clearCookie(request) }),
  }),
  route({
    method: "GET",
    path: "/auth/list-sessions",
    summary: "List the user's sessions",
    tag,
    description: `The signed-in customer's live sessions, newest first: an array of Better Auth session objects.${AUTH_ERRORS}`,
    operation: `query { mySessions { ...AuthSessionFields } }`,
    result: ["mySessions"],
    responseSchema: bare({ type: "array", items: SESSION_SCHEMA }),
    reply: (payload) => json(payload.map(session)),
  }),
  route({
    method: "POST",
    path: "/auth/revoke-session",
    summary: "Revoke one session",
    tag,
    description:
      "Ends the caller's session named by `token` (a session's `token` from list-sessions). `{ status: true }`." +
      AUTH_ERRORS,
    operation: mutationOperation({
      field: "revokeMySession",
      inputType: "RevokeSessionInput",
      dataField: "result",
      selection: "status",
    }),
    body: { variable: "input", example: { token: "6f1c..." } },
    result: ["revokeMySession", "result"],
    responseSchema: bare(STATUS),
    reply: () => json({ status: true }),
  }),
  route({
    method: "POST",
    path: "/auth/revoke-sessions",
    summary: "Revoke every session",
    tag,
    description: `Ends every session of the caller, this one included, and clears the cookie. \`{ status: true }\`.${AUTH_ERRORS}`,
    operation: `mutation { revokeMySessions { status } }`,
    result: ["revokeMySessions"],
    responseSchema: bare(STATUS),
    reply: (_payload, request) => json({ status: true }, { "set-cookie": clearCookie(request) }),
  }),
  route({
    method: "POST",
    path: "/auth/revoke-other-sessions",
    summary: "Revoke the other sessions",
    tag,
    description: `Ends every session of the caller but this one. \`{ status: true }\`.${AUTH_ERRORS}`,
    operation: `mutation { revokeMyOtherSessions { status } }`,
    result: ["revokeMyOtherSessions"],
    responseSchema: bare(STATUS),
    reply: () => json({ status: true }),
  }),
  route({
    method: "POST",
    path: "/auth/update-user",
    summary: "Update the user",
    tag,
    description: `Changes \`name\` and \`image\`; \`email\` is 400 EMAIL_CAN_NOT_BE_UPDATED. \`{ status: true }\`.${AUTH_ERRORS}`,
    operation: mutationOperation({
      field: "updateMyAccount",
      inputType: "UpdateMyAccountInput",
      dataField: "customer",
      selection: "id",
    }),
    body: { variable: "input", example: { name: "Jane Roe", image: "https://example.com/jane.png" } },
    result: ["updateMyAccount", "customer"],
    responseSchema: bare(STATUS),
    reply: () => json({ status: true }),
  }),
  route({
    method: "POST",
    path: "/auth/change-password",
    summary: "Change the password",
    tag,
    description:
      "`{ currentPassword, newPassword, revokeOtherSessions? }`. A wrong current password is 400 INVALID_PASSWORD. With " +
      "`revokeOtherSessions: true` every session ends and a new one starts: `{ token, user }` with its cookie and " +
      "`set-auth-token`; otherwise `{ token: null, user }`." +
      AUTH_ERRORS,
    operation: mutationOperation({
      field: "changeMyPassword",
      inputType: "ChangeMyPasswordInput",
      dataField: "auth",
      selection: "...AuthTokensFields",
    }),
    body: {
      variable: "input",
      example: { currentPassword: "secret-password", newPassword: "new-secret-password", revokeOtherSessions: true },
    },
    result: ["changeMyPassword", "auth"],
    reply: signedIn({}),
    responseSchema: bare(object(TOKENS)),
  }),
  route({
    method: "POST",
    path: "/auth/request-password-reset",
    summary: "Request a password reset",
    tag,
    description:
      "Mails a reset link (signed, single use, one hour) to the account of `email`, leading to `redirectTo?token=...`. The answer " +
      "is the same whether or not the email has an account. A `redirectTo` that is not relative or one of our origins is 403 " +
      "INVALID_REDIRECT_URL.",
    operation: mutationOperation({
      field: "requestPasswordReset",
      inputType: "RequestPasswordResetInput",
      dataField: "result",
      selection: "status message",
    }),
    body: { variable: "input", example: { email: "user@example.com", redirectTo: "/reset-password" } },
    result: ["requestPasswordReset", "result"],
    responseSchema: bare(object({ status: { type: "boolean" }, message: { type: "string" } })),
    reply: (payload) => json(payload),
  }),
  route({
    method: "GET",
    path: "/auth/reset-password/:token",
    summary: "Follow a password-reset link",
    tag,
    description:
      "The link of the reset mail: redirects (302) to its `redirectTo` page with `?token=` when the token is good, or with " +
      "`?error=INVALID_TOKEN`. Without a `redirectTo`, answers `{ status, token }`. Following the link does not use the token.",
    operation: `query ($token: String!) { passwordResetLink(token: $token) { valid callbackURL error } }`,
    variables: (request) => ({ token: request.params.token }),
    result: ["passwordResetLink"],
    responseSchema: bare(object({ status: { type: "boolean" }, token: { type: "string" } })),
    reply: (payload, request) => {
      const token = request.params.token!;
      if (payload.callbackURL)
        return redirect(payload.callbackURL, payload.valid ? { token } : { error: "INVALID_TOKEN" });
      return payload.valid
        ? json({ status: true, token })
        : json({ code: "INVALID_TOKEN", message: "Invalid token", errorCode: "INVALID_TOKEN" }, {}, 400);
    },
  }),
  route({
    method: "POST",
    path: "/auth/reset-password",
    summary: "Reset the password",
    tag,
    description:
      "`{ newPassword, token }` (the token may also be in the query): sets the password and ends every session of the account " +
      "(refresh tokens included). A used, expired or unknown token is 400 INVALID_TOKEN. `{ status: true }`.",
    operation: mutationOperation({
      field: "resetPassword",
      inputType: "ResetPasswordInput",
      dataField: "result",
      selection: "status",
    }),
    body: { variable: "input", example: { newPassword: "new-secret-password", token: "eyJ..." } },
    variables: (request) => ({
      input: { ...(request.query.token ? { token: request.query.token } : {}), ...request.body },
    }),
    result: ["resetPassword", "result"],
    responseSchema: bare(STATUS),
    reply: () => json({ status: true }),
  }),
  route({
    method: "POST",
    path: "/auth/send-verification-email",
    summary: "Send a verification email",
    tag,
    description:
      "Mails a verification link (signed, single use, one day) leading to `callbackURL` afterwards. Signed in, the email must be " +
      "the caller's (400 EMAIL_MISMATCH) and unverified (400 EMAIL_ALREADY_VERIFIED); signed out, the answer is the same for " +
      "any email. `{ status: true }`.",
    operation: mutationOperation({
      field: "sendVerificationEmail",
      inputType: "SendVerificationEmailInput",
      dataField: "result",
      selection: "status",
    }),
    body: { variable: "input", example: { email: "user@example.com", callbackURL: "/welcome" } },
    result: ["sendVerificationEmail", "result"],
    responseSchema: bare(STATUS),
    reply: () => json({ status: true }),
  }),
  route({
    method: "GET",
    path: "/auth/verify-email",
    summary: "Verify the email",
    tag,
    description:
      "The link of the verification mail (`?token=`): verifies the email and, for a claim (sign-up of a customer a merchant " +
      "created), activates the account with the password chosen at sign-up. Redirects (302) to the link's callbackURL when it " +
      "has one, else `{ status: true, user: null }`. A used or unknown token is 401 INVALID_TOKEN, an expired one 401 TOKEN_EXPIRED.",
    operation: `mutation ($token: String!) {
      verifyEmail(input: { token: $token }) { ...ErrorFields ... on VerifyEmailPayload { verification { status callbackURL } } }
    }`,
    query: {
      token: { type: "string", description: "The token of the mailed link." },
      callbackURL: {
        type: "string",
        description: "Ignored: the link's own callbackURL (checked when it was made) is used.",
      },
    },
    variables: (request) => ({ token: request.query.token ?? "" }),
    result: ["verifyEmail", "verification"],
    responseSchema: bare(object({ status: { type: "boolean" }, user: { type: "object", nullable: true } })),
    reply: (payload) => (payload.callbackURL ? redirect(payload.callbackURL, {}) : json({ status: true, user: null })),
  }),
];

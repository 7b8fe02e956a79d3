import {
  passwordResetRedirect,
  requestPasswordReset,
  resetPassword,
  sendVerificationEmail,
  verifyEmail,
} from "../../domain/customers/account-links.js";
import {
  changeMyPassword,
  createCustomer,
  listMySessions,
  revokeMyOtherSessions,
  revokeMySession,
  revokeMySessions,
  updateMyAccount,
} from "../../domain/customers/account-settings.js";
import { refreshSession } from "../../domain/customers/accounts.js";
import { builder } from "../builder.js";
import { AuthSession, Customer, CustomerSession } from "./customers.js";
import { mutationResult } from "./errors.js";

// Better Auth's account routes beyond sign-up/in/out (REST: /api/auth/*), as GraphQL operations.

const AuthStatus = builder.objectRef<{ status: boolean; message?: string | null }>("AuthStatus").implement({
  description: "Better Auth's `{ status }` answer.",
  fields: (t) => ({
    status: t.exposeBoolean("status"),
    message: t.exposeString("message", { nullable: true }),
  }),
});

const EmailVerification = builder
  .objectRef<{ status: boolean; callbackURL: string | null }>("EmailVerification")
  .implement({
    fields: (t) => ({
      status: t.exposeBoolean("status"),
      callbackURL: t.exposeString("callbackURL", {
        nullable: true,
        description: "Where the link asked to lead afterwards.",
      }),
    }),
  });

const PasswordResetLink = builder
  .objectRef<{ valid: boolean; callbackURL: string | null; error: string | null }>("PasswordResetLink")
  .implement({
    description: "Whether a mailed reset token can still be used (it is not used by asking).",
    fields: (t) => ({
      valid: t.exposeBoolean("valid"),
      callbackURL: t.exposeString("callbackURL", { nullable: true }),
      error: t.exposeString("error", { nullable: true, description: "INVALID_TOKEN or TOKEN_EXPIRED." }),
    }),
  });

const CreateCustomerInput = builder.inputType("CreateCustomerInput", {
  fields: (t) => ({ email: t.string({ required: true }), name: t.string(), phone: t.string() }),
});

const RefreshSessionInput = builder.inputType("RefreshSessionInput", {
  fields: (t) => ({ refreshToken: t.string({ required: true }) }),
});
const RevokeSessionInput = builder.inputType("RevokeSessionInput", {
  fields: (t) => ({ token: t.string({ required: true, description: "A session's `token` as mySessions shows it." }) }),
});
const UpdateMyAccountInput = builder.inputType("UpdateMyAccountInput", {
  fields: (t) => ({
    name: t.string(),
    image: t.string({ description: "A profile picture URL; null removes it." }),
    email: t.string({
      description: "Refused (EMAIL_CAN_NOT_BE_UPDATED): accepted so Better Auth clients get its error.",
    }),
  }),
});
const ChangeMyPasswordInput = builder.inputType("ChangeMyPasswordInput", {
  fields: (t) => ({
    currentPassword: t.string({ required: true }),
    newPassword: t.string({ required: true, description: "8 to 128 characters." }),
    revokeOtherSessions: t.boolean({
      description: "End every session and start a new one for the caller (its tokens are returned).",
    }),
  }),
});
const RequestPasswordResetInput = builder.inputType("RequestPasswordResetInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    redirectTo: t.string({
      description: "The page the mailed link leads to (relative, or one of our origins), with ?token=.",
    }),
  }),
});
const ResetPasswordInput = builder.inputType("ResetPasswordInput", {
  fields: (t) => ({ token: t.string({ required: true }), newPassword: t.string({ required: true }) }),
});
const SendVerificationEmailInput = builder.inputType("SendVerificationEmailInput", {
  fields: (t) => ({ email: t.string({ required: true }), callbackURL: t.string() }),
});
const VerifyEmailInput = builder.inputType("VerifyEmailInput", {
  fields: (t) => ({ token: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  mySessions: t.field({
    type: [CustomerSession],
    description: "The signed-in customer's live sessions, newest first.",
    authScopes: { customer: true },
    resolve: (_root, _args, ctx) => listMySessions(ctx.scope) as never,
  }),
  passwordResetLink: t.field({
    type: PasswordResetLink,
    description: "Whether a password-reset token is still good, and where its link leads.",
    args: { token: t.arg.string({ required: true }) },
    resolve: (_root, { token }, ctx) => passwordResetRedirect(ctx.scope, ctx.identity, token),
  }),
}));

builder.mutationFields((t) => ({
  createCustomer: t.field({
    type: Customer,
    description:
      "A merchant creates a customer without a password; the customer claims the account by signing up and verifying the email.",
    authScopes: { permission: "customers:create" },
    args: { input: t.arg({ type: CreateCustomerInput, required: true }) },
    errors: mutationResult("CreateCustomer", "customer"),
    resolve: (_root, { input }, ctx) => createCustomer(ctx.scope, input) as never,
  }),
  refreshSession: t.field({
    type: AuthSession,
    description:
      "Trades a refresh token for a new access token and refresh token. Each refresh token works once; a used one " +
      "presented again revokes the session (fieldErrors code refresh_token_reused), an unknown or ended one is invalid_refresh_token.",
    args: { input: t.arg({ type: RefreshSessionInput, required: true }) },
    errors: mutationResult("RefreshSession", "auth"),
    resolve: (_root, { input }, ctx) => refreshSession(ctx.scope, ctx.identity, input) as never,
  }),
  revokeMySession: t.field({
    type: AuthStatus,
    authScopes: { customer: true },
    args: { input: t.arg({ type: RevokeSessionInput, required: true }) },
    errors: mutationResult("RevokeMySession", "result"),
    resolve: async (_root, { input }, ctx) => ({ status: await revokeMySession(ctx.scope, ctx.identity, input) }),
  }),
  revokeMySessions: t.field({
    type: AuthStatus,
    description: "Ends every session of the caller, this one included.",
    authScopes: { customer: true },
    resolve: async (_root, _args, ctx) => ({ status: await revokeMySessions(ctx.scope, ctx.identity) }),
  }),
  revokeMyOtherSessions: t.field({
    type: AuthStatus,
    description: "Ends every session of the caller but this one.",
    authScopes: { customer: true },
    resolve: async (_root, _args, ctx) => ({ status: await revokeMyOtherSessions(ctx.scope, ctx.identity) }),
  }),
  updateMyAccount: t.field({
    type: Customer,
    description: "Better Auth's update-user: name and image.",
    authScopes: { customer: true },
    args: { input: t.arg({ type: UpdateMyAccountInput, required: true }) },
    errors: mutationResult("UpdateMyAccount", "customer"),
    resolve: (_root, { input }, ctx) => updateMyAccount(ctx.scope, input) as never,
  }),
  changeMyPassword: t.field({
    type: AuthSession,
    authScopes: { customer: true },
    args: { input: t.arg({ type: ChangeMyPasswordInput, required: true }) },
    errors: mutationResult("ChangeMyPassword", "auth"),
    resolve: (_root, { input }, ctx) => changeMyPassword(ctx.scope, ctx.identity, input, ctx.client) as never,
  }),
  requestPasswordReset: t.field({
    type: AuthStatus,
    description:
      "Mails a reset link (single use, one hour) when the email has an account; the answer is the same when not.",
    args: { input: t.arg({ type: RequestPasswordResetInput, required: true }) },
    errors: mutationResult("RequestPasswordReset", "result"),
    resolve: (_root, { input }, ctx) => requestPasswordReset(ctx.scope, ctx.identity, input),
  }),
  resetPassword: t.field({
    type: AuthStatus,
    description: "Sets a new password with a mailed token and ends every session of the customer.",
    args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
    errors: mutationResult("ResetPassword", "result"),
    resolve: (_root, { input }, ctx) => resetPassword(ctx.scope, ctx.identity, input),
  }),
  sendVerificationEmail: t.field({
    type: AuthStatus,
    args: { input: t.arg({ type: SendVerificationEmailInput, required: true }) },
    errors: mutationResult("SendVerificationEmail", "result"),
    resolve: (_root, { input }, ctx) => sendVerificationEmail(ctx.scope, ctx.identity, input),
  }),
  verifyEmail: t.field({
    type: EmailVerification,
    description:
      "Verifies the email of a mailed link; a claim link (sign-up of a merchant-created customer) also activates the account.",
    args: { input: t.arg({ type: VerifyEmailInput, required: true }) },
    errors: mutationResult("VerifyEmail", "verification"),
    resolve: (_root, { input }, ctx) => verifyEmail(ctx.scope, ctx.identity, input),
  }),
}));

import { can } from "../../domain/auth/actor.js";
import { reorder } from "../../domain/carts/reorder.js";
import { currentSession, signIn, signOut, signUp } from "../../domain/customers/accounts.js";
import { requireCustomer } from "../../domain/customers/customers.js";
import { addCustomerToGroup, removeCustomerFromGroup } from "../../domain/customers/groups.js";
import { addMyAddress, deleteMyAddress, updateMyProfile } from "../../domain/customers/profile.js";
import { ForbiddenError } from "../../domain/errors.js";
import { mayReadOrdersOf } from "../../domain/orders/customer-orders.js";
import { type DownloadLink, ordersDownloads } from "../../domain/orders/downloads.js";
import { orderKeyWhere } from "../../domain/orders/orders.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { loaderFor } from "../loaders.js";
import {
  modelConnection,
  pageComplexity,
  relationConnection,
  relationPageQuery,
  totalCountField,
} from "../pagination.js";
import { Cart } from "./carts.js";
import { mutationResult } from "./errors.js";
import { IdInput, NodeInterface, registerNode } from "./node.js";
import { Order, OrderStatusEnum } from "./orders.js";
import { CustomerGroup } from "./pricing.js";

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** A customer's orders in the request's store, of one status when asked. */
function customerOrdersWhere(ctx: GraphQLContext, args: { status?: string | null }) {
  return { storeId: ctx.storeId, ...(args.status ? { status: args.status } : {}) };
}

/** A customer, as they see themselves (`me`) and as merchants with customers:read see them. */
export const Customer = builder.prismaObject("Customer", {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email"),
    name: t.exposeString("name", { nullable: true }),
    phone: t.exposeString("phone", { nullable: true }),
    emailVerified: t.exposeBoolean("emailVerified"),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    groups: t.field({
      type: [CustomerGroup],
      description: "The groups whose prices this customer gets.",
      select: (_args, _ctx, nestedSelection) => ({ groups: { select: { group: nestedSelection(true) } } }),
      resolve: (customer) => customer.groups.map((m) => m.group),
    }),
    addresses: t.relation("addresses", { query: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } }),
    orders: t.connection(
      {
        type: Order,
        complexity: pageComplexity,
        description: "Newest first.",
        args: { status: t.arg({ type: OrderStatusEnum }) },
        // The page is planned into the customers' own query, so a list of customers reads every
        // customer's page in its one statement (a resolver per customer would cost one each).
        select: (args, ctx, nestedSelection) => ({
          orders: relationPageQuery(args, (page) =>
            nestedSelection({ where: customerOrdersWhere(ctx, args), orderBy: NEWEST_FIRST, ...page }, [
              "edges",
              "node",
            ]),
          ),
        }),
        resolve: (customer, args, ctx) => {
          if (!mayReadOrdersOf(ctx.actor, customer.id)) throw new ForbiddenError();
          return relationConnection(args, ctx, customer.orders, {
            field: "Customer.orders",
            model: ctx.prisma.customer,
            parentId: customer.id,
            relation: "orders",
            where: customerOrdersWhere(ctx, args),
          });
        },
      },
      { name: "CustomerOrderConnection", fields: totalCountField },
    ),
    order: t.field({
      type: Order,
      nullable: true,
      description: "One of this customer's orders by id or number (ORD-YYYY-NNNNNN).",
      args: { idOrNumber: t.arg.string({ required: true }) },
      // Planned into the customer's query: under a list of customers, one statement rather than one each.
      select: (args, ctx, nestedSelection) => {
        const key = orderKeyWhere(ctx.storeId, args.idOrNumber);
        return { orders: nestedSelection(key ? { where: key, take: 1 } : { take: 0 }) };
      },
      resolve: (customer, _args, ctx) => {
        if (!mayReadOrdersOf(ctx.actor, customer.id)) throw new ForbiddenError();
        return customer.orders[0] ?? null;
      },
    }),
  }),
});

const CustomerAddress = builder.prismaObject("CustomerAddress", {
  fields: (t) => ({
    id: t.exposeID("id"),
    label: t.exposeString("label", { nullable: true }),
    firstName: t.exposeString("firstName", { nullable: true }),
    lastName: t.exposeString("lastName", { nullable: true }),
    company: t.exposeString("company", { nullable: true }),
    line1: t.exposeString("line1"),
    line2: t.exposeString("line2", { nullable: true }),
    city: t.exposeString("city"),
    region: t.exposeString("region", { nullable: true }),
    postalCode: t.exposeString("postalCode", { nullable: true }),
    country: t.exposeString("country", { description: "ISO 3166-1 alpha-2." }),
    phone: t.exposeString("phone", { nullable: true }),
    isDefaultShipping: t.exposeBoolean("isDefaultShipping"),
    isDefaultBilling: t.exposeBoolean("isDefaultBilling"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

export const CustomerSession = builder.prismaObject("CustomerSession", {
  fields: (t) => ({
    id: t.exposeID("id"),
    customerId: t.exposeID("customerId"),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    ipAddress: t.exposeString("ipAddress", { nullable: true }),
    rememberMe: t.exposeBoolean("persistent", {
      description: "false: a one-day session whose cookie ends with the browser session.",
    }),
  }),
});

registerNode("Customer", "customer", (ctx, id) => {
  if (ctx.actor.kind === "customer") {
    return ctx.actor.id === id
      ? ctx.prisma.customer.findFirst({ where: { id, storeId: ctx.storeId } })
      : Promise.resolve(null);
  }
  return can(ctx.actor, "customers:read")
    ? ctx.prisma.customer.findFirst({ where: { id, storeId: ctx.storeId } })
    : Promise.resolve(null);
});

const DownloadLinkRef = builder.objectRef<DownloadLink>("DownloadLink").implement({
  description: "A file of a digital item the order bought, behind a signed, expiring link.",
  fields: (t) => ({
    lineId: t.exposeID("lineId"),
    entityId: t.exposeID("entityId"),
    title: t.exposeString("title"),
    mediaAssetId: t.exposeID("mediaAssetId"),
    fileName: t.exposeString("fileName", { nullable: true }),
    contentType: t.exposeString("contentType"),
    byteSize: t.exposeInt("byteSize"),
    url: t.exposeString("url", {
      description: "Relative to the API origin; valid until expiresAt without credentials.",
    }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
  }),
});

builder.prismaObjectField("Order", "downloads", (t) =>
  t.field({
    type: [DownloadLinkRef],
    description: "Download links for digital items: empty until the order is paid, and after a refund or cancellation.",
    select: { id: true, status: true, customerId: true },
    resolve: (order, _args, ctx) => {
      if (!mayReadOrdersOf(ctx.actor, order.customerId)) throw new ForbiddenError();
      // Batched per request: a list of orders costs two statements, not two per order.
      return loaderFor<{ id: string; status: string }, DownloadLink[]>(
        ctx,
        "orderDownloads",
        async (orders) => {
          const links = await ordersDownloads(
            ctx.prisma,
            ctx.secrets.key("signed-url"),
            orders,
            ctx.media.signedUrlTtlSeconds,
          );
          return orders.map((o) => links.get(o.id) ?? []);
        },
        (o) => `${o.id}:${o.status}`,
      ).load({ id: order.id, status: order.status });
    },
  }),
);

// ---- queries -------------------------------------------------------------------------------

const SessionInfo = builder.objectRef<{ session: { id: string }; customer: { id: string } }>("SessionInfo").implement({
  description: "The caller's session and the customer it belongs to.",
  fields: (t) => ({
    session: t.field({ type: CustomerSession, resolve: (s) => s.session as never }),
    customer: t.field({ type: Customer, resolve: (s) => s.customer as never }),
  }),
});

builder.queryFields((t) => ({
  me: t.prismaField({
    type: Customer,
    description: "The signed-in customer (UNAUTHORIZED without a customer session).",
    authScopes: { customer: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.customer.findFirstOrThrow({
        ...query,
        where: { id: requireCustomer(ctx.scope), storeId: ctx.storeId },
      }),
  }),
  session: t.field({
    type: SessionInfo,
    nullable: true,
    description: "The caller's customer session, or null when nobody is signed in.",
    resolve: (_root, _args, ctx) => currentSession(ctx.scope),
  }),
  customer: t.prismaField({
    type: Customer,
    nullable: true,
    authScopes: { permission: "customers:read" },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(id) ? ctx.prisma.customer.findFirst({ ...query, where: { id, storeId: ctx.storeId } }) : null,
  }),
  customers: t.connection(
    {
      type: Customer,
      complexity: pageComplexity,
      description: "The store's customers, newest first.",
      authScopes: { permission: "customers:read" },
      args: { email: t.arg.string({ description: "Exact email (case-insensitive)." }) },
      resolve: (_root, args, ctx, info) => {
        const where = { storeId: ctx.storeId, ...(args.email ? { email: args.email.toLowerCase() } : {}) };
        return modelConnection(args, ctx, info, {
          typeName: "Customer",
          model: ctx.prisma.customer,
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "CustomerConnection", fields: totalCountField },
  ),
}));

// ---- sign-up, sign-in, sign-out ------------------------------------------------------------

const SignUpInput = builder.inputType("SignUpInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true, description: "8 to 128 characters." }),
    name: t.string({ required: true }),
    image: t.string({ description: "A profile picture URL (Better Auth's user.image), kept in metadata.image." }),
    callbackURL: t.string({
      description: "Where the verification link leads after use (relative, or one of our origins).",
    }),
    rememberMe: t.boolean({ description: "false: a one-day session and a cookie that ends with the browser session." }),
  }),
});

const SignInInput = builder.inputType("SignInInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    rememberMe: t.boolean({
      description: "false: a one-day session and a cookie that ends with the browser session (default: 7 days).",
    }),
    callbackURL: t.string({ description: "Accepted for Better Auth clients; nothing is redirected." }),
  }),
});

export interface AuthSessionValue {
  token: string | null;
  tokenExpiresAt: Date | null;
  refreshToken: string | null;
  cookieToken: string | null;
  persistent: boolean;
  session: { id: string } | null;
  customer: { id: string };
}

export const AuthSession = builder.objectRef<AuthSessionValue>("AuthSession").implement({
  description:
    "A new session: send `token` as `Authorization: Bearer <token>` (apps; renew it with `refreshToken` before " +
    "`tokenExpiresAt`) or keep the cookie (browsers). No session (all null) when sign-up waits for email verification.",
  fields: (t) => ({
    token: t.exposeString("token", {
      nullable: true,
      description: "A short-lived access JWT (HS256, 15 minutes) naming the session.",
    }),
    tokenExpiresAt: t.expose("tokenExpiresAt", { type: "DateTime", nullable: true }),
    refreshToken: t.exposeString("refreshToken", {
      nullable: true,
      description:
        "Single-use: refreshSession trades it for new tokens; a used one presented again revokes the session.",
    }),
    cookieToken: t.exposeString("cookieToken", {
      nullable: true,
      description:
        "A session-long JWT only good from the HttpOnly session cookie (REST sets it there and never shows it).",
    }),
    rememberMe: t.exposeBoolean("persistent"),
    session: t.field({ type: CustomerSession, nullable: true, resolve: (s) => s.session as never }),
    customer: t.field({ type: Customer, resolve: (s) => s.customer as never }),
  }),
});

const SignOutResult = builder.objectRef<{ success: boolean }>("SignOutResult").implement({
  fields: (t) => ({ success: t.exposeBoolean("success", { description: "Whether a session was ended." }) }),
});

const ReorderResult = builder
  .objectRef<{
    cart: { id: string };
    skipped: { lineId: string; entityId: string; variantId: string | null; reason: string }[];
  }>("Reorder")
  .implement({
    fields: (t) => ({
      cart: t.field({ type: Cart, resolve: (r) => r.cart as never }),
      skipped: t.field({
        type: [
          builder
            .objectRef<{ lineId: string; entityId: string; variantId: string | null; reason: string }>(
              "ReorderSkippedLine",
            )
            .implement({
              description: "A line of the past order that can no longer be bought.",
              fields: (f) => ({
                lineId: f.exposeID("lineId"),
                entityId: f.exposeID("entityId"),
                variantId: f.exposeID("variantId", { nullable: true }),
                reason: f.exposeString("reason"),
              }),
            }),
        ],
        resolve: (r) => r.skipped,
      }),
    }),
  });

const UpdateMyProfileInput = builder.inputType("UpdateMyProfileInput", {
  fields: (t) => ({
    name: t.string(),
    phone: t.string({ description: "null clears it." }),
  }),
});

const AddMyAddressInput = builder.inputType("AddMyAddressInput", {
  fields: (t) => ({
    label: t.string({ description: "e.g. Home, Work." }),
    firstName: t.string(),
    lastName: t.string(),
    company: t.string(),
    line1: t.string({ required: true }),
    line2: t.string(),
    city: t.string({ required: true }),
    region: t.string(),
    postalCode: t.string(),
    country: t.string({ required: true, description: "ISO 3166-1 alpha-2, e.g. DE." }),
    phone: t.string(),
    isDefaultShipping: t.boolean({ description: "Default: true for the first address." }),
    isDefaultBilling: t.boolean({ description: "Default: true for the first address." }),
  }),
});

const MembershipInput = builder.inputType("CustomerGroupMembershipInput", {
  fields: (t) => ({ groupId: t.id({ required: true }), customerId: t.id({ required: true }) }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthSession,
    description: "Registers a customer with email and password and signs them in.",
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    errors: mutationResult("SignUp", "auth"),
    resolve: (_root, { input }, ctx) =>
      signUp(
        ctx.scope,
        ctx.identity,
        {
          email: input.email,
          password: input.password,
          name: input.name,
          image: input.image,
          rememberMe: input.rememberMe,
          callbackURL: input.callbackURL,
        },
        ctx.client,
      ),
  }),
  signIn: t.field({
    type: AuthSession,
    description: "Signs a customer in. Failed attempts are throttled per account and per client (TOO_MANY_REQUESTS).",
    args: { input: t.arg({ type: SignInInput, required: true }) },
    errors: mutationResult("SignIn", "auth"),
    resolve: (_root, { input }, ctx) =>
      signIn(
        ctx.scope,
        ctx.identity,
        { email: input.email, password: input.password, rememberMe: input.rememberMe },
        ctx.client,
      ),
  }),
  signOut: t.field({
    type: SignOutResult,
    description: "Ends the caller's session at once.",
    resolve: async (_root, _args, ctx) => ({ success: await signOut(ctx.scope, ctx.identity) }),
  }),
  updateMyProfile: t.field({
    type: Customer,
    authScopes: { customer: true },
    args: { input: t.arg({ type: UpdateMyProfileInput, required: true }) },
    errors: mutationResult("UpdateMyProfile", "customer"),
    resolve: (_root, { input }, ctx) => updateMyProfile(ctx.scope, input),
  }),
  addMyAddress: t.field({
    type: CustomerAddress,
    authScopes: { customer: true },
    args: { input: t.arg({ type: AddMyAddressInput, required: true }) },
    errors: mutationResult("AddMyAddress", "address"),
    resolve: (_root, { input }, ctx) => addMyAddress(ctx.scope, input),
  }),
  deleteMyAddress: t.field({
    type: CustomerAddress,
    authScopes: { customer: true },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DeleteMyAddress", "address"),
    resolve: (_root, { input }, ctx) => deleteMyAddress(ctx.scope, input.id),
  }),
  reorder: t.field({
    type: ReorderResult,
    authScopes: { customer: true },
    description: "A new cart with the lines of one of the signed-in customer's past orders, at today's prices.",
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("Reorder", "reorder"),
    resolve: (_root, { input }, ctx) => reorder(ctx.scope, input.id),
  }),
  addCustomerToGroup: t.field({
    type: CustomerGroup,
    authScopes: { permission: "customers:update" },
    args: { input: t.arg({ type: MembershipInput, required: true }) },
    errors: mutationResult("AddCustomerToGroup", "customerGroup"),
    resolve: (_root, { input }, ctx) => addCustomerToGroup(ctx.scope, input),
  }),
  removeCustomerFromGroup: t.field({
    type: CustomerGroup,
    authScopes: { permission: "customers:update" },
    args: { input: t.arg({ type: MembershipInput, required: true }) },
    errors: mutationResult("RemoveCustomerFromGroup", "customerGroup"),
    resolve: (_root, { input }, ctx) => removeCustomerFromGroup(ctx.scope, input),
  }),
}));

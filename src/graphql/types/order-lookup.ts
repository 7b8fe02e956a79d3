import { lookupEmail, ordersOfEmail } from "../../domain/orders/email-lookup.js";
import type { OrderStatus } from "../../domain/orders/lifecycle.js";
import type { OrderPaymentStatus } from "../../domain/payments/lifecycle.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { OrderPaymentStatusEnum, OrderStatusEnum } from "./orders.js";
import { Totals } from "./pricing.js";

/**
 * What an order looked up by email shows (domain/orders/email-lookup.ts): enough for a "My orders" page
 * and an order confirmation, and nothing personal (no addresses, phone, email, payments or metadata).
 */
const OrderSummary = builder.prismaObject("Order", {
  variant: "OrderSummary",
  fields: (t) => ({
    id: t.exposeID("id"),
    number: t.exposeString("number"),
    status: t.field({ type: OrderStatusEnum, resolve: (order) => order.status as OrderStatus }),
    paymentStatus: t.field({
      type: OrderPaymentStatusEnum,
      resolve: (order) => order.paymentStatus as OrderPaymentStatus,
    }),
    currency: t.exposeString("currency"),
    totals: t.field({
      type: Totals,
      resolve: (o) => ({
        subtotal: o.subtotal,
        discount: o.discountTotal,
        tax: o.taxTotal,
        shipping: o.shippingTotal,
        total: o.grandTotal,
      }),
    }),
    promotionCodes: t.exposeStringList("promotionCodes"),
    lines: t.relation("lines", { query: { orderBy: { id: "asc" } } }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  ordersByEmail: t.connection(
    {
      type: OrderSummary,
      complexity: pageComplexity,
      description:
        "The store's orders placed with this email, newest first (seed 003's order history). Any key or session of " +
        "the store may ask; lookups are rate-limited per email and caller (429). An email without orders is an empty list.",
      authScopes: { authenticated: true },
      args: { email: t.arg.string({ required: true }) },
      resolve: async (_root, args, ctx, info) => {
        const email = lookupEmail(args.email);
        await ctx.orderLookups.consume(ctx.storeId, email, ctx.actor);
        return modelConnection(args, ctx, info, {
          typeName: "OrderSummary",
          model: ctx.prisma.order,
          where: ordersOfEmail(ctx.storeId, email),
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "OrderSummaryConnection", fields: totalCountField },
  ),
  orderByEmail: t.prismaField({
    type: OrderSummary,
    nullable: true,
    description:
      "One order by id, if it was placed with this email (else null, as for an unknown id). Rate-limited like ordersByEmail.",
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }), email: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const email = lookupEmail(args.email);
      await ctx.orderLookups.consume(ctx.storeId, email, ctx.actor);
      if (!isUuid(args.id)) return null;
      return ctx.prisma.order.findFirst({ ...query, where: { ...ordersOfEmail(ctx.storeId, email), id: args.id } });
    },
  }),
}));

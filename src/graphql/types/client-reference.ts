import { builder } from "../builder.js";

// Seed 004: "when retrying order or payment requests, reuse the same client-generated reference so the
// server can de-duplicate". Checkout takes it as `clientReference` (domain/checkout/checkout.ts) and the
// order keeps it, so a client can match the order it hears about to the attempt it made.
builder.prismaObjectFields("Order", (t) => ({
  clientReference: t.exposeString("clientReference", {
    nullable: true,
    description: "The client-generated reference the order was placed with (checkout's clientReference).",
  }),
}));

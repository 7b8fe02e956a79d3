import { mutationOperation, type RouteSpec } from "../../route.js";
import { route } from "./route.js";

// Returns and exchanges of an order (our extension, in seed 002's conventions): each a small state
// machine, requested -> approved -> received (-> refunded for returns) or rejected.

const tag = "Returns";

export const returnFragments: Record<string, string> = {
  ReturnFields: /* GraphQL */ `
    fragment ReturnFields on Return {
      id orderId status reason rmaNumber restocked warehouseId rejectionReason
      lines { id lineId quantity }
      refunds { ...RefundFields }
      createdAt approvedAt receivedAt rejectedAt refundedAt
    }`,
  ExchangeFields: /* GraphQL */ `
    fragment ExchangeFields on Exchange {
      id orderId status reason rmaNumber priceDifference restocked warehouseId rejectionReason
      lines { id lineId quantity newVariantId newEntityId newSku newUnitPrice }
      fulfillments { ...FulfillmentFields items { lineId quantity variantId } }
      refunds { ...RefundFields }
      payments { ...PaymentFields }
      createdAt approvedAt receivedAt rejectedAt
    }`,
};

interface Kind {
  /** Path segment and GraphQL names: returns / Return, exchanges / Exchange. */
  plural: "returns" | "exchanges";
  type: "Return" | "Exchange";
  idParam: "returnId" | "exchangeId";
  request: { description: string; example: unknown };
  receive: { description: string; example: unknown };
}

const KINDS: Kind[] = [
  {
    plural: "returns",
    type: "Return",
    idParam: "returnId",
    request: {
      description:
        "Body { items: [{ lineId, quantity }], reason }. Per line never more than was fulfilled minus what is already on " +
        "returns and exchanges (422 at items.N.quantity). 201 with the return, status requested. Emits return.requested.",
      example: { items: [{ lineId: "00000000-0000-4000-8000-000000000003", quantity: 1 }], reason: "Too small" },
    },
    receive: {
      description:
        "approved -> received: the items are back. Body { restock?, warehouseId? }: restocked (default) into warehouseId, or " +
        "the warehouse each line shipped from. Pay it back with POST /orders/:id/refunds { returnId }; the return becomes " +
        "refunded when that refund settles (return.refunded). Emits return.received.",
      example: { restock: true },
    },
  },
  {
    plural: "exchanges",
    type: "Exchange",
    idParam: "exchangeId",
    request: {
      description:
        "Body { items: [{ lineId, quantity, newVariantId }], reason }: like a return, with the replacement variant per line, " +
        "priced now (priceDifference: replacements minus what was paid for the returned units, before tax). 201 with the " +
        "exchange, status requested. Emits exchange.requested.",
      example: {
        items: [
          {
            lineId: "00000000-0000-4000-8000-000000000003",
            quantity: 1,
            newVariantId: "00000000-0000-4000-8000-000000000002",
          },
        ],
        reason: "Wrong color",
      },
    },
    receive: {
      description:
        "approved -> received: the items are back (restocked unless restock is false) and the replacements ship as a new " +
        "fulfillment (carrier, trackingNumber), consuming the stock reserved at approval. A negative priceDifference is " +
        "refunded; a positive one becomes a new pending payment of the order (capture it like any other). Emits " +
        "exchange.received and fulfillment.create.",
      example: { restock: true, carrier: "UPS", trackingNumber: "1Z999AA10123456784" },
    },
  },
];

function routesOf(kind: Kind): RouteSpec[] {
  const { plural, type, idParam } = kind;
  const base = `/orders/:id/${plural}`;
  const action = (
    verb: "approve" | "receive" | "reject",
    summary: string,
    description: string,
    inputType: string,
    example?: unknown,
  ) =>
    route({
      method: "POST",
      path: `${base}/:${idParam}/${verb}`,
      summary,
      tag,
      permission: "orders:update",
      description,
      operation: mutationOperation({
        field: `${verb}${type}`,
        inputType,
        dataField: plural.slice(0, -1),
        selection: `...${type}Fields`,
      }),
      body: { variable: "input", pathFields: { id: "orderId", [idParam]: idParam }, ...(example ? { example } : {}) },
      result: [`${verb}${type}`, plural.slice(0, -1)],
    });
  return [
    route({
      method: "GET",
      path: base,
      summary: `List an order's ${plural}`,
      tag,
      permission: "orders:read",
      description: "Oldest first.",
      operation: `query ($key: ID!) { order(id: $key) { ${plural} { ...${type}Fields } } }`,
      variables: ({ params }) => ({ key: params.id }),
      result: ["order", plural],
      notFound: "Order",
    }),
    route({
      method: "POST",
      path: base,
      summary: `Request a${type === "Exchange" ? "n exchange" : " return"}`,
      tag,
      permission: "orders:update",
      description: kind.request.description,
      operation: mutationOperation({
        field: `request${type}`,
        inputType: `Request${type}Input`,
        dataField: plural.slice(0, -1),
        selection: `...${type}Fields`,
      }),
      body: { variable: "input", pathFields: { id: "orderId" }, example: kind.request.example },
      result: [`request${type}`, plural.slice(0, -1)],
      status: 201,
    }),
    action(
      "approve",
      `Approve a${type === "Exchange" ? "n exchange" : " return"} (issues the RMA number)`,
      `requested -> approved, issuing rmaNumber${type === "Exchange" ? " and reserving the replacements (409 when out of stock)" : ""}. ` +
        `A move the table does not allow is 409 with details.allowedStatuses. Emits ${plural.slice(0, -1)}.approved.`,
      `${type}ActionInput`,
    ),
    action(
      "receive",
      `Receive a${type === "Exchange" ? "n exchange's" : " return's"} items`,
      kind.receive.description,
      `Receive${type}Input`,
      kind.receive.example,
    ),
    action(
      "reject",
      `Reject a${type === "Exchange" ? "n exchange" : " return"}`,
      `requested | approved -> rejected; body { reason? }. Its quantities may be returned again${type === "Exchange" ? ", its reserved replacements are released" : ""}. ` +
        `Emits ${plural.slice(0, -1)}.rejected.`,
      `Reject${type}Input`,
      { reason: "Outside the return window" },
    ),
  ];
}

export const returnRoutes = KINDS.flatMap(routesOf);

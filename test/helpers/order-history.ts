import { expect } from "vitest";
import { ADMIN_KEY, type TestApp } from "./app.js";
import { type SignedIn, signUp } from "./customers.js";
import { mutateEach } from "./graphql-batch.js";

// Order histories in volume, built through the public API only (GraphQL mutations, batched as aliases,
// and REST where only REST takes the input, e.g. multipart uploads): statement-count tests need
// hundreds of rows, and every one of them is made the way a client would make it.

export interface PlacedOrder {
  id: string;
  number: string;
  lines: { id: string }[];
}

export interface OrderSpec {
  customerId?: string;
  lines: { entityId: string; variantId?: string; quantity: number }[];
}

const ADDRESS = { line1: "123 Main St", city: "Springfield", country: "US" };

/** Signs customers up through REST, a few at a time (their password hashes run off the main thread). */
export async function signUpMany(
  t: TestApp,
  people: readonly { email: string; name: string }[],
  parallel = 10,
): Promise<SignedIn[]> {
  const signedIn: SignedIn[] = [];
  for (let start = 0; start < people.length; start += parallel) {
    signedIn.push(...(await Promise.all(people.slice(start, start + parallel).map((p) => signUp(t, p)))));
  }
  return signedIn;
}

/** A merchant's cart per spec (for its customer, if any), its lines, then its checkout: the orders, in spec order. */
export async function placeOrders(t: TestApp, specs: readonly OrderSpec[]): Promise<PlacedOrder[]> {
  const carts = await mutateEach<{ cart: { id: string } }>(
    t,
    "createCart",
    "CreateCartInput",
    specs.map((s) => ({ currency: "USD", ...(s.customerId ? { customerId: s.customerId } : {}) })),
    "cart { id }",
  );
  const cartIds = carts.map((c) => c.cart.id);
  await mutateEach(
    t,
    "addCartItem",
    "AddCartItemInput",
    specs.flatMap((s, i) => s.lines.map((line) => ({ cartId: cartIds[i], ...line }))),
  );
  const placed = await mutateEach<{ checkout: { order: PlacedOrder } }>(
    t,
    "checkout",
    "CheckoutInput",
    cartIds.map((cartId) => ({ cartId, shippingAddress: ADDRESS })),
    "checkout { order { id number lines { id } } }",
  );
  return placed.map((p) => p.checkout.order);
}

/** Captures each order's payment (manual provider): pending -> confirmed. */
export async function capturePayments(t: TestApp, orders: readonly PlacedOrder[]) {
  await mutateEach(
    t,
    "capturePayment",
    "CapturePaymentInput",
    orders.map((o) => ({ orderId: o.id })),
  );
}

/** Ships everything left on each order in one fulfillment (confirmed -> processing -> fulfilled). */
export async function fulfilOrders(
  t: TestApp,
  orders: readonly PlacedOrder[],
  trackingNumber?: (index: number) => string,
) {
  await mutateEach(
    t,
    "createFulfillment",
    "CreateFulfillmentInput",
    orders.map((o, i) => ({ orderId: o.id, ...(trackingNumber ? { trackingNumber: trackingNumber(i) } : {}) })),
  );
}

/** A return of `quantity` of each order's first line, approved, received (not restocked) and refunded. */
export async function returnAndRefund(t: TestApp, orders: readonly PlacedOrder[], quantity = 1) {
  const requested = await mutateEach<{ return: { id: string } }>(
    t,
    "requestReturn",
    "RequestReturnInput",
    orders.map((o) => ({ orderId: o.id, items: [{ lineId: o.lines[0]!.id, quantity }], reason: "too big" })),
    "return { id }",
  );
  const actions = orders.map((o, i) => ({ orderId: o.id, returnId: requested[i]!.return.id }));
  await mutateEach(t, "approveReturn", "ReturnActionInput", actions);
  await mutateEach(
    t,
    "receiveReturn",
    "ReceiveReturnInput",
    actions.map((a) => ({ ...a, restock: false })),
  );
  // The return's value: the refund settles at once with the manual provider, and the return becomes refunded.
  await mutateEach(t, "refundOrder", "RefundOrderInput", actions);
}

/**
 * An exchange of `quantity` of each order's first line for `newVariantId`, approved and received (not
 * restocked): the replacement ships as a fulfillment of the exchange, and a dearer replacement leaves a
 * pending payment for the difference.
 */
export async function exchangeFor(t: TestApp, orders: readonly PlacedOrder[], newVariantId: string, quantity = 1) {
  const requested = await mutateEach<{ exchange: { id: string } }>(
    t,
    "requestExchange",
    "RequestExchangeInput",
    orders.map((o) => ({
      orderId: o.id,
      items: [{ lineId: o.lines[0]!.id, quantity, newVariantId }],
      reason: "colour",
    })),
    "exchange { id }",
  );
  const actions = orders.map((o, i) => ({ orderId: o.id, exchangeId: requested[i]!.exchange.id }));
  await mutateEach(t, "approveExchange", "ExchangeActionInput", actions);
  await mutateEach(
    t,
    "receiveExchange",
    "ReceiveExchangeInput",
    actions.map((a) => ({ ...a, restock: false })),
  );
}

export interface ProductSpec {
  slug: string;
  title: string;
  /** The entity's own USD price; none when only its variants are priced. */
  price?: number;
}

/** Active products with an English title and (when given) a USD price, through GraphQL. Answers their ids. */
export async function createProducts(t: TestApp, specs: readonly ProductSpec[]): Promise<string[]> {
  const created = await mutateEach<{ entity: { id: string } }>(
    t,
    "createCatalogEntity",
    "CreateCatalogEntityInput",
    specs.map((s) => ({ type: "product", slug: s.slug, status: "active" })),
    "entity { id }",
  );
  const ids = created.map((c) => c.entity.id);
  await mutateEach(
    t,
    "setCatalogAttributes",
    "SetCatalogAttributesInput",
    specs.map((s, i) => ({ entityId: ids[i], locale: "en", title: s.title })),
  );
  const priced = specs.flatMap((s, i) => (s.price === undefined ? [] : [{ entityId: ids[i]!, amount: s.price }]));
  await setPrices(t, priced);
  return ids;
}

/** USD prices of entities or of their variants. */
export async function setPrices(
  t: TestApp,
  prices: readonly { entityId: string; variantId?: string; amount: number }[],
) {
  await mutateEach(
    t,
    "createPrice",
    "CreatePriceInput",
    prices.map((p) => ({ currency: "USD", ...p })),
  );
}

/** One option type per entity with these values, and a variant per value: answers each entity's variants in value order. */
export async function addVariants(
  t: TestApp,
  entities: readonly { entityId: string; skuPrefix: string }[],
  option: { name: string; values: readonly string[] },
): Promise<{ id: string; sku: string }[][]> {
  await mutateEach(
    t,
    "createOptionType",
    "CreateOptionTypeInput",
    entities.map((e) => ({
      entityId: e.entityId,
      name: option.name,
      displayName: option.name,
      values: option.values.map((value) => ({ value, label: value })),
    })),
  );
  const generated = await mutateEach<{ result: { variants: { id: string; sku: string }[] } }>(
    t,
    "generateVariants",
    "GenerateVariantsInput",
    entities.map((e) => ({ entityId: e.entityId, skuPrefix: e.skuPrefix })),
    "result { variants { id sku } }",
  );
  return generated.map((g) => g.result.variants);
}

/** Stock movements (restock, sale, ...) each written to its level's ledger, through GraphQL. */
export async function adjustStock(
  t: TestApp,
  moves: readonly { entityId: string; variantId?: string; warehouseId: string; type: string; quantity: number }[],
) {
  await mutateEach(t, "adjustInventory", "AdjustInventoryInput", moves);
}

export async function createWarehouse(t: TestApp, code: string): Promise<string> {
  const [created] = await mutateEach<{ warehouse: { id: string } }>(
    t,
    "createWarehouse",
    "CreateWarehouseInput",
    [{ code, name: code }],
    "warehouse { id }",
  );
  return created!.warehouse.id;
}

/** The smallest PNG (1x1) and PDF the upload sniffer accepts; `tag` makes each file's bytes its own. */
export function pngBytes(tag = ""): Uint8Array<ArrayBuffer> {
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
    "base64",
  );
  return new Uint8Array(Buffer.concat([png, Buffer.from(tag)]));
}

export function pdfBytes(tag = ""): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(`%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n%${tag}\n`, "latin1"));
}

/** POST /api/media/upload (multipart, the only way files come in), then attachMedia in `role`; answers the asset ids. */
export async function uploadAndAttach(
  t: TestApp,
  files: readonly {
    entityId: string;
    bytes: Uint8Array<ArrayBuffer>;
    fileName: string;
    contentType: string;
    role: string;
  }[],
  parallel = 5,
): Promise<string[]> {
  const assetIds: string[] = [];
  for (let start = 0; start < files.length; start += parallel) {
    const uploaded = await Promise.all(
      files.slice(start, start + parallel).map(async (file) => {
        const form = new FormData();
        form.set("file", new Blob([file.bytes], { type: file.contentType }), file.fileName);
        const res = await t.app.fetch(
          new Request("http://localhost/api/media/upload", {
            method: "POST",
            headers: { "x-api-key": ADMIN_KEY },
            body: form,
          }),
        );
        const body = (await res.json()) as { data: { id: string } };
        expect(res.status, JSON.stringify(body)).toBe(201);
        return body.data.id;
      }),
    );
    assetIds.push(...uploaded);
  }
  await mutateEach(
    t,
    "attachMedia",
    "AttachMediaInput",
    files.map((f, i) => ({ entityId: f.entityId, mediaAssetId: assetIds[i], role: f.role })),
  );
  return assetIds;
}

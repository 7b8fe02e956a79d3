/**
 * A realistic demo store, built through the public API (REST routes and GraphQL queries of the gateway,
 * in-process), so every row is one the API itself made: categories and brands, products with option
 * matrices and variants, prices, stock in two warehouses, customers who signed up, and orders checked out
 * and moved through captures, fulfillments, cancellations and refunds.
 *
 * Idempotent: everything has a deterministic key (slugs `demo-*`, emails `*@demo.cartograph.test`,
 * orders' `metadata.demoSeed`), a run first reads what exists and creates only what is missing, and an
 * order left half-way by an interrupted run is moved on to its planned status. A second run adds nothing.
 */

export interface SeedSize {
  products: number;
  customers: number;
  orders: number;
}

export const DEFAULT_PRODUCTS = 300;

/** Sizes from SEED_PRODUCTS / SEED_CUSTOMERS / SEED_ORDERS; customers and orders scale with products. */
export function seedSizeFrom(env: Record<string, string | undefined>): SeedSize {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 100_000)
      throw new Error(`${name} must be a whole number from 0 to 100000, not "${raw}".`);
    return value;
  };
  const products = int("SEED_PRODUCTS", DEFAULT_PRODUCTS);
  return {
    products,
    customers: int("SEED_CUSTOMERS", Math.max(3, Math.round(products / 6))),
    orders: int("SEED_ORDERS", Math.max(products ? 5 : 0, Math.round(products / 2))),
  };
}

/** Sends a request to the gateway (in-process `app.fetch` in the script and the tests). */
export type Fetch = (request: Request) => Promise<Response>;

export interface SeedProgress {
  start(total: number, phase: string): void;
  /** One unit of work done (created, or found to exist already). */
  tick(phase: string): void;
  stop(): void;
}

export interface SeedOptions {
  fetch: Fetch;
  /** A key with every permission of the store (the script uses a one-off bootstrap key). */
  apiKey: string;
  size: SeedSize;
  progress?: SeedProgress;
  /**
   * Spreads a new order over the last 30 days (the API stamps "now"; no route sets a past date), so the
   * dashboard's chart has a history. The script passes one UPDATE of `createdAt`; without it orders stay dated now.
   */
  backdateOrder?: (orderId: string, at: Date) => Promise<void>;
  now?: Date;
}

export interface SeedReport {
  created: {
    categories: number;
    brands: number;
    products: number;
    variants: number;
    customers: number;
    orders: number;
  };
  existing: { products: number; customers: number; orders: number };
  /** Orders by planned status (new and existing). */
  ordersByStatus: Record<string, number>;
  alreadySeeded: boolean;
}

// ---- deterministic data ------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every run plans the same store. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

interface CategoryPlan {
  slug: string;
  name: string;
  nouns: readonly string[];
  /** Option matrix of this category's products (none: a simple product with its own stock). */
  options: readonly { name: string; values: readonly string[] }[];
  price: [number, number];
}

const COLORS = { name: "Color", values: ["black", "white", "navy", "sage", "rust"] } as const;
const CATEGORIES: readonly CategoryPlan[] = [
  {
    slug: "demo-apparel",
    name: "Apparel",
    nouns: ["T-Shirt", "Hoodie", "Sweater", "Jacket", "Cap", "Shorts"],
    options: [
      { name: "Size", values: ["S", "M", "L", "XL"] },
      { ...COLORS, values: COLORS.values.slice(0, 3) },
    ],
    price: [1500, 12000],
  },
  {
    slug: "demo-footwear",
    name: "Footwear",
    nouns: ["Sneaker", "Boot", "Sandal", "Loafer", "Runner"],
    options: [{ name: "Size", values: ["38", "40", "42", "44"] }],
    price: [4500, 18000],
  },
  {
    slug: "demo-home",
    name: "Home",
    nouns: ["Throw", "Cushion", "Lamp", "Vase", "Rug", "Candle"],
    options: [COLORS],
    price: [1200, 16000],
  },
  {
    slug: "demo-kitchen",
    name: "Kitchen",
    nouns: ["Mug", "Kettle", "Skillet", "Knife", "Cutting Board", "Teapot"],
    options: [],
    price: [900, 14000],
  },
  {
    slug: "demo-outdoors",
    name: "Outdoors",
    nouns: ["Backpack", "Tent", "Water Bottle", "Headlamp", "Hammock"],
    options: [{ name: "Color", values: ["olive", "orange", "grey"] }],
    price: [1800, 30000],
  },
  {
    slug: "demo-stationery",
    name: "Stationery",
    nouns: ["Notebook", "Fountain Pen", "Planner", "Sketchbook", "Pencil Set"],
    options: [],
    price: [400, 6000],
  },
  {
    slug: "demo-beauty",
    name: "Beauty",
    nouns: ["Face Oil", "Hand Cream", "Soap Bar", "Lip Balm", "Shampoo"],
    options: [{ name: "Size", values: ["50ml", "100ml"] }],
    price: [600, 5500],
  },
  {
    slug: "demo-electronics",
    name: "Electronics",
    nouns: ["Headphones", "Speaker", "Charger", "Keyboard", "Desk Light"],
    options: [],
    price: [2500, 40000],
  },
];
const ADJECTIVES = [
  "Classic",
  "Everyday",
  "Nordic",
  "Coastal",
  "Urban",
  "Heritage",
  "Alpine",
  "Studio",
  "Field",
  "Linen",
  "Merino",
  "Canvas",
  "Cedar",
  "Harbor",
  "Summit",
  "Meadow",
  "Copper",
  "Slate",
  "Juniper",
  "Willow",
];
const BRANDS = [
  { slug: "demo-northwind", name: "Northwind" },
  { slug: "demo-fernhill", name: "Fernhill" },
  { slug: "demo-atlas-goods", name: "Atlas Goods" },
  { slug: "demo-kestrel", name: "Kestrel & Co" },
  { slug: "demo-blue-harbor", name: "Blue Harbor" },
  { slug: "demo-oakline", name: "Oakline" },
];
const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Linus",
  "Margaret",
  "Tim",
  "Barbara",
  "Dennis",
  "Frances",
  "Ken",
  "Radia",
  "Edsger",
  "Hedy",
  "John",
  "Sophie",
  "Donald",
  "Shafi",
  "Leslie",
  "Annie",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Torvalds",
  "Hamilton",
  "Berners-Lee",
  "Liskov",
  "Ritchie",
  "Allen",
  "Thompson",
  "Perlman",
  "Dijkstra",
  "Lamarr",
  "Backus",
  "Wilson",
  "Knuth",
  "Goldwasser",
  "Lamport",
  "Easley",
];
const CITIES = [
  { city: "Portland", state: "OR", postalCode: "97201", country: "US" },
  { city: "Austin", state: "TX", postalCode: "73301", country: "US" },
  { city: "Chicago", state: "IL", postalCode: "60601", country: "US" },
  { city: "Boston", state: "MA", postalCode: "02108", country: "US" },
  { city: "Denver", state: "CO", postalCode: "80202", country: "US" },
  { city: "Toronto", state: "ON", postalCode: "M5H 2N2", country: "CA" },
];

/** How the orders end up, in shares (they add up to 1). */
const STATUS_MIX: readonly [string, number][] = [
  ["pending", 0.14],
  ["confirmed", 0.14],
  ["processing", 0.12],
  ["partially_fulfilled", 0.08],
  ["fulfilled", 0.36],
  ["cancelled", 0.1],
  ["refunded", 0.06],
];

/** The API steps that take a new (pending) order to a status, each with the status it leaves the order in. */
const STEPS: Record<string, readonly (readonly [Step, string])[]> = {
  pending: [],
  confirmed: [["capture", "confirmed"]],
  processing: [
    ["capture", "confirmed"],
    ["processing", "processing"],
  ],
  partially_fulfilled: [
    ["capture", "confirmed"],
    ["ship-one", "partially_fulfilled"],
  ],
  fulfilled: [
    ["capture", "confirmed"],
    ["ship-all", "fulfilled"],
  ],
  cancelled: [["cancel", "cancelled"]],
  refunded: [
    ["capture", "confirmed"],
    ["ship-all", "fulfilled"],
    ["refund", "refunded"],
  ],
};
type Step = "capture" | "processing" | "ship-one" | "ship-all" | "cancel" | "refund";

interface ProductPlan {
  slug: string;
  title: string;
  description: string;
  category: CategoryPlan;
  brandSlug: string;
  price: number;
  /** Stock per variant (or of the product itself); one in ten sold out. */
  stock: number;
}

interface CustomerPlan {
  email: string;
  name: string;
  address: Record<string, string>;
}

interface OrderPlan {
  key: string;
  customer: number;
  status: string;
  lines: { product: number; variant: number; quantity: number }[];
  daysAgo: number;
  minuteOfDay: number;
}

export function planStore(size: SeedSize) {
  // Each item draws from its own stream, so item n is planned the same whatever the sizes: a larger run
  // later only adds items.
  const products: ProductPlan[] = [];
  for (let i = 0; i < size.products; i++) {
    const r = random(1_000_003 * (i + 1));
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const adjective = ADJECTIVES[Math.floor(i / CATEGORIES.length) % ADJECTIVES.length]!;
    const noun = category.nouns[Math.floor(i / (CATEGORIES.length * ADJECTIVES.length)) % category.nouns.length]!;
    const edition = Math.floor(i / (CATEGORIES.length * ADJECTIVES.length * category.nouns.length));
    const title = `${adjective} ${noun}${edition ? ` ${edition + 1}` : ""}`;
    const [min, max] = category.price;
    products.push({
      slug: `demo-${String(i + 1).padStart(4, "0")}-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
      title,
      description: `The ${title.toLowerCase()}, from our ${category.name.toLowerCase()} range.`,
      category,
      brandSlug: r.pick(BRANDS).slug,
      price: Math.round(r.int(min, max) / 100) * 100 - 1,
      stock: r.next() < 0.1 ? 0 : r.int(15, 120),
    });
  }
  const customers: CustomerPlan[] = [];
  for (let i = 0; i < size.customers; i++) {
    const r = random(2_000_003 * (i + 1));
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length + i) % LAST.length]!;
    customers.push({
      email: `${first}.${last}.${i + 1}@demo.cartograph.test`.toLowerCase(),
      name: `${first} ${last}`,
      address: {
        name: `${first} ${last}`,
        line1: `${r.int(1, 999)} ${r.pick(["Oak", "Maple", "Pine", "Elm", "Birch"])} St`,
        ...r.pick(CITIES),
      },
    });
  }
  const variantsOf = (p: ProductPlan) => p.category.options.reduce((n, o) => n * o.values.length, 1);
  const inStock = products.map((p, i) => (p.stock > 0 ? i : -1)).filter((i) => i >= 0);
  const orders: OrderPlan[] = [];
  for (let i = 0; i < size.orders; i++) {
    const r = random(3_000_017 * (i + 1));
    let roll = r.next();
    const status = STATUS_MIX.find(([, share]) => (roll -= share) < 0)?.[0] ?? "fulfilled";
    const lines: OrderPlan["lines"] = [];
    const count = status === "partially_fulfilled" ? r.int(2, 3) : r.int(1, 3);
    for (let l = 0; l < count && inStock.length; l++) {
      const product = r.pick(inStock);
      if (lines.some((line) => line.product === product)) continue;
      // A partly shipped order ships one unit of its first line: that line needs two.
      const quantity = status === "partially_fulfilled" && !lines.length ? 2 : r.int(1, 2);
      lines.push({ product, variant: r.int(0, variantsOf(products[product]!) - 1), quantity });
    }
    // Recent days are busier; today's orders are the ones still moving.
    const daysAgo = ["pending", "confirmed"].includes(status)
      ? r.int(0, 2)
      : Math.min(29, Math.floor(r.next() ** 1.6 * 30));
    orders.push({
      key: `order-${String(i + 1).padStart(5, "0")}`,
      customer: size.customers ? i % size.customers : -1,
      status,
      lines,
      daysAgo,
      minuteOfDay: r.int(7 * 60, 22 * 60),
    });
  }
  return { products, customers, orders };
}

// ---- the API -----------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function api(fetch: Fetch, apiKey: string) {
  const send = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { "x-api-key": apiKey };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(
      new Request(`http://seed.localhost${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const json = (await response.json().catch(() => ({}))) as {
      data?: any;
      error?: { code?: string; message?: string };
      errors?: { message: string }[];
      code?: string;
      message?: string;
    };
    // /api/auth answers as Better Auth does: bare bodies and errors as { code, message }.
    const betterAuth = path.startsWith("/api/auth/");
    if (response.status >= 300 || json.errors?.length) {
      const message = json.error?.message ?? json.errors?.[0]?.message ?? json.message ?? `HTTP ${response.status}`;
      throw new ApiError(response.status, json.error?.code ?? json.code, `${method} ${path}: ${message}`);
    }
    return betterAuth ? json : json.data;
  };
  return {
    rest: send,
    graphql: (query: string, variables?: Record<string, unknown>) => send("POST", "/graphql", { query, variables }),
    /** Several mutations of one field in one request (aliases); any typed error fails the whole call. */
    async mutations(field: string, inputType: string, inputs: Record<string, unknown>) {
      const aliases = Object.keys(inputs);
      if (!aliases.length) return;
      const query = `mutation (${aliases.map((a) => `$${a}: ${inputType}!`).join(", ")}) {
        ${aliases.map((a) => `${a}: ${field}(input: $${a}) { __typename ... on Error { code message } }`).join("\n")}
      }`;
      const data = await send("POST", "/graphql", { query, variables: inputs });
      for (const alias of aliases) {
        const result = data[alias] as { __typename: string; code?: string; message?: string };
        if (result.code) throw new ApiError(422, result.code, `${field}: ${result.message}`);
      }
    },
    /** Every node of a connection, 100 at a time. */
    async all<T>(query: string, field: string): Promise<T[]> {
      const nodes: T[] = [];
      let after: string | null = null;
      for (;;) {
        const data = await send("POST", "/graphql", { query, variables: { after } });
        const page = data[field] as {
          edges: { node: T }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
        nodes.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return nodes;
        after = page.pageInfo.endCursor;
      }
    },
  };
}

const ENTITIES = `query ($after: String) { catalogEntities(first: 100, after: $after) {
  edges { node { id slug variants { id sku } } } pageInfo { hasNextPage endCursor } } }`;
const CUSTOMERS = `query ($after: String) { customers(first: 100, after: $after) {
  edges { node { id email } } pageInfo { hasNextPage endCursor } } }`;
const ORDERS = `query ($after: String) { orders(first: 100, after: $after) {
  edges { node { id status metadata } } pageInfo { hasNextPage endCursor } } }`;
const TAXONOMY = `{ categories(first: 100) { edges { node { id slug } } } brands(first: 100) { edges { node { id slug } } }
  warehouses(first: 100) { edges { node { id code } } } }`;
const ORDER_LINES = `query ($id: ID!) { order(id: $id) { id status lines { id quantity } } }`;

// ---- the seed ----------------------------------------------------------------------------------

/** Requests in flight at once: PostgreSQL works on several; PGlite queues them but the JS around overlaps. */
const CONCURRENCY = 4;

/** Runs `work` over `items`, `limit` at a time; after a failure nothing new starts, and it is thrown once the rest settle. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  let failure: unknown;
  const runner = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (!failed) [failed, failure] = [true, error];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  if (failed) throw failure;
}

export async function seedDemoStore(options: SeedOptions): Promise<SeedReport> {
  const { size } = options;
  const progress = options.progress ?? { start() {}, tick() {}, stop() {} };
  const client = api(options.fetch, options.apiKey);
  const plan = planStore(size);
  const now = options.now ?? new Date();
  const report: SeedReport = {
    created: { categories: 0, brands: 0, products: 0, variants: 0, customers: 0, orders: 0 },
    existing: { products: 0, customers: 0, orders: 0 },
    ordersByStatus: {},
    alreadySeeded: false,
  };

  // What is there already.
  const taxonomy = await client.graphql(TAXONOMY);
  const categoryIds = new Map<string, string>(taxonomy.categories.edges.map((e: any) => [e.node.slug, e.node.id]));
  const brandIds = new Map<string, string>(taxonomy.brands.edges.map((e: any) => [e.node.slug, e.node.id]));
  const warehouses = new Map<string, string>(taxonomy.warehouses.edges.map((e: any) => [e.node.code, e.node.id]));
  const entities = new Map(
    (await client.all<{ id: string; slug: string; variants: { id: string }[] }>(ENTITIES, "catalogEntities")).map(
      (e) => [e.slug, e],
    ),
  );
  const customerIds = new Map(
    (await client.all<{ id: string; email: string }>(CUSTOMERS, "customers")).map((c) => [c.email, c.id]),
  );
  const seededOrders = new Map<string, { id: string; status: string }>();
  for (const order of await client.all<{ id: string; status: string; metadata: Record<string, unknown> }>(
    ORDERS,
    "orders",
  )) {
    if (typeof order.metadata?.demoSeed === "string") seededOrders.set(order.metadata.demoSeed, order);
  }

  const missingProducts = plan.products.filter((p) => !entities.has(p.slug));
  const missingCustomers = plan.customers.filter((c) => !customerIds.has(c.email));
  const unfinishedOrders = plan.orders.filter((o) => seededOrders.get(o.key)?.status !== o.status);
  for (const o of plan.orders) report.ordersByStatus[o.status] = (report.ordersByStatus[o.status] ?? 0) + 1;
  report.existing = {
    products: plan.products.length - missingProducts.length,
    customers: plan.customers.length - missingCustomers.length,
    orders: plan.orders.length - unfinishedOrders.length,
  };
  if (!missingProducts.length && !missingCustomers.length && !unfinishedOrders.length) {
    report.alreadySeeded = true;
    return report;
  }

  progress.start(missingProducts.length + missingCustomers.length + unfinishedOrders.length, "catalog");
  try {
    // Taxonomy and warehouses: a handful of rows, created when missing.
    for (const category of CATEGORIES) {
      if (categoryIds.has(category.slug)) continue;
      const created = await client.rest("POST", "/api/catalog/categories", {
        name: category.name,
        slug: category.slug,
      });
      categoryIds.set(category.slug, created.id);
      report.created.categories++;
    }
    for (const brand of BRANDS) {
      if (brandIds.has(brand.slug)) continue;
      const created = await client.rest("POST", "/api/catalog/brands", { name: brand.name, slug: brand.slug });
      brandIds.set(brand.slug, created.id);
      report.created.brands++;
    }
    for (const [code, name] of [
      ["DEMO-EAST", "East coast warehouse"],
      ["DEMO-WEST", "West coast warehouse"],
    ] as const) {
      if (!warehouses.has(code))
        warehouses.set(code, (await client.rest("POST", "/api/inventory/warehouses", { code, name })).id);
    }
    const warehouseIds = [...warehouses.entries()].filter(([code]) => code.startsWith("DEMO-")).map(([, id]) => id);

    await inPool(missingProducts, CONCURRENCY, async (product) => {
      const entity = await createProduct(client, product, categoryIds, brandIds, warehouseIds);
      entities.set(product.slug, entity);
      report.created.products++;
      report.created.variants += entity.variants.length;
      progress.tick("catalog");
    });

    await inPool(missingCustomers, CONCURRENCY, async (customer) => {
      // Customers sign up as shoppers do (password hashed by the server).
      const signedUp = await client.rest("POST", "/api/auth/sign-up/email", {
        email: customer.email,
        password: `demo-${customer.email}`,
        name: customer.name,
      });
      customerIds.set(customer.email, signedUp.user.id);
      report.created.customers++;
      progress.tick("customers");
    });

    await inPool(unfinishedOrders, CONCURRENCY, async (order) => {
      const existing = seededOrders.get(order.key);
      const placed = existing ?? (await placeOrder(client, plan, order, entities, customerIds));
      if (!placed) {
        progress.tick("orders");
        return;
      }
      if (!existing) {
        report.created.orders++;
        if (options.backdateOrder) {
          const at = new Date(now.getTime() - order.daysAgo * 86_400_000);
          at.setUTCHours(0, order.minuteOfDay, 0, 0);
          await options.backdateOrder(placed.id, at > now ? now : at);
        }
      }
      await moveOrder(client, placed, order.status);
      progress.tick("orders");
    });
  } finally {
    progress.stop();
  }
  return report;
}

async function createProduct(
  client: ReturnType<typeof api>,
  product: ProductPlan,
  categoryIds: Map<string, string>,
  brandIds: Map<string, string>,
  warehouseIds: string[],
) {
  const entity = await client.rest("POST", "/api/catalog/entities", {
    type: "product",
    slug: product.slug,
    status: "active",
  });
  await client.rest("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, {
    title: product.title,
    description: product.description,
  });
  await client.rest("POST", `/api/catalog/entities/${entity.id}/categories/${categoryIds.get(product.category.slug)}`);
  await client.rest("POST", `/api/catalog/entities/${entity.id}/brands/${brandIds.get(product.brandSlug)}`);
  await client.rest("POST", "/api/pricing/prices", { entityId: entity.id, currency: "USD", amount: product.price });
  let variants: { id: string }[] = [];
  if (product.category.options.length) {
    for (const [position, option] of product.category.options.entries()) {
      await client.rest("POST", `/api/catalog/entities/${entity.id}/options`, {
        name: option.name,
        position,
        values: option.values.map((value) => ({ value })),
      });
    }
    const generated = await client.rest("POST", `/api/catalog/entities/${entity.id}/variants/generate`, {});
    variants = generated.variants;
  }
  // Stock in one of the warehouses (alternating), per variant or of the product itself; sold-out items get
  // none. One GraphQL request restocks every variant (aliased mutations run one after another).
  if (product.stock > 0) {
    const targets = variants.length ? variants.map((v) => v.id) : [undefined];
    const inputs = Object.fromEntries(
      targets.map((variantId, i) => [
        `s${i}`,
        {
          entityId: entity.id,
          ...(variantId ? { variantId } : {}),
          warehouseId: warehouseIds[i % warehouseIds.length],
          type: "restock",
          quantity: product.stock,
          reason: "Demo seed",
        },
      ]),
    );
    await client.mutations("adjustInventory", "AdjustInventoryInput", inputs);
  }
  return { id: entity.id as string, slug: product.slug, variants };
}

async function placeOrder(
  client: ReturnType<typeof api>,
  plan: ReturnType<typeof planStore>,
  order: OrderPlan,
  entities: Map<string, { id: string; variants: { id: string }[] }>,
  customerIds: Map<string, string>,
): Promise<{ id: string; status: string } | undefined> {
  if (!order.lines.length) return undefined;
  const cart = await client.rest("POST", "/api/carts", { currency: "USD" });
  for (const line of order.lines) {
    const entity = entities.get(plan.products[line.product]!.slug)!;
    const variant = entity.variants[line.variant % Math.max(1, entity.variants.length)];
    await client.rest("POST", `/api/carts/${cart.id}/items`, {
      entityId: entity.id,
      ...(variant ? { variantId: variant.id } : {}),
      quantity: line.quantity,
    });
  }
  const customer = plan.customers[order.customer];
  const placed = await client.rest("POST", "/api/checkout", {
    cartId: cart.id,
    ...(customer
      ? { customerId: customerIds.get(customer.email), email: customer.email, shippingAddress: customer.address }
      : {
          email: "guest@demo.cartograph.test",
          shippingAddress: {
            name: "Guest Shopper",
            line1: "1 Market St",
            city: "San Francisco",
            state: "CA",
            postalCode: "94105",
            country: "US",
          },
        }),
    metadata: { demoSeed: order.key },
  });
  return { id: placed.id, status: placed.status };
}

/** Moves an order from where it is to its planned status, through the steps the API offers. */
async function moveOrder(client: ReturnType<typeof api>, order: { id: string; status: string }, target: string) {
  const steps = STEPS[target] ?? [];
  const done = steps.findIndex(([, reached]) => reached === order.status);
  // Somewhere off the path (moved by hand since): leave it as it is.
  if (done === -1 && order.status !== "pending") return;
  for (const [step] of steps.slice(done + 1)) {
    if (step === "capture") await client.rest("POST", `/api/orders/${order.id}/payment/capture`, {});
    else if (step === "processing")
      await client.rest("PATCH", `/api/orders/${order.id}/status`, { status: "processing" });
    else if (step === "cancel")
      await client.rest("PATCH", `/api/orders/${order.id}/status`, {
        status: "cancelled",
        reason: "Customer changed their mind",
      });
    else if (step === "refund") await client.rest("POST", `/api/orders/${order.id}/refunds`, { reason: "Demo refund" });
    else if (step === "ship-all")
      await client.rest("POST", `/api/orders/${order.id}/fulfillments`, {
        carrier: "UPS",
        trackingNumber: `1Z${order.id.slice(0, 8).toUpperCase()}`,
      });
    else {
      // ship-one: the first line only, so the order is partly shipped.
      const { order: current } = await client.graphql(ORDER_LINES, { id: order.id });
      const first = current.lines[0];
      await client.rest("POST", `/api/orders/${order.id}/fulfillments`, {
        carrier: "USPS",
        items: [{ lineId: first.id, quantity: 1 }],
      });
    }
  }
}

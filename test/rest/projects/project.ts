import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { Sent, TestApp } from "../../helpers/app.js";

/** A project (store) created through the API, with its back-office secret key and its publishable key. */
export interface Project {
  slug: string;
  storeId: string;
  secretKey: string;
  publishableKey: string;
}

export async function createProject(
  t: TestApp,
  slug: string,
  settings: Record<string, unknown> = {},
): Promise<Project> {
  const store = await t.request("POST", "/api/stores", { body: { name: `Project ${slug}`, slug, ...settings } });
  expect(store.status, JSON.stringify(store.body)).toBe(201);
  const storeId = store.body.data.id as string;
  const secret = await t.request("POST", "/api/api-keys", {
    body: { name: "back office", permissions: ["*:*"], storeId },
  });
  const publishable = await t.request("POST", "/api/api-keys", {
    body: { name: "storefront", kind: "publishable", storeId },
  });
  expect([secret.status, publishable.status]).toEqual([201, 201]);
  return { slug, storeId, secretKey: secret.body.data.secret, publishableKey: publishable.body.data.secret };
}

/** A client of seed 003's dialect for one project: `Authorization: Bearer <key>` (null: no key). */
export function storefront(t: TestApp, slug: string, key: string | null) {
  return (
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Sent> =>
    t.request(method, `/api/v1/public/projects/${slug}/ecommerce${path}`, {
      key: null,
      body: options.body,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers },
    });
}

/** A product of the project through the main dialect (its secret key): active, priced, stocked, in a category. */
export async function productOf(
  t: TestApp,
  project: Project,
  options: {
    slug: string;
    title?: string;
    price: number;
    currency?: string;
    stock?: number;
    categoryId?: string;
    status?: string;
    metadata?: Record<string, unknown>;
  },
) {
  const key = project.secretKey;
  const entity = await t.request("POST", "/api/catalog/entities", {
    key,
    body: {
      type: "product",
      slug: options.slug,
      status: options.status ?? "active",
      ...(options.metadata ? { metadata: options.metadata } : {}),
    },
  });
  expect(entity.status, JSON.stringify(entity.body)).toBe(201);
  const id = entity.body.data.id as string;
  await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, {
    key,
    body: { title: options.title ?? options.slug, description: `About ${options.slug}` },
  });
  const price = await t.request("POST", "/api/pricing/prices", {
    key,
    body: { entityId: id, currency: options.currency ?? "USD", amount: options.price },
  });
  expect(price.status, JSON.stringify(price.body)).toBe(201);
  if (options.stock !== undefined) {
    const warehouses = await t.request("GET", "/api/inventory/warehouses", { key });
    let warehouseId = warehouses.body.data[0]?.id as string | undefined;
    if (!warehouseId) {
      const created = await t.request("POST", "/api/inventory/warehouses", {
        key,
        body: { code: "MAIN", name: "Main" },
      });
      warehouseId = created.body.data.id;
    }
    const adjusted = await t.request("POST", "/api/inventory/adjust", {
      key,
      body: { entityId: id, warehouseId, type: "restock", quantity: options.stock },
    });
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBeLessThan(300);
  }
  if (options.categoryId) {
    expect(
      (await t.request("POST", `/api/catalog/entities/${id}/categories/${options.categoryId}`, { key })).status,
    ).toBe(200);
  }
  return id;
}

export async function categoryOf(t: TestApp, project: Project, name: string, parentId?: string) {
  const res = await t.request("POST", "/api/catalog/categories", {
    key: project.secretKey,
    body: { name, ...(parentId ? { parentId } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id as string;
}

export const ADDRESS = { line1: "123 Main St", city: "City", postal_code: "12345", country: "US" };

/** A local HTTP receiver for outbound webhooks, recording what arrives. */
export async function webhookReceiver() {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** Bodies received for one event type, parsed. */
    of: (type: string) =>
      received.filter((r) => r.headers["x-webhook-event"] === type).map((r) => ({ ...r, json: JSON.parse(r.body) })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Delivers every webhook waiting in the outbox (the job queue, run through its endpoint). */
export async function deliverWebhooks(t: TestApp) {
  const run = await t.request("GET", "/api/jobs/run?limit=100");
  expect(run.status).toBe(200);
}

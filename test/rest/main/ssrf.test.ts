import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { deliverWebhook, WebhookDeliveryError } from "../../../src/domain/webhooks/deliver.js";
import type { ResolveHost } from "../../../src/domain/webhooks/targets.js";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import { PRIVATE_ADDRESSES, PUBLIC_ADDRESSES, urlHost } from "../../helpers/ssrf-addresses.js";

// `t` allows private targets (it registers the local receiver); `strict` is the production default,
// on the same database, so it sees the same endpoints and delivery jobs.
const t = useTestApp({ webhookAllowPrivateTargets: true });
let strict: App;
beforeAll(async () => {
  strict = await buildApp(
    {
      ...loadConfig({
        ADMIN_API_KEY: ADMIN_KEY,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        RATE_LIMIT_PER_MINUTE: "100000",
        JOBS_POLL_MS: "0",
      }),
      port: 0,
    },
    { db: t.app.db },
  );
});
afterAll(() => strict?.stop());

async function strictRequest(method: string, path: string, body?: unknown) {
  const response = await strict.fetch(
    new Request(`http://localhost${path}`, {
      method,
      headers: { "x-api-key": ADMIN_KEY, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json() };
}

/** A receiver on every loopback address (IPv4 and IPv6): any request that gets through lands here. */
const received: http.IncomingHttpHeaders[] = [];
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received.push(req.headers);
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "::", r));
const port = (receiver.address() as AddressInfo).port;
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

const EVENT = "customers.create";

/** Registers through the permissive app (which does not resolve), as an endpoint that existed before DNS changed would be. */
async function registerPermissive(url: string): Promise<string> {
  const res = await t.request("POST", "/api/webhooks", { body: { url, events: [EVENT] } });
  expect(res.status, url).toBe(201);
  return res.body.data.id;
}
const remove = (ids: string[]) => Promise.all(ids.map((id) => t.request("DELETE", `/api/webhooks/${id}`)));
const deliveriesOf = (endpointIds: string[]) =>
  t.app.db.prisma.webhookDelivery.findMany({ where: { endpointId: { in: endpointIds } } });

describe("registering a webhook target", () => {
  it("refuses every private, loopback, link-local and reserved address form with 422 private_target", async () => {
    const urls = [
      ...PRIVATE_ADDRESSES.map(({ address }) => `http://${urlHost(address)}:${port}/hooks`),
      // the forms of the issue, as written
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://[fec0::1]/",
      // spellings the URL parser turns into private addresses, and a name that resolves to loopback
      "http://[::ffff:127.0.0.1]/",
      "http://[64:ff9b::169.254.169.254]/latest/meta-data",
      "http://0/",
      "http://127.1/",
      "http://2130706433/",
      "http://0x7f.0.0.1/",
      `http://localhost:${port}/hooks`,
    ];
    for (const url of urls) {
      const res = await strictRequest("POST", "/api/webhooks", { url, events: [EVENT] });
      expect(res.status, url).toBe(422);
      expect(res.body.error.details[0], url).toMatchObject({ path: "url", code: "private_target" });
    }
    const list = await strictRequest("GET", "/api/webhooks");
    expect(list.body.data).toEqual([]);
  });

  it("accepts public addresses, including IPv6 forms that lead to a public IPv4 address", async () => {
    for (const address of PUBLIC_ADDRESSES) {
      const res = await strictRequest("POST", "/api/webhooks", {
        url: `https://${urlHost(address)}/hooks`,
        events: [EVENT],
      });
      expect(res.status, address).toBe(201);
      expect((await strictRequest("DELETE", `/api/webhooks/${res.body.data.id}`)).status).toBe(200);
    }
  });
});

describe("delivering to a webhook target", () => {
  it("checks again at delivery: an endpoint that now reaches a private address gets nothing", async () => {
    // Reachable loopback targets: the permissive worker delivers to each (so the receiver is there) ...
    const reachable = await Promise.all(
      [
        `http://127.0.0.1:${port}/hooks`,
        `http://localhost:${port}/hooks`,
        `http://[::ffff:127.0.0.1]:${port}/hooks`,
        `http://[::1]:${port}/hooks`,
      ].map(registerPermissive),
    );
    received.length = 0;
    await signUp(t);
    expect((await t.request("GET", "/api/jobs/run?limit=50")).body.data.completed).toBe(reachable.length);
    expect(received).toHaveLength(reachable.length);

    // ... and every private form, which the strict worker must refuse without connecting.
    const unreachable = await Promise.all(
      PRIVATE_ADDRESSES.map(({ address }) => registerPermissive(`http://${urlHost(address)}:${port}/hooks`)),
    );
    received.length = 0;
    await signUp(t);
    const run = await strictRequest("GET", "/api/jobs/run?limit=100");
    expect(run.body.data).toMatchObject({ completed: 0, retried: reachable.length + unreachable.length });
    expect(received).toHaveLength(0);
    const refused = (await deliveriesOf([...reachable, ...unreachable])).filter((d) => d.status === "pending");
    expect(refused).toHaveLength(reachable.length + unreachable.length);
    for (const delivery of refused) {
      expect(delivery).toMatchObject({
        attempts: 1,
        lastStatus: null,
        lastError: expect.stringMatching(/^private_target:/),
      });
    }
    await remove([...reachable, ...unreachable]);
  });

  it("refuses a name that resolves to a private address at delivery, whatever form the address takes", async () => {
    const [endpoint] = [await registerPermissive(`http://hooks.rebind.test:${port}/hooks`)];
    await signUp(t);
    const [delivery] = await deliveriesOf([endpoint!]);
    received.length = 0;
    const answers: string[][] = [
      ...PRIVATE_ADDRESSES.map(({ address }) => [address]),
      ["93.184.216.34", "127.0.0.1"], // one private answer among public ones is enough
      ["2606:4700:4700::1111", "::ffff:7f00:1"],
    ];
    for (const answer of answers) {
      const resolve: ResolveHost = async () =>
        answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
      await expect(
        deliverWebhook(t.app.db.prisma, delivery!.id, { allowPrivateTargets: false, resolve }),
        answer.join(),
      ).rejects.toBeInstanceOf(WebhookDeliveryError);
    }
    expect(received).toHaveLength(0);
    const after = await t.app.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } });
    expect(after).toMatchObject({
      status: "pending",
      attempts: answers.length,
      lastError: expect.stringMatching(/^private_target:/),
    });
    await remove([endpoint!]);
  });

  it("connects to the address it resolved and checked, never to a second answer (DNS rebinding)", async () => {
    const endpoint = await registerPermissive(`http://hooks.rebind.test:${port}/hooks`);
    await signUp(t);
    const [delivery] = await deliveriesOf([endpoint]);
    // The first answer is the receiver; a second lookup would get 127.0.0.2, where nothing listens.
    let lookups = 0;
    const resolve: ResolveHost = async () => [{ address: lookups++ === 0 ? "127.0.0.1" : "127.0.0.2", family: 4 }];
    received.length = 0;
    await deliverWebhook(t.app.db.prisma, delivery!.id, { allowPrivateTargets: true, resolve });
    expect(lookups).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.host).toBe(`hooks.rebind.test:${port}`);
    expect((await t.app.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).status).toBe(
      "delivered",
    );
    await remove([endpoint]);
  });
});

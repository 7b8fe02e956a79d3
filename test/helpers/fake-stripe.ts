import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeStripeRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  idempotencyKey: string | undefined;
}

/**
 * A local stand-in for api.stripe.com, enough for the SDK's PaymentIntent and Refund calls. The SDK
 * is pointed at it with its host/port/protocol options; nothing leaves the machine. Like Stripe, it
 * answers a repeated Idempotency-Key with the first response.
 */
export async function startFakeStripe() {
  const requests: FakeStripeRequest[] = [];
  const byKey = new Map<string, string>();
  /** PaymentIntents by id, as created; tests move their status (what the customer did at Stripe). */
  const intents = new Map<string, Record<string, unknown>>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
      requests.push({ method: req.method!, path: req.url!, params, idempotencyKey });
      const cacheKey = idempotencyKey && `${req.url}:${idempotencyKey}`;
      let payload = cacheKey ? byKey.get(cacheKey) : undefined;
      const intentPath = /^\/v1\/payment_intents\/(pi_\w+)(\/cancel)?$/.exec(req.url!);
      if (!payload) {
        if (req.url === "/v1/payment_intents") {
          const id = `pi_${randomUUID().replace(/-/g, "")}`;
          const intent = {
            id,
            object: "payment_intent",
            amount: Number(params.get("amount")),
            currency: params.get("currency"),
            status: params.get("confirm") === "true" ? "processing" : "requires_payment_method",
            client_secret: `${id}_secret_test`,
            metadata: { orderId: params.get("metadata[orderId]"), orderNumber: params.get("metadata[orderNumber]") },
          };
          intents.set(id, intent);
          payload = JSON.stringify(intent);
        } else if (intentPath && intents.has(intentPath[1]!)) {
          const intent = intents.get(intentPath[1]!)!;
          if (intentPath[2]) intent.status = "canceled";
          payload = JSON.stringify(intent);
        } else if (req.url === "/v1/refunds") {
          payload = JSON.stringify({
            id: `re_${randomUUID().replace(/-/g, "")}`,
            object: "refund",
            amount: Number(params.get("amount")),
            payment_intent: params.get("payment_intent"),
            status: "pending",
          });
        } else {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: `fake stripe: no ${req.url}` } }));
          return;
        }
        if (cacheKey) byKey.set(cacheKey, payload);
      }
      res.writeHead(200, { "content-type": "application/json", "request-id": `req_${randomUUID()}` });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Moves a PaymentIntent to a status, as if the customer paid (or Stripe cancelled it). */
    setIntentStatus(id: string, status: string) {
      const intent = intents.get(id);
      if (!intent) throw new Error(`fake stripe: no intent ${id}`);
      intent.status = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

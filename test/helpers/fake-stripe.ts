import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeStripeRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  idempotencyKey: string | undefined;
}

/** A connected account id the fake refuses as a transfer destination (as Stripe does an unknown one). */
export const REFUSED_ACCOUNT = "acct_refused";

/**
 * A local stand-in for api.stripe.com, enough for the SDK's PaymentIntent, Refund and (Connect)
 * Transfer calls. The SDK is pointed at it with its host/port/protocol options; nothing leaves the
 * machine. Like Stripe, it answers a repeated Idempotency-Key with the first response.
 */
export async function startFakeStripe() {
  const requests: FakeStripeRequest[] = [];
  const byKey = new Map<string, string>();
  /** PaymentIntents by id, as created; tests move their status (what the customer did at Stripe). */
  const intents = new Map<string, Record<string, unknown>>();
  /** Checkout Sessions by id, as created; tests complete them (what the shopper did on Stripe's page). */
  const sessions = new Map<string, Record<string, unknown>>();
  /** Connect Transfers by id, as created (one per distinct Idempotency-Key). */
  const transfers = new Map<string, Record<string, unknown>>();
  /** Transfer bodies by Idempotency-Key: like Stripe, a key reused with other parameters is refused. */
  const transferBodies = new Map<string, string>();
  /** Set by `loseTransferResponses`: transfers are made (or replayed), but their responses never arrive. */
  let losingTransfers = false;
  /** Set by `holdPaymentIntentCreates`: PaymentIntent creations are received but never processed nor answered. */
  let holdingIntentCreates = false;
  const heldResponses: http.ServerResponse[] = [];
  let onHeld: ((request: FakeStripeRequest) => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const idempotencyKey = req.headers["idempotency-key"] as string | undefined;
      requests.push({ method: req.method!, path: req.url!, params, idempotencyKey });
      if (holdingIntentCreates && req.method === "POST" && req.url === "/v1/payment_intents") {
        // In flight: Stripe has not acted on it (the caller may die waiting; the socket is closed at restore).
        heldResponses.push(res);
        for (const resolve of onHeld) resolve(requests.at(-1)!);
        onHeld = [];
        return;
      }
      const cacheKey = idempotencyKey && `${req.url}:${idempotencyKey}`;
      if (
        req.url === "/v1/transfers" &&
        idempotencyKey &&
        transferBodies.has(idempotencyKey) &&
        transferBodies.get(idempotencyKey) !== body
      ) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: {
              type: "idempotency_error",
              message:
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            },
          }),
        );
        return;
      }
      let payload = cacheKey ? byKey.get(cacheKey) : undefined;
      const intentPath = /^\/v1\/payment_intents\/(pi_\w+)(\/cancel)?$/.exec(req.url!);
      const sessionPath = /^\/v1\/checkout\/sessions\/(cs_\w+)(\/expire)?$/.exec(req.url!);
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
        } else if (req.url === "/v1/checkout/sessions") {
          const id = `cs_test_${randomUUID().replace(/-/g, "")}`;
          const session = {
            id,
            object: "checkout.session",
            mode: params.get("mode"),
            status: "open",
            payment_status: "unpaid",
            payment_intent: null,
            url: `https://checkout.stripe.com/c/pay/${id}`,
            amount_total: Number(params.get("line_items[0][price_data][unit_amount]")),
            currency: params.get("line_items[0][price_data][currency]"),
            success_url: params.get("success_url"),
            cancel_url: params.get("cancel_url"),
            customer_email: params.get("customer_email"),
            client_reference_id: params.get("client_reference_id"),
            metadata: { orderId: params.get("metadata[orderId]"), orderNumber: params.get("metadata[orderNumber]") },
          };
          sessions.set(id, session);
          payload = JSON.stringify(session);
        } else if (sessionPath && sessions.has(sessionPath[1]!)) {
          const session = sessions.get(sessionPath[1]!)!;
          if (sessionPath[2]) session.status = "expired";
          payload = JSON.stringify(session);
        } else if (req.url === "/v1/transfers") {
          const destination = params.get("destination");
          if (destination === REFUSED_ACCOUNT) {
            // An invalid request: Stripe saves no idempotent result for it, so a retry is evaluated afresh.
            res.writeHead(400, { "content-type": "application/json" });
            res.end(
              JSON.stringify({
                error: {
                  type: "invalid_request_error",
                  code: "resource_missing",
                  param: "destination",
                  message: `No such destination: '${destination}'`,
                },
              }),
            );
            return;
          }
          const id = `tr_${randomUUID().replace(/-/g, "")}`;
          const transfer = {
            id,
            object: "transfer",
            amount: Number(params.get("amount")),
            currency: params.get("currency"),
            destination,
            transfer_group: params.get("transfer_group"),
            metadata: { payoutId: params.get("metadata[payoutId]"), vendorId: params.get("metadata[vendorId]") },
          };
          transfers.set(id, transfer);
          payload = JSON.stringify(transfer);
          if (idempotencyKey) transferBodies.set(idempotencyKey, body);
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
      if (losingTransfers && req.url === "/v1/transfers") {
        // Stripe made the transfer (and keeps its idempotent result), but the response is lost on the way back.
        res.destroy();
        return;
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
    sessions,
    transfers,
    /**
     * From now until `restore()`: transfers are made at the fake Stripe, but the connection drops before their
     * responses arrive (the SDK retries a closed connection once by itself, with the same Idempotency-Key).
     */
    loseTransferResponses() {
      losingTransfers = true;
      return { restore: () => void (losingTransfers = false) };
    },
    /**
     * From now until `restore()`: a PaymentIntent creation reaches the fake but is left unanswered, and
     * not made (a caller killed while waiting never learns of it; nor does Stripe hold one). `held()`
     * resolves with the next such request; `restore()` closes the held connections.
     */
    holdPaymentIntentCreates() {
      holdingIntentCreates = true;
      return {
        held: () => new Promise<FakeStripeRequest>((resolve) => onHeld.push(resolve)),
        /** Closes the held connections unanswered and keeps holding (a caller's retries are held and dropped too). */
        drop() {
          for (const res of heldResponses.splice(0)) res.destroy();
        },
        restore() {
          holdingIntentCreates = false;
          for (const res of heldResponses.splice(0)) res.destroy();
        },
      };
    },
    /**
     * Completes a Checkout Session as if the shopper paid on Stripe's page: it gets a succeeded
     * PaymentIntent. Returns the session as `checkout.session.completed` carries it.
     */
    completeSession(id: string) {
      const session = sessions.get(id);
      if (!session) throw new Error(`fake stripe: no session ${id}`);
      const intentId = `pi_${randomUUID().replace(/-/g, "")}`;
      intents.set(intentId, {
        id: intentId,
        object: "payment_intent",
        amount: session.amount_total,
        currency: session.currency,
        status: "succeeded",
        metadata: session.metadata,
      });
      Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: intentId });
      return { ...session };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

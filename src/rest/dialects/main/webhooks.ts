import { WEBHOOK_EVENTS } from "../../../domain/webhooks/catalog.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Webhooks";
const FIELDS = "id url events description active disabledReason createdAt";

export const webhookRoutes = [
  route({
    method: "POST",
    path: "/webhooks",
    summary: "Register a webhook endpoint",
    tag,
    permission: "webhooks:manage",
    description:
      `Events: ${WEBHOOK_EVENTS.join(", ")}. Answers 201 with the endpoint and its \`secret\` (shown once). Deliveries ` +
      "are POSTs of `{ id, type, createdAt, data }`, at least once, retried with exponential backoff and jitter, signed " +
      "per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 keyed with the " +
      "base64 part of the secret over `id.timestamp.body`) and with `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the " +
      "body keyed with the secret as given>` and `X-Webhook-Event`. A 410 answer disables the endpoint. URLs resolving " +
      "to private, loopback or link-local addresses are refused (422) unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.",
    operation: mutationOperation({
      field: "registerWebhook",
      inputType: "RegisterWebhookInput",
      dataField: "registered",
      selection: `secret endpoint { ${FIELDS} }`,
    }),
    body: {
      variable: "input",
      example: { url: "https://example.com/hooks/cartograph", events: ["orders.create", "orders.statusChange"] },
    },
    result: ["registerWebhook", "registered"],
    respond: (payload) => ({
      data: { ...payload.endpoint, secret: payload.secret },
    }),
    responseSchema: (payload) => ({
      type: "object",
      properties: {
        data: {
          ...payload.properties.endpoint,
          properties: {
            ...payload.properties.endpoint.properties,
            secret: { type: "string", description: "Shown once." },
          },
        },
      },
      required: ["data"],
    }),
    status: 201,
  }),
  route({
    method: "GET",
    path: "/webhooks",
    summary: "List registered endpoints",
    tag,
    permission: "webhooks:manage",
    operation: `query { webhookEndpoints { ${FIELDS} } }`,
    result: ["webhookEndpoints"],
  }),
  route({
    method: "DELETE",
    path: "/webhooks/:id",
    summary: "Delete a webhook endpoint",
    tag,
    permission: "webhooks:manage",
    operation: `mutation ($id: ID!) { deleteWebhook(id: $id) { ...ErrorFields ... on DeleteWebhookPayload { deleted { id } } } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["deleteWebhook", "deleted"],
  }),
];

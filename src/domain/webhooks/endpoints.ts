import { z } from "zod";
import { changedBy, recordChange } from "../audit/record.js";
import { NotFoundError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { WEBHOOK_EVENTS } from "./catalog.js";
import { newWebhookSecret } from "./signing.js";
import { assertDeliverableUrl, type TargetPolicy } from "./targets.js";

export const RegisterInput = z.object({
  url: z.string().max(2_000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
  description: z.string().trim().max(500).nullish(),
});

/** Registers an endpoint (its URL checked against `policy`); the answer is the only time its secret is shown. */
export async function registerWebhook(scope: Scope, input: unknown, policy: TargetPolicy) {
  const data = parseInput(RegisterInput, input);
  const url = await assertDeliverableUrl(data.url, policy);
  return scope.prisma.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        storeId: scope.storeId,
        url: url.toString(),
        events: [...new Set(data.events)],
        description: data.description ?? null,
        secret: newWebhookSecret(),
      },
    });
    const { secret: _secret, ...visible } = endpoint;
    await recordChange(tx, {
      ...changedBy(scope),
      event: "webhooks.create",
      entityType: "webhook_endpoint",
      entityId: endpoint.id,
      after: visible,
    });
    return endpoint;
  });
}

export async function deleteWebhook(scope: Scope, id: string) {
  if (!isUuid(id)) throw new NotFoundError("Webhook endpoint", id);
  return scope.prisma.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id, storeId: scope.storeId } });
    if (count === 0) throw new NotFoundError("Webhook endpoint", id);
    await recordChange(tx, {
      ...changedBy(scope),
      event: "webhooks.delete",
      entityType: "webhook_endpoint",
      entityId: id,
    });
    return { id };
  });
}

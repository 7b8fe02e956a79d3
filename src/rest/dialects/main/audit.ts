import { route } from "./route.js";

const tag = "Audit";
const FIELDS = "id actorType actorId event entityType entityId before after requestId createdAt";
const OPERATION = `query ($first: Int, $after: String, $filter: AuditFilter) {
  auditEntries(first: $first, after: $after, filter: $filter) { totalCount edges { node { ${FIELDS} } } }
}`;

export const auditRoutes = [
  route({
    method: "GET",
    path: "/audit",
    summary: "List audit entries",
    tag,
    permission: "audit:read",
    description:
      "Every state-changing operation records actor, event, entity, before/after and request id, in the transaction " +
      "of the change. Newest first; `limit` defaults to 50 (max 100); `page` works as on every list.",
    paginated: true,
    pageSize: 50,
    query: {
      entityType: { type: "string", description: "e.g. order, catalog_entity, inventory_level, price, promotion" },
      entityId: { type: "string", description: "Filter by entity id." },
      event: { type: "string", description: "e.g. orders.statusChange" },
      actorId: { type: "string", description: "Filter by actor (API key id, or a system process)." },
      from: { type: "string", description: "ISO 8601 start date." },
      to: { type: "string", description: "ISO 8601 end date." },
    },
    operation: OPERATION,
    variables: ({ query }) => ({
      filter: {
        entityType: query.entityType,
        entityId: query.entityId,
        event: query.event,
        actorId: query.actorId,
        from: query.from,
        to: query.to,
      },
    }),
    result: ["auditEntries"],
  }),
  route({
    method: "GET",
    path: "/audit/:entityType/:entityId",
    summary: "Audit history for a specific entity",
    tag,
    permission: "audit:read",
    paginated: true,
    pageSize: 50,
    operation: OPERATION,
    variables: ({ params }) => ({ filter: { entityType: params.entityType, entityId: params.entityId } }),
    result: ["auditEntries"],
  }),
];

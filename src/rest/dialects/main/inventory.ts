import { ADJUSTMENT_TYPES } from "../../../domain/inventory/adjustments.js";
import { MAX_CHECKED_ENTITIES } from "../../../domain/inventory/availability.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Inventory";

export const inventoryFragments: Record<string, string> = {
  WarehouseFields: /* GraphQL */ `
    fragment WarehouseFields on Warehouse { id code name address active createdAt }`,
  InventoryLevelFields: /* GraphQL */ `
    fragment InventoryLevelFields on InventoryLevel { entityId variantId warehouseId onHand reserved available }`,
  ReservationFields: /* GraphQL */ `
    fragment ReservationFields on InventoryReservation {
      id entityId variantId warehouseId quantity status orderId cartId reference expiresAt createdAt
    }`,
};

/** `a,b,c` -> ["a", "b", "c"]; an absent parameter is an empty list, which the service refuses (422). */
function idList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
}

export const inventoryRoutes = [
  route({
    method: "POST",
    path: "/inventory/warehouses",
    summary: "Create a warehouse",
    tag,
    permission: "inventory:update",
    description: "409 CONFLICT when the code is taken in this store.",
    operation: mutationOperation({
      field: "createWarehouse",
      inputType: "CreateWarehouseInput",
      dataField: "warehouse",
      selection: "...WarehouseFields",
    }),
    body: {
      variable: "input",
      example: { code: "MAIN", name: "Main warehouse", address: { city: "Lisbon", country: "PT" } },
    },
    result: ["createWarehouse", "warehouse"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/inventory/warehouses",
    summary: "List warehouses",
    tag,
    permission: "inventory:read",
    description: "Ordered by code.",
    paginated: true,
    operation: `query ($first: Int, $after: String) {
      warehouses(first: $first, after: $after) { totalCount edges { node { ...WarehouseFields } } }
    }`,
    result: ["warehouses"],
  }),
  route({
    method: "POST",
    path: "/inventory/adjust",
    summary: "Adjust stock",
    tag,
    permission: "inventory:update",
    description:
      "Changes the on-hand stock of an entity (or one of its variants) in one warehouse, creating the level if it " +
      "does not exist, and writes a ledger entry in the same transaction. `restock` and `return` add `quantity` " +
      "(>= 1); `sale` and `damage` subtract it (>= 1); `correction` SETS onHand to `quantity` (>= 0, an absolute " +
      "count, e.g. after a stocktake; the ledger records the difference). Stock that is reserved cannot be removed: " +
      "a sale, damage or correction that would take onHand below `reserved` (available below zero) is 409 CONFLICT " +
      "with `requested` and `available`. Unknown entity, variant or warehouse: 404; a variant of another entity: 422. " +
      `Types: ${ADJUSTMENT_TYPES.join(", ")}.`,
    operation: mutationOperation({
      field: "adjustInventory",
      inputType: "AdjustInventoryInput",
      dataField: "level",
      selection: "...InventoryLevelFields",
    }),
    body: {
      variable: "input",
      example: {
        entityId: "00000000-0000-4000-8000-000000000001",
        warehouseId: "00000000-0000-4000-8000-000000000002",
        type: "restock",
        quantity: 25,
        reason: "Supplier delivery",
      },
    },
    result: ["adjustInventory", "level"],
  }),
  route({
    method: "GET",
    path: "/inventory/check",
    summary: "Check availability",
    tag,
    description:
      `Stock of up to ${MAX_CHECKED_ENTITIES} entities, totalled across the store's active warehouses, with per-variant ` +
      "totals. Public, so storefronts can show availability: every caller gets onHand, reserved, available and " +
      "`variants`; the per-warehouse breakdown `warehouses` is given to callers with inventory:read and is null " +
      "for everyone else. Entities that do not exist or that the caller may not see (drafts, for the public) are " +
      "left out of `data`. A malformed id is 422.",
    query: {
      entityIds: {
        type: "string",
        required: true,
        description: `Comma-separated entity UUIDs (1 to ${MAX_CHECKED_ENTITIES}).`,
        example: "00000000-0000-4000-8000-000000000001,00000000-0000-4000-8000-000000000003",
      },
    },
    operation: `query ($entityIds: [ID!]!) {
      inventoryCheck(entityIds: $entityIds) {
        entityId onHand reserved available
        warehouses { warehouseId variantId onHand reserved available }
        variants { variantId onHand reserved available }
      }
    }`,
    variables: ({ query }) => ({ entityIds: idList(query.entityIds) }),
    result: ["inventoryCheck"],
  }),
  route({
    method: "POST",
    path: "/inventory/reserve",
    summary: "Reserve stock",
    tag,
    permission: "inventory:update",
    description:
      "Holds `quantity` in one warehouse: the given one, or the active warehouse with the most available stock. " +
      "The check and the increment are one conditional UPDATE, so concurrent reservations never oversell; when " +
      "no warehouse has enough available it is 409 CONFLICT with `requested` and `available` (the best single " +
      "warehouse). `expiresInSeconds` is recorded as `expiresAt`.",
    operation: mutationOperation({
      field: "reserveInventory",
      inputType: "ReserveInventoryInput",
      dataField: "reservation",
      selection: "...ReservationFields",
    }),
    body: {
      variable: "input",
      example: {
        entityId: "00000000-0000-4000-8000-000000000001",
        quantity: 2,
        reference: "cart 42",
        expiresInSeconds: 900,
      },
    },
    result: ["reserveInventory", "reservation"],
    status: 201,
  }),
  route({
    method: "POST",
    path: "/inventory/release",
    summary: "Release a reservation",
    tag,
    permission: "inventory:update",
    description:
      "active -> released: the quantity becomes available again, exactly once. Releasing a reservation that is " +
      "already released or consumed is 409 CONFLICT with `currentStatus` and changes nothing; an unknown id is 404.",
    operation: `mutation ($input: ReleaseInventoryReservationInput!) {
      releaseInventoryReservation(input: $input) {
        ...ErrorFields ... on ReleaseInventoryReservationPayload { reservation { ...ReservationFields } }
      }
    }`,
    body: { variable: "input", example: { reservationId: "00000000-0000-4000-8000-000000000004" } },
    result: ["releaseInventoryReservation", "reservation"],
  }),
];

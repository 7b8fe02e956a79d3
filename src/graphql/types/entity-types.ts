import { builder } from "../builder.js";
import { CatalogEntity } from "./catalog.js";
import { ENTITY_TYPE_NAMES, GENERIC_ENTITY_TYPE_NAME } from "./entity-type-names.js";
import { NodeInterface } from "./node.js";

// One object type per entity `type` the catalog knows, each implementing CatalogEntity with every field
// it has (those defined in catalog.ts and those other modules add), so `... on Product { variants { sku } }`
// works under any CatalogEntity field. The rows are the same catalog_entity rows: Pothos variants of the model.

const DESCRIPTIONS: Record<string, string> = {
  Product: "A physical product (type `product`).",
  DigitalDownload: "A digital product delivered by signed download links (type `digitalDownload`).",
  Service: "A service (type `service`).",
  Bundle: "A bundle of other entities (type `bundle`).",
  [GENERIC_ENTITY_TYPE_NAME]: "An entity of any other `type`.",
};

for (const name of [...Object.values(ENTITY_TYPE_NAMES), GENERIC_ENTITY_TYPE_NAME]) {
  builder.prismaObject("CatalogEntity", {
    variant: name,
    description: DESCRIPTIONS[name],
    interfaces: [NodeInterface, CatalogEntity],
    fields: () => ({}),
  });
}

import { isUuid } from "../../../domain/validation.js";
import { INCLUDE_VARIABLES } from "./fragments.js";
import { INCLUDABLE, includeVariables } from "./include.js";
import { route } from "./route.js";

export const similarRoutes = [
  route({
    method: "GET",
    path: "/catalog/entities/:idOrSlug/similar",
    summary: "Similar products",
    tag: "Catalog",
    description:
      "Active products like this one, most similar first: shared categories weigh 3, shared brands 2, each shared title word 1 " +
      "(ties: newest first); products sharing nothing are left out. `limit` at most 50 (default 10). `localized` follows " +
      "Accept-Language.",
    query: {
      limit: { type: "integer", minimum: 0, maximum: 50, description: "How many (default 10)." },
      include: {
        type: "string",
        description: `Comma-separated relations to embed: ${INCLUDABLE.join(", ")}.`,
        example: "attributes",
      },
    },
    operation: `query (${INCLUDE_VARIABLES}, $id: ID, $slug: String, $first: Int) {
      catalogEntity(id: $id, slug: $slug) { similar(first: $first) { ...EntityFields price { amount currency } } }
    }`,
    variables: ({ params, query }) => ({
      ...includeVariables(query.include),
      ...(isUuid(params.idOrSlug!) ? { id: params.idOrSlug } : { slug: params.idOrSlug }),
      first: query.limit === undefined ? undefined : Number(query.limit),
    }),
    result: ["catalogEntity", "similar"],
    notFound: "Entity",
  }),
];

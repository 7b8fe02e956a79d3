import { mutationOperation } from "../../route.js";
import { INCLUDE_VARIABLES } from "./fragments.js";
import { INCLUDABLE, includeVariables } from "./include.js";
import { route } from "./route.js";

// Seed 004's favorites, under /me like the rest of a shopper's own data.

const tag = "Me";
const SESSION_NOTE = "Needs a customer session (cookie or `Authorization: Bearer <token>`); 401 without one.";

export const favoriteRoutes = [
  route({
    method: "GET",
    path: "/me/favorites",
    summary: "List favorite products",
    tag,
    description:
      `${SESSION_NOTE} The customer's favorite products (active ones), most recently added first, as catalog entities ` +
      "(`localized` in the request's Accept-Language).",
    paginated: true,
    query: {
      include: {
        type: "string",
        description: `Comma-separated relations to embed: ${INCLUDABLE.join(", ")}.`,
        example: "attributes",
      },
    },
    operation: `query (${INCLUDE_VARIABLES}, $first: Int, $after: String) {
      me { favorites(first: $first, after: $after) { totalCount edges { node { ...EntityFields price { amount currency } } } } }
    }`,
    variables: ({ query }) => includeVariables(query.include),
    result: ["me", "favorites"],
  }),
  route({
    method: "POST",
    path: "/me/favorites",
    summary: "Add a product to the favorites",
    tag,
    description:
      `${SESSION_NOTE} Body { entityId }. Idempotent: adding a product already there answers 201 with the same ` +
      "`addedAt`. An unknown or inactive product is 404.",
    operation: mutationOperation({
      field: "addFavorite",
      inputType: "FavoriteInput",
      dataField: "favorite",
      selection: "entityId favorited addedAt",
    }),
    body: { variable: "input", example: { entityId: "<catalog entity id>" } },
    result: ["addFavorite", "favorite"],
    status: 201,
  }),
  route({
    method: "DELETE",
    path: "/me/favorites/:entityId",
    summary: "Remove a product from the favorites",
    tag,
    description: `${SESSION_NOTE} Idempotent: removing a product that is not (or no longer) a favorite answers the same 200.`,
    operation: mutationOperation({
      field: "removeFavorite",
      inputType: "FavoriteInput",
      dataField: "favorite",
      selection: "entityId favorited addedAt",
    }),
    variables: ({ params }) => ({ input: { entityId: params.entityId } }),
    result: ["removeFavorite", "favorite"],
  }),
];

import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "API keys";

/** Not in seed 002 (it creates keys out of band); ours, so merchants can mint scoped keys over HTTP. */
export const apiKeyRoutes = [
  route({
    method: "GET",
    path: "/api-keys",
    summary: "List the store's API keys",
    tag,
    permission: "apiKeys:manage",
    operation: `query { apiKeys { id name kind prefix permissions vendorId createdAt revokedAt } }`,
    result: ["apiKeys"],
  }),
  route({
    method: "POST",
    path: "/api-keys",
    summary: "Create an API key",
    tag,
    permission: "apiKeys:manage",
    description:
      "Answers with the secret once; only its hash is stored. A key cannot grant permissions its creator lacks. " +
      "With `vendorId` it is a vendor key: it acts as that marketplace vendor only (its own catalog, prices and stock), whatever permissions it names.",
    operation: mutationOperation({
      field: "createApiKey",
      inputType: "CreateApiKeyInput",
      dataField: "created",
      selection: "secret apiKey { id name kind prefix permissions vendorId createdAt }",
    }),
    body: { variable: "input", example: { name: "catalog editor", permissions: ["catalog:create", "catalog:update"] } },
    result: ["createApiKey", "created"],
    status: 201,
  }),
  route({
    method: "DELETE",
    path: "/api-keys/:id",
    summary: "Revoke an API key",
    tag,
    permission: "apiKeys:manage",
    operation: `mutation ($id: ID!) { revokeApiKey(id: $id) { id name revokedAt } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["revokeApiKey"],
    notFound: "API key",
  }),
];

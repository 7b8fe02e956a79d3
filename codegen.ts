// GraphQL Code Generator: prints schema.graphql from the Pothos schema (sorted). `npm run schema:print`;
// test/schema.test.ts fails when the committed file is stale.
import type { CodegenConfig } from "@graphql-codegen/cli";
import { printSchema } from "graphql";
import { schema } from "./src/graphql/schema.js";

const config: CodegenConfig = {
  schema: printSchema(schema),
  generates: {
    "schema.graphql": {
      plugins: ["schema-ast"],
      config: { includeDirectives: true, sort: true },
    },
  },
  silent: true,
};

export default config;

import { readFile } from "node:fs/promises";
import { executeCodegen } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import config from "../codegen.js";

describe("schema.graphql", () => {
  it("is the current print of the Pothos schema (run `npm run schema:print`)", async () => {
    const { result, error } = await executeCodegen({ ...config, cwd: process.cwd() });
    expect(error).toBeNull();
    const output = result.find((file) => file.filename.endsWith("schema.graphql"));
    const committed = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
    expect(output?.content.trim(), "schema.graphql is stale: run `npm run schema:print`").toBe(committed.trim());
  });
});

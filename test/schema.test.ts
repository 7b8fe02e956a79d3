import { readFile } from "node:fs/promises";
import { executeCodegen } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import config from "../codegen.js";

describe("codegen output", () => {
  it("schema.graphql and the REST operation types are current (run `npm run schema:print`)", async () => {
    const { result, error } = await executeCodegen({ ...config, cwd: process.cwd() });
    expect(error).toBeNull();
    const expected = Object.keys(config.generates);
    expect(expected).toContain("schema.graphql");
    expect(expected).toContain("src/rest/generated/main.ts");
    for (const filename of expected) {
      const output = result.find((file) => file.filename.endsWith(filename));
      const committed = await readFile(new URL(`../${filename}`, import.meta.url), "utf8").catch(() => "(missing)");
      expect(output?.content.trim(), `${filename} is stale: run \`npm run schema:print\``).toBe(committed.trim());
    }
  });
});

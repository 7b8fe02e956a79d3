import { expect } from "vitest";
import type { TestApp } from "./app.js";

/** Aliased mutations per request: well under the document's token and breadth limits. */
const BATCH = 25;

/**
 * Runs the mutation `field` once per input, as a GraphQL client batching work would: up to BATCH aliased
 * fields in one document (each mutation its own transaction, run in order), selecting `selection` on the
 * field's payload (`<Field>Payload`; nothing but `__typename` when empty, so no answer is read back).
 * Any typed error or GraphQL error fails the calling test. Answers the payloads in input order.
 */
export async function mutateEach<T = any>(
  t: TestApp,
  field: string,
  inputType: string,
  inputs: readonly unknown[],
  selection = "",
  options: { key?: string | null; headers?: Record<string, string>; batch?: number } = {},
): Promise<T[]> {
  const payload = `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;
  const size = options.batch ?? BATCH;
  const answers: T[] = [];
  for (let start = 0; start < inputs.length; start += size) {
    const chunk = inputs.slice(start, start + size);
    const variables = Object.fromEntries(chunk.map((input, i) => [`i${i}`, input]));
    const document = `mutation (${chunk.map((_, i) => `$i${i}: ${inputType}!`).join(", ")}) {
      ${chunk
        .map(
          (_, i) =>
            `m${i}: ${field}(input: $i${i}) { __typename ${selection ? `... on ${payload} { ${selection} }` : ""} ... on Error { code message } }`,
        )
        .join("\n")}
    }`;
    const res = await t.request("POST", "/graphql", {
      body: { query: document, variables },
      key: options.key,
      headers: options.headers,
    });
    expect(res.body.errors?.[0], `${field}: ${JSON.stringify(res.body.errors?.[0])}`).toBeUndefined();
    chunk.forEach((_, i) => {
      const answer = res.body.data[`m${i}`];
      expect(answer.__typename, `${field} #${start + i}: ${JSON.stringify(answer)}`).toBe(payload);
      answers.push(answer);
    });
  }
  return answers;
}

import fc from "fast-check";

/**
 * What an attacker or a fuzzer sends: the hostile values of issue 9 (NUL, numbers beyond 64 bits,
 * unicode that is not valid UTF-8 once encoded, deep nesting, wrong types, sizes past every cap),
 * shared by the REST and GraphQL fuzz tests.
 */

/**
 * One fixed seed and a bounded count, so a failure reproduces and the suite's time stays bounded.
 * FUZZ_SEED / FUZZ_RUNS override them for a longer exploration run (not in `npm test`).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_907);

export function fuzzRuns(defaultRuns: number): number {
  return Number(process.env.FUZZ_RUNS ?? defaultRuns);
}

function nested(depth: number, leaf: unknown = "x"): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  // NUL somewhere in an otherwise ordinary value: PostgreSQL rejects it in text and jsonb.
  {
    arbitrary: fc
      .tuple(fc.constantFrom("", "x", "USD", "a@example.com", "product", "fuzz"), fc.string({ maxLength: 4 }))
      .map(([a, b]) => `${a}\u0000${b}`),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: "binary", maxLength: 24 }), weight: 1 },
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\uD800", // a lone surrogate: not encodable as UTF-8
    "\uDFFF\uD800",
    "💥🧨",
    "\u202Eevil",
    "e\u0301",
    "\uFEFF",
    "'; DROP TABLE customer; --",
    "%00",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "\\",
    "\r\n\t",
    "__proto__",
    "constructor",
    "99999999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "0x10",
    "00000000-0000-0000-0000-000000000000",
    "a".repeat(300),
    "a".repeat(25_000),
    `${"a".repeat(500)}@example.com`,
  ),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    0.5,
    -0.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 64,
    -(2 ** 63),
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A value of any type, including nesting past the depth limit (10,000 deep is in the bad-input tests) and large objects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(nested(40), nested(33, 1), { "a\u0000": 1 }, { big: "x".repeat(17_000) }, [[[[[]]]]], {}),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A query-string or path-segment value. */
export const hostileParam: fc.Arbitrary<string> = fc.oneof(
  hostileString.filter((s) => s.length < 2000),
  fc.constantFrom(
    "0",
    "1",
    "2",
    "100",
    "101",
    "1.5",
    "-5",
    "9007199254740993",
    "340282366920938463463374607431768211456",
    "true",
    "[]",
  ),
);

/** `kind` of a value as the schema expects it, most of the time; something hostile otherwise. */
export function mostly<T>(
  typed: fc.Arbitrary<T>,
  hostile: fc.Arbitrary<unknown> = hostileValue,
): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: typed, weight: 3 }, { arbitrary: hostile, weight: 1 });
}

import { describe, expect, it } from "vitest";
import {
  alternativesQuery,
  compactCode,
  prefixQuery,
  quoteLexeme,
  searchTokens,
} from "../../src/domain/search/tsquery.js";

describe("search query text", () => {
  it("splits into lower-cased words of letters and digits, in any script", () => {
    expect(searchTokens("Größe 42, Wander-Stiefel! 東京")).toEqual(["größe", "42", "wander", "stiefel", "東京"]);
    expect(searchTokens("'; DROP TABLE x; --")).toEqual(["drop", "table", "x"]);
    expect(searchTokens("\\' :* & | ! <-> ( )")).toEqual([]);
    expect(searchTokens("a b c d e f g h i j", 3)).toEqual(["a", "b", "c"]);
  });

  it("quotes lexemes by the tsquery rules", () => {
    expect(quoteLexeme("o'neil")).toBe("'o''neil'");
    expect(quoteLexeme("a\\b")).toBe("'a\\\\b'");
    expect(prefixQuery(["wan", "sch"], "A")).toBe("'wan':*A & 'sch':*A");
    expect(prefixQuery([])).toBeNull();
    expect(alternativesQuery([["waterproof"], [], ["tent", "tents"]])).toBe("'waterproof' & ('tent' | 'tents')");
    expect(alternativesQuery([[], []])).toBeNull();
  });

  it("compacts one code-like word the way SKUs are indexed", () => {
    expect(compactCode("TSH-RED-M")).toBe("'tshredm'");
    expect(compactCode(" sku_42 ")).toBe("'sku42'");
    expect(compactCode("boots")).toBeNull();
    expect(compactCode("tb 42")).toBeNull();
    expect(compactCode("--")).toBeNull();
  });
});

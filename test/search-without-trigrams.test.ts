import { PGlite } from "@electric-sql/pglite";
import type { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, describe, expect, it } from "vitest";
import { planSearch, searchPage } from "../src/domain/search/search.js";
import { suggest } from "../src/domain/search/suggest.js";
import { PrismaClient } from "../src/generated/prisma/client.js";
import { applyMigrations } from "../src/infra/migrations.js";
import type { SqlRunner } from "../src/infra/sql.js";
import { testDatabaseUrl } from "./helpers/database.js";

// pg_trgm is database-wide on PostgreSQL, so its absence can only be tried on an embedded database
// created without the extension.
// No app is built on that database: its rows are written with its own client, the search is the domain's.
describe.skipIf(testDatabaseUrl())("search on a database without pg_trgm", () => {
  let lite: PGlite | undefined;
  let prisma: PrismaClient | undefined;
  afterAll(async () => {
    await prisma?.$disconnect();
    await lite?.close();
  });

  // A second embedded database boots in this worker: give it time on a loaded machine.
  it("migrates, keeps the index current and searches, without typo correction", { timeout: 120_000 }, async () => {
    lite = await PGlite.create();
    const sql: SqlRunner = {
      query: async (text, params) => (await lite!.query(text, params)).rows as never,
      exec: async (text) => void (await lite!.exec(text)),
      transaction: (fn) =>
        lite!.transaction((tx) =>
          fn({
            query: async (text, params) => (await tx.query(text, params)).rows as never,
            exec: async (text) => void (await tx.exec(text)),
          }),
        ),
    };
    await applyMigrations(sql);
    expect(await sql.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual([]);

    prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) as unknown as PrismaPg });
    const store = await prisma.store.create({ data: { slug: "plain", name: "Plain" } });
    const entity = await prisma.catalogEntity.create({
      data: {
        storeId: store.id,
        type: "product",
        slug: "boots",
        status: "active",
        attributes: { create: { locale: "en", title: "Trail Boots" } },
      },
    });
    const visibility = { storeId: store.id, seeUnpublished: false };

    const exact = await planSearch(prisma, visibility, { query: "boots" });
    expect(exact.mode).toBe("exact");
    expect(await searchPage(prisma, exact, { skip: 0, take: 10 })).toEqual([
      { id: entity.id, score: expect.any(Number) },
    ]);
    expect((await planSearch(prisma, visibility, { query: "boo" })).mode).toBe("prefix");

    const typo = await planSearch(prisma, visibility, { query: "bouts" });
    expect(typo).toMatchObject({ mode: "none", correctedQuery: null });
    expect(await searchPage(prisma, typo, { skip: 0, take: 10 })).toEqual([]);

    expect(await suggest(prisma, visibility, { prefix: "tra" })).toEqual([
      { text: "Trail Boots", locale: "en", entityId: entity.id, slug: "boots", type: "product" },
    ]);
  });
});

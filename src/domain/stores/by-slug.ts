import type { Db } from "../../infra/db.js";

/** The id of the store with this slug (seeds 000 and 001 address a store by slug), or null. */
export async function storeIdBySlug(prisma: Db, slug: string): Promise<string | null> {
  if (slug.length === 0 || slug.length > 120 || slug.includes("\u0000")) return null;
  const store = await prisma.store.findUnique({ where: { slug }, select: { id: true } });
  return store?.id ?? null;
}

import type { Prisma } from "../../generated/prisma/client.js";
import { type Actor, vendorOf } from "../auth/actor.js";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import type { Scope } from "../scope.js";

/**
 * The vendor rule, in one place. A vendor actor (a vendor key, or vendor staff signed in; `vendorOf`)
 * holds at most the catalog, pricing and inventory permissions (auth/actor.ts `can`), and with them
 * reaches only what belongs to its vendor: catalog entities with its vendorId, and through them their
 * variants, option types, prices, stock levels and media links. Store-wide things (categories, brands,
 * warehouses, store-wide price modifiers, the media library, reservations) stay the merchant's.
 * A merchant (an actor with no vendor) reaches every vendor's rows of its store.
 */
export { vendorOf };

/** `where` of the catalog entities an actor may see and change beyond the public catalog: a vendor its own. */
export function ownEntityWhere(actor: Actor): Prisma.CatalogEntityWhereInput {
  const vendorId = vendorOf(actor);
  return vendorId ? { vendorId } : {};
}

/** Whether a row owned through an entity of `vendorId` is the actor's to reach. */
export function ownsVendorRow(actor: Actor, vendorId: string | null): boolean {
  const own = vendorOf(actor);
  return !own || own === vendorId;
}

/** Refuses vendor actors on store-wide resources, whatever permissions they hold. */
export function assertNotVendor(actor: Actor, what: string): void {
  if (vendorOf(actor)) throw new ForbiddenError(`A vendor cannot change ${what}: it belongs to the whole store.`);
}

/**
 * The vendor a new catalog entity belongs to. A vendor actor's creations are its own, always (whatever
 * vendorId it sends), and only while its vendor is approved; a merchant may name any vendor of the store,
 * or none (the platform's own).
 */
export async function vendorForNewEntity(
  scope: Scope,
  requested: string | null | undefined,
  db: Pick<Scope["prisma"], "vendor"> = scope.prisma,
): Promise<string | null> {
  const own = vendorOf(scope.actor);
  if (own) {
    const vendor = await db.vendor.findFirst({ where: { id: own, storeId: scope.storeId }, select: { status: true } });
    if (vendor?.status !== "approved") {
      throw new ConflictError(
        `Vendor is ${vendor?.status ?? "unknown"}: only an approved vendor can add products.`,
        "vendor",
      );
    }
    return own;
  }
  if (!requested) return null;
  const vendor = await db.vendor.findFirst({ where: { id: requested, storeId: scope.storeId }, select: { id: true } });
  if (!vendor) throw ValidationError.field("vendorId", "not_found", "No vendor with this id in this store.");
  return vendor.id;
}

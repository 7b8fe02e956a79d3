import type { Db } from "../../infra/db.js";
import type { PaymentProvider } from "./provider.js";

/**
 * The payment providers this server can take payments with, by name: `manual` always, `stripe` when
 * STRIPE_SECRET_KEY is set. A store chooses one in its settings (`paymentProvider`); checkout uses that
 * one, or `manual` when the store chose a provider this server is not configured for, so a store never
 * ends up unable to take orders.
 */
export class PaymentProviders {
  private readonly byName: ReadonlyMap<string, PaymentProvider>;

  constructor(
    /** The manual provider: the fallback. */
    readonly manual: PaymentProvider,
    others: readonly PaymentProvider[] = [],
  ) {
    this.byName = new Map([manual, ...others].map((provider) => [provider.name, provider]));
  }

  /** The provider configured under this name, if any. */
  get(name: string): PaymentProvider | undefined {
    return this.byName.get(name);
  }

  /** The provider a store's setting selects: the named one when configured here, else manual. */
  select(setting: string): PaymentProvider {
    return this.byName.get(setting) ?? this.manual;
  }

  /** The provider checkout uses for a store now (one read of its setting). */
  async forStore(prisma: Pick<Db, "store">, storeId: string): Promise<PaymentProvider> {
    const store = await prisma.store.findUnique({ where: { id: storeId }, select: { paymentProvider: true } });
    return this.select(store?.paymentProvider ?? this.manual.name);
  }
}

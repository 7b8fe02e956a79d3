import DataLoader from "dataloader";
import type { GraphQLContext } from "./context.js";

const perRequest = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

/**
 * One DataLoader per request and name: keys asked for during one tick of one request are batched into
 * one call. For what Prisma's selection planning cannot plan (computed values such as resolved prices).
 */
export function loaderFor<K, V>(
  ctx: GraphQLContext,
  name: string,
  batch: (keys: readonly K[]) => Promise<(V | Error)[]>,
  cacheKey?: (key: K) => string,
): DataLoader<K, V> {
  let loaders = perRequest.get(ctx);
  if (!loaders) perRequest.set(ctx, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<K, V, string> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V, string>(batch, cacheKey ? { cacheKeyFn: cacheKey } : {});
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader as unknown as DataLoader<K, V>;
}

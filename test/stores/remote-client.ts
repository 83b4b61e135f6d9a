// The client side of remote-server.ts: a `Stores` whose every call is one POST to `url` (through `fetcher`, e.g. a
// Miniflare Worker's fetch).
import { bundleStores } from "../../proxy/stores/bundle.ts";
import type { KeyValueStore, RateLimiterStore, Stores } from "../../proxy/stores/types.ts";
import type { StoreCall } from "./remote-server.ts";

export async function remoteStores(url: string, fetcher: typeof fetch = fetch): Promise<Stores> {
  const { engine } = (await (await fetcher(url)).json()) as { engine: string };
  const call = async (kind: StoreCall["kind"], method: string, args: unknown[]) => {
    const response = await fetcher(url, { method: "POST", body: JSON.stringify({ kind, method, args }) });
    const answer = (await response.json()) as { result?: unknown; error?: string };
    if (answer.error !== undefined) throw new Error(`${kind}.${method}: ${answer.error}`);
    return answer.result;
  };
  const keyValue = (kind: StoreCall["kind"]): KeyValueStore => ({
    get: (key) => call(kind, "get", [key]) as never,
    set: async (key, value, ttlMs) => void (await call(kind, "set", [key, value, ttlMs])),
    delete: async (key) => void (await call(kind, "delete", [key])),
    putIfAbsent: (key, value, ttlMs) => call(kind, "putIfAbsent", [key, value, ttlMs]) as never,
    compareAndSet: (key, expected, value, ttlMs) =>
      call(kind, "compareAndSet", [key, expected, value, ttlMs]) as Promise<boolean>,
  });
  const buckets: RateLimiterStore = {
    reserve: (...args) => call("buckets", "reserve", args) as never,
    setRate: async (...args) => void (await call("buckets", "setRate", args)),
    drain: async (...args) => void (await call("buckets", "drain", args)),
    want: async (...args) => void (await call("buckets", "want", args)),
    reserveFor: (...args) => call("buckets", "reserveFor", args) as never,
  };
  return bundleStores(engine, keyValue, buckets);
}

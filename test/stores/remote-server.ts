// Serves a `Stores` over HTTP for tests whose engine lives in another runtime (Deno KV in a deno process, Durable
// Objects in workerd): POST {kind, method, args} → {result} or {error}. Web standards only.
import type { Stores } from "../../proxy/stores/types.ts";

export interface StoreCall {
  kind: "previews" | "answers" | "idempotency" | "quotes" | "tokens" | "buckets";
  method: string;
  args: unknown[];
}

export function serveStores(stores: Stores): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method === "GET") return Response.json({ engine: stores.engine });
    try {
      const { kind, method, args } = (await request.json()) as StoreCall;
      const store = stores[kind] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const call = store[method];
      if (typeof call !== "function") return Response.json({ error: `no ${kind}.${method}` }, { status: 400 });
      const result = await call.apply(store, args);
      return Response.json(result === undefined ? {} : { result });
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  };
}

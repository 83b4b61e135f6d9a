// Builds a `Stores` from an engine's key-value factory: one store per kind, each kind its own key space.
import type { KeyValueStore, RateLimiterStore, Stores } from "./types.ts";

export const KEY_VALUE_KINDS = ["previews", "answers", "idempotency", "quotes", "tokens"] as const;
export type KeyValueKind = (typeof KEY_VALUE_KINDS)[number];

export function bundleStores(
  engine: string,
  keyValue: (kind: KeyValueKind) => KeyValueStore,
  buckets: RateLimiterStore,
): Stores {
  return {
    engine,
    previews: keyValue("previews"),
    answers: keyValue("answers"),
    idempotency: keyValue("idempotency"),
    quotes: keyValue("quotes"),
    tokens: keyValue("tokens"),
    buckets,
  };
}

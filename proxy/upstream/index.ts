// Builds the configured upstream: today SP-API 2020-07-01 (siblings for 2026-07-04 and MWS can plug in here).
import type { Config } from "../config/index.ts";
import type { Clock } from "../resilience/index.ts";
import { createTokenProvider, type TokenProvider } from "./lwa.ts";
import { createSpApi20200701 } from "./sp-api-2020-07-01.ts";
import type { FulfillmentUpstream } from "./types.ts";

export interface UpstreamDeps {
  fetch?: typeof fetch;
  clock?: Clock;
  onToken?: (accessToken: string) => void;
}

export function createUpstream(
  config: Config,
  deps: UpstreamDeps = {},
): {
  upstream: FulfillmentUpstream;
  tokens: TokenProvider;
} {
  const tokens = createTokenProvider({
    credentials: config.lwa,
    tokenUrl: config.upstream.tokenUrl,
    timeoutMs: config.upstream.timeoutMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.onToken ? { onToken: deps.onToken } : {}),
  });
  const upstream = createSpApi20200701({
    baseUrl: config.upstream.baseUrl,
    tokens,
    timeoutMs: config.upstream.timeoutMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  return { upstream, tokens };
}

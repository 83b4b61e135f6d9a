// Builds the merchant's Amazon dialect from the configuration: SP-API 2020-07-01 (default), SP-API 2026-07-04, or
// legacy MWS 2010-10-01 signed with Signature Version 2 (MCF_AMAZON_API).
import type { Config } from "../config/index.ts";
import type { FulfillmentDialect, UpstreamError } from "../fulfillment/model.ts";
import type { Clock } from "../shared/clock.ts";
import type { KeyValueStore } from "../stores/types.ts";
import { createTokenProvider } from "./lwa.ts";
import { createMws20101001 } from "./mws-2010-10-01/index.ts";
import { createSpApi20200701 } from "./sp-api-2020-07-01/index.ts";
import { createSpApi20260704 } from "./sp-api-2026-07-04/index.ts";

export interface DialectDeps {
  fetch?: typeof fetch;
  clock?: Clock;
  /** Where LWA tokens live. */
  tokens?: KeyValueStore;
  merchant?: string;
  /** Told about every secret learned at run time (access tokens), so logs can redact it. */
  onSecret?: (secret: string) => void;
  /** LWA refused the merchant's credentials (invalid_grant: the seller's token is revoked); may replace the error. */
  onCredentialsRejected?: (code: string) => UpstreamError | undefined | Promise<UpstreamError | undefined>;
}

export function createDialect(config: Config, deps: DialectDeps = {}): FulfillmentDialect {
  const fetchDep = deps.fetch ? { fetch: deps.fetch } : {};
  if (config.amazonApi === "mws-2010-10-01" && config.mws) {
    return createMws20101001({
      baseUrl: config.upstream.baseUrl,
      ...config.mws,
      ...fetchDep,
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
  }
  const tokens = createTokenProvider({
    credentials: config.lwa,
    tokenUrl: config.upstream.tokenUrl,
    timeoutMs: config.upstream.timeoutMs,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.tokens ? { store: deps.tokens } : {}),
    ...(deps.merchant ? { merchant: deps.merchant } : {}),
    ...(deps.onSecret ? { onToken: deps.onSecret } : {}),
    ...(deps.onCredentialsRejected ? { onRejected: deps.onCredentialsRejected } : {}),
  });
  const spApi = { baseUrl: config.upstream.baseUrl, tokens, ...fetchDep };
  return config.amazonApi === "2026-07-04" ? createSpApi20260704(spApi) : createSpApi20200701(spApi);
}

// `npm run bench:flash-sale`: a flash sale against a sandbox that enforces Amazon's usage plan
// (getFulfillmentPreview 2 req/s, burst 30). A fixed, seeded workload — Poisson arrivals at 40 previews/s for 60 s,
// carts and postal codes drawn from Zipf distributions — is sent at the same moments to this proxy and to a naive
// pass-through (no cache, no throttling), each in front of its own sandbox (each gets one seller's full quota).
// Upstream calls and 429s are counted by wrapping the fetch each contender uses to reach Amazon.
// Env: FLASH_SALE_SECONDS (default 60), FLASH_SALE_RATE (40/s), FLASH_SALE_SEED (2026),
//      FLASH_SALE_CARTS (6, ≤ 12), FLASH_SALE_POSTAL_CODES (12), FLASH_SALE_ZIPF (1.2).
// Ends with one JSON line: {"proxy": {successRate, p95Ms, upstreamCalls, upstream429, …}, "naive": {…}}.
import { createSandbox, DEV_CREDENTIALS } from "../sandbox/index.ts";
import { proxyEnv } from "./lib/env.ts";
import {
  CARTS,
  FALLBACK_RATES,
  POSTAL_CODES,
  RATE,
  replay,
  SECONDS,
  SEED,
  summarize,
  workload,
  ZIPF_S,
} from "./lib/flash-sale-workload.ts";
import { createNaiveProxy } from "./lib/naive-proxy.ts";
import { countingFetch, serveFetch, startBenchProxy, type UpstreamCounts } from "./lib/servers.ts";
import { machine } from "./lib/stats.ts";

const arrivals = workload();
const distinct = new Set(arrivals.map((a) => a.body)).size;
console.log(
  `Flash sale: ${arrivals.length} previews over ${SECONDS} s (~${RATE}/s Poisson, seed ${SEED}); ` +
    `${CARTS.length} carts × ${POSTAL_CODES.length} postal codes, Zipf s=${ZIPF_S} → ${distinct} distinct requests. ` +
    `Amazon's budget: 30 + 2/s × ${SECONDS} s = ${30 + 2 * SECONDS} previews.`,
);
console.log(`Machine: ${machine()}`);

/** Resilience events the proxy logs (local rejections by reason, Amazon's 429s, circuit changes). */
const proxyEvents: Record<string, number> = {};
const proxyCounts: UpstreamCounts = { previewCalls: 0, preview429: 0, calls: 0 };
const naiveCounts: UpstreamCounts = { previewCalls: 0, preview429: 0, calls: 0 };
const proxySandbox = await serveFetch(createSandbox().fetch);
const naiveSandbox = await serveFetch(createSandbox().fetch);
const proxy = await startBenchProxy(
  proxyEnv(proxySandbox.url, DEV_CREDENTIALS, { MCF_FALLBACK_RATES: JSON.stringify(FALLBACK_RATES) }),
  {
    fetch: countingFetch(proxyCounts),
    logger: {
      log: (_level, message, fields) => {
        if (!message.startsWith("upstream ")) return;
        const key = `${message}${fields?.reason ? ` (${fields.reason})` : ""}`;
        proxyEvents[key] = (proxyEvents[key] ?? 0) + 1;
      },
    },
  },
);
const naive = await serveFetch(
  createNaiveProxy(proxyEnv(naiveSandbox.url, DEV_CREDENTIALS), countingFetch(naiveCounts)).fetch,
);

try {
  const startAt = Date.now() + 500;
  const [proxyOutcomes, naiveOutcomes] = await Promise.all([
    replay([proxy], arrivals, startAt),
    replay([naive], arrivals, startAt),
  ]);
  console.log(`Proxy resilience events: ${JSON.stringify(proxyEvents)}`);
  const result = {
    proxy: summarize("proxy", proxyOutcomes, proxyCounts),
    naive: summarize("naive", naiveOutcomes, naiveCounts),
  };
  const met =
    result.proxy.upstream429 === 0 && result.proxy.successRate >= 0.99 && result.proxy.p95Ms <= 1500
      ? "met"
      : "NOT met";
  console.log(`Targets (zero upstream 429s, ≥ 99% options from live/cache/stale, p95 ≤ 1.5 s): ${met}`);
  console.log(JSON.stringify(result));
} finally {
  await Promise.all([proxy.close(), naive.close()]);
  await Promise.all([proxySandbox.close(), naiveSandbox.close()]);
}

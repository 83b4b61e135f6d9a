// `npm run bench:memory` (node --expose-gc): a long stream of previews for ever-new carts through the whole proxy
// app (in-process, upstream answered by a stub so only the proxy's own memory is measured). The preview cache is
// LRU-bounded, so the heap must level off once the cache is full instead of growing with the number of carts.
// Prints heap samples after forced GC, then one JSON line.
import { createApp } from "../proxy/app.ts";
import { parseConfig } from "../proxy/config/index.ts";
import { RATE_PLANS_2020_07_01 } from "../proxy/dialects/sp-api-2020-07-01/index.ts";
import type { FulfillmentDialect, PreviewRequest } from "../proxy/fulfillment/model.ts";
import { deliveryOptionsBody, proxyEnv } from "./lib/env.ts";
import { silentLogger } from "./lib/servers.ts";
import { machine, round } from "./lib/stats.ts";

const REQUESTS = Number(process.env.MEMORY_REQUESTS ?? 200_000);
const SAMPLES = 10;
const CACHE_MAX_ENTRIES = Number(process.env.MEMORY_CACHE_MAX_ENTRIES ?? 5_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:memory)");

const notCalled = () => Promise.reject(new Error("not used by this benchmark"));
/** A dialect answering every preview at once, like Amazon would for a fulfillable cart. */
const stub: FulfillmentDialect = {
  name: "stub",
  ratePlans: RATE_PLANS_2020_07_01,
  async preview(request: PreviewRequest) {
    const day = 86_400_000;
    const iso = (offset: number) => new Date(Date.now() + offset * day).toISOString();
    return {
      data: {
        previews: (["Standard", "Expedited", "Priority"] as const).map((speed, index) => ({
          speed,
          fulfillable: true,
          cashOnDelivery: false,
          fees: [{ name: "FBAPerUnitFulfillmentFee", amount: { amount: `${4 + index}.99`, currency: "USD" } }],
          shipments: [
            {
              ship: { earliest: iso(1), latest: iso(1) },
              arrival: { earliest: iso(5 - index * 2), latest: iso(6 - index * 2) },
              items: request.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
            },
          ],
          reasons: [],
          unfulfillable: [],
        })),
      },
      meta: { status: 200, amznRequestId: crypto.randomUUID() },
    };
  },
  createOrder: notCalled,
  releaseHold: notCalled,
  getOrder: notCalled,
  cancelOrder: notCalled,
  getTracking: notCalled,
  checkHealth: async () => ({ status: "ok" }),
};

const config = parseConfig(
  proxyEnv(
    "http://127.0.0.1:9",
    { clientId: "x", clientSecret: "x", refreshToken: "x" },
    {
      MCF_CACHE_MAX_ENTRIES: String(CACHE_MAX_ENTRIES),
      MCF_CACHE_TTL_SECONDS: "3600",
    },
  ),
);
// The stub is not Amazon: lift the 2 req/s plan so the run measures memory, not throttling.
config.resilience.ratePlans = { preview: { ratePerSecond: 1e9, burst: 1e9 } };
const app = createApp(config, { dialect: stub, logger: silentLogger });

const heapMiB = () => {
  gc();
  return round(process.memoryUsage().heapUsed / 2 ** 20, 1);
};

console.log(`Memory: ${REQUESTS} previews, every cart distinct, cache bounded at ${CACHE_MAX_ENTRIES} entries`);
console.log(`Machine: ${machine()}`);
const samples: { requests: number; heapMiB: number }[] = [{ requests: 0, heapMiB: heapMiB() }];
console.log(`  ${"requests".padStart(9)}  heap (MiB, after GC)`);
console.log(`  ${"0".padStart(9)}  ${samples[0]!.heapMiB}`);
const started = performance.now();
let failures = 0;
for (let i = 1; i <= REQUESTS; i++) {
  const body = deliveryOptionsBody(
    [
      { sku: `BENCH-${i}`, quantity: 1 + (i % 5) },
      { sku: "MUG-CERAMIC-BLUE", quantity: 1 },
    ],
    String(10_000 + (i % 89_999)).padStart(5, "0"),
  );
  const response = await app.request("/v1/delivery-options", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  if (response.status !== 200) failures++;
  await response.arrayBuffer();
  if (i % (REQUESTS / SAMPLES) === 0) {
    samples.push({ requests: i, heapMiB: heapMiB() });
    console.log(`  ${String(i).padStart(9)}  ${samples.at(-1)!.heapMiB}`);
  }
}
const seconds = (performance.now() - started) / 1000;
// Bounded: once the cache is full, the second half of the run peaks no higher than the first half (+10% for GC
// timing), while the number of distinct carts seen keeps growing linearly.
const afterFull = samples.filter((sample) => sample.requests >= CACHE_MAX_ENTRIES * 2);
const half = Math.floor(afterFull.length / 2);
const firstHalfPeak = Math.max(...afterFull.slice(0, half).map((s) => s.heapMiB));
const secondHalfPeak = Math.max(...afterFull.slice(half).map((s) => s.heapMiB));
const bounded = secondHalfPeak <= firstHalfPeak * 1.1;
const peakMiB = Math.max(...samples.map((s) => s.heapMiB));
console.log(
  `${REQUESTS} requests in ${round(seconds, 1)} s, ${failures} failures; after the cache filled the heap stayed within ` +
    `${Math.min(...afterFull.map((s) => s.heapMiB))}–${Math.max(...afterFull.map((s) => s.heapMiB))} MiB ` +
    `(peak of the first half ${firstHalfPeak}, of the second ${secondHalfPeak}): ${bounded ? "bounded" : "GROWING"}`,
);
console.log(
  JSON.stringify({
    requests: REQUESTS,
    failures,
    cacheMaxEntries: CACHE_MAX_ENTRIES,
    heapMiB: samples.map((s) => s.heapMiB),
    peakHeapMiB: peakMiB,
    bounded,
  }),
);

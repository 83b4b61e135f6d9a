// `npm run bench:overhead`: what the proxy adds to a preview, and how fast its cached path is.
// 1. Latency: the same preview sent alternately straight to the sandbox (POST …/fulfillmentOrders/preview with an
//    LWA token) and through the proxy (POST /v1/delivery-options, cache disabled so every call goes upstream),
//    one request at a time. Overhead = proxy percentile − direct percentile (validation, throttle, mapping,
//    pricing, quote signing and the extra loopback hop).
// 2. Throughput: the proxy's cached path (the same cart again and again) against a bare node:http server
//    answering the proxy's own response body, each alone in a worker thread, loaded by keep-alive loops.
// The sandbox's throttling is off and the proxy's plan is lifted here: this measures cost, not quota.
// Env: OVERHEAD_SAMPLES (default 1000), OVERHEAD_SECONDS (interleaved 1 s throughput slices per server, default 7),
//      OVERHEAD_CONNECTIONS (default 32). Ends with one JSON line {p50OverheadMs, p99OverheadMs, cachedThroughputRatio}.
import http from "node:http";
import type { DeliveryOptionsRequest } from "../proxy/contract/v1.ts";
import { toWirePreviewRequest } from "../proxy/dialects/sp-api-2020-07-01/wire.ts";
import { previewRequest } from "../proxy/previews/answer.ts";
import { createSandbox, DEV_CREDENTIALS } from "../sandbox/index.ts";
import { deliveryOptionsBody, proxyEnv } from "./lib/env.ts";
import { request, throughput } from "./lib/load.ts";
import { serveFetch, startBenchProxy, startInWorker } from "./lib/servers.ts";
import { machine, percentile, round } from "./lib/stats.ts";

const SAMPLES = Number(process.env.OVERHEAD_SAMPLES ?? 1000);
const SECONDS = Number(process.env.OVERHEAD_SECONDS ?? 7);
const CONNECTIONS = Number(process.env.OVERHEAD_CONNECTIONS ?? 32);
const WARMUP = 100;

const cart = [
  { sku: "MUG-CERAMIC-BLUE", quantity: 2 },
  { sku: "TEE-ORGANIC-M", quantity: 1 },
];
const body = deliveryOptionsBody(cart, "98101");

console.log(`Overhead: ${SAMPLES} previews each way (after ${WARMUP} warm-up), then ${SECONDS} s of cached-path load`);
console.log(`Machine: ${machine()}`);

const sandbox = await serveFetch(createSandbox({ throttle: false }).fetch);
const env = proxyEnv(sandbox.url, DEV_CREDENTIALS);
try {
  // --- 1. Latency, live path -------------------------------------------------------------------------------
  const proxy = await startBenchProxy(
    { ...env, MCF_CACHE_MAX_ENTRIES: "0" },
    {
      tweak: (config) => {
        config.resilience.ratePlans = { preview: { ratePerSecond: 1e6, burst: 1e6 } };
      },
    },
  );
  const token = await fetch(`${sandbox.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: DEV_CREDENTIALS.refreshToken,
      client_id: DEV_CREDENTIALS.clientId,
      client_secret: DEV_CREDENTIALS.clientSecret,
    }),
  }).then((response) => response.json() as Promise<{ access_token: string }>);
  // Exactly the Amazon request the proxy sends for this body: the v1 body → the model → the 2020-07-01 wire shape.
  const amazonBody = JSON.stringify(
    toWirePreviewRequest(previewRequest(JSON.parse(body) as DeliveryOptionsRequest, env.MCF_MARKETPLACE_ID!, "USD")),
  );
  const direct = {
    url: `${sandbox.url}/fba/outbound/2020-07-01/fulfillmentOrders/preview`,
    body: amazonBody,
    headers: { "x-amz-access-token": token.access_token },
  };
  const viaProxy = { url: `${proxy.url}/v1/delivery-options`, body };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const directMs: number[] = [];
  const proxyMs: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    // Alternate which goes first so neither benefits from a warmer cache line or socket.
    const order = i % 2 === 0 ? [direct, viaProxy] : [viaProxy, direct];
    for (const target of order) {
      const answer = await request(agent, target);
      if (answer.status !== 200) throw new Error(`${target.url} answered ${answer.status}: ${answer.body}`);
      if (target === viaProxy && (JSON.parse(answer.body) as { source: string }).source !== "live") {
        throw new Error("the latency run must go upstream every time");
      }
      if (i >= WARMUP) (target === direct ? directMs : proxyMs).push(answer.ms);
    }
  }
  agent.destroy();
  await proxy.close();
  const p50OverheadMs = round(percentile(proxyMs, 50) - percentile(directMs, 50));
  const p99OverheadMs = round(percentile(proxyMs, 99) - percentile(directMs, 99));
  console.log(
    `  direct to sandbox  p50 ${round(percentile(directMs, 50))} ms, p99 ${round(percentile(directMs, 99))} ms`,
  );
  console.log(
    `  through the proxy  p50 ${round(percentile(proxyMs, 50))} ms, p99 ${round(percentile(proxyMs, 99))} ms`,
  );
  console.log(`  overhead           p50 ${p50OverheadMs} ms, p99 ${p99OverheadMs} ms (target p50 ≤ 1 ms)`);

  // --- 2. Throughput, cached path --------------------------------------------------------------------------
  const cachedProxy = await startInWorker({ kind: "proxy", env: { ...env, MCF_CACHE_TTL_SECONDS: "3600" } });
  const warm = await request(new http.Agent(), { url: `${cachedProxy.url}/v1/delivery-options`, body });
  const cached = await request(new http.Agent(), { url: `${cachedProxy.url}/v1/delivery-options`, body });
  if ((JSON.parse(cached.body) as { source: string }).source !== "cache")
    throw new Error("the cached path did not hit");
  const bare = await startInWorker({ kind: "bare", body: warm.body });
  const hono = await startInWorker({ kind: "hono", body: warm.body });
  // Interleaved one-second slices, median per server: a noisy neighbour slows all three alike.
  const slice = { connections: CONNECTIONS, durationMs: 1000, warmupMs: 200 };
  const servers = { bare, hono, proxy: cachedProxy };
  const rates: Record<keyof typeof servers, number[]> = { bare: [], hono: [], proxy: [] };
  let errors = 0;
  for (let round = 0; round < SECONDS; round++) {
    for (const name of Object.keys(servers) as (keyof typeof servers)[]) {
      const run = await throughput({ url: `${servers[name].url}/v1/delivery-options`, body }, slice);
      rates[name].push(run.requestsPerSecond);
      errors += run.errors;
    }
  }
  await Promise.all([bare.close(), hono.close(), cachedProxy.close()]);
  const bareRun = { requestsPerSecond: percentile(rates.bare, 50) };
  const honoRun = { requestsPerSecond: percentile(rates.hono, 50) };
  const proxyRun = { requestsPerSecond: percentile(rates.proxy, 50) };
  const cachedThroughputRatio = round(proxyRun.requestsPerSecond / bareRun.requestsPerSecond);
  console.log(
    `  bare node:http     ${Math.round(bareRun.requestsPerSecond)} req/s, ${warm.body.length}-byte JSON (medians of ${SECONDS} interleaved 1 s slices, ${errors} errors)`,
  );
  console.log(
    `  Hono, fixed JSON   ${Math.round(honoRun.requestsPerSecond)} req/s: the framework floor, ` +
      `${round(honoRun.requestsPerSecond / bareRun.requestsPerSecond)} of bare`,
  );
  console.log(`  proxy, cached      ${Math.round(proxyRun.requestsPerSecond)} req/s`);
  console.log(`  ratio              ${cachedThroughputRatio} (target ≥ 0.5), ${CONNECTIONS} keep-alive connections`);
  const met = p50OverheadMs <= 1 && cachedThroughputRatio >= 0.5 ? "met" : "NOT met";
  console.log(`Targets (overhead p50 ≤ 1 ms, cached throughput ≥ 50% of bare node:http): ${met}`);
  console.log(JSON.stringify({ p50OverheadMs, p99OverheadMs, cachedThroughputRatio }));
} finally {
  await sandbox.close();
}

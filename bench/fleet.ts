// `npm run bench:fleet`: the flash-sale workload (bench/lib/flash-sale-workload.ts) sent round robin to a fleet of 4
// proxy processes (the Node entry) in front of one sandbox enforcing Amazon's usage plan, twice: with in-memory stores
// (each process has its own bucket and cache) and with one shared Redis (MCF_STORE); then to as many isolates of the
// Worker bundle in workerd on one Durable Object namespace. The sandbox counts the preview calls and 429s that reach
// it. After each sale, the cached path's latency is sampled on one proxy.
// Env: FLEET_SIZE (default 4), FLEET_CACHED_SAMPLES (300), FLEET_WORKERD (0 skips the workerd run), and the
// FLASH_SALE_* of the workload.
// Ends with one JSON line: {"memory": {upstream429, successRate, upstreamCalls, cachedP50Ms, …}, "redis": {…},
// "durableObjects": {…}}.
import http from "node:http";
import { createSandbox, DEV_CREDENTIALS } from "../sandbox/index.ts";
import { startRedis } from "../test/helpers/redis-server.ts";
import { buildTemporaryWorker, type RunningProxy, startRuntime } from "../test/runtimes/harness.ts";
import { startWorkers } from "../test/stores/miniflare.ts";
import { proxyEnv } from "./lib/env.ts";
import {
  type Arrival,
  CARTS,
  FALLBACK_RATES,
  POSTAL_CODES,
  type PreviewCounts,
  RATE,
  type ReplayTarget,
  replay,
  SECONDS,
  SEED,
  summarize,
  workload,
} from "./lib/flash-sale-workload.ts";
import { request } from "./lib/load.ts";
import { serveFetch } from "./lib/servers.ts";
import { machine, percentile, round } from "./lib/stats.ts";

const FLEET_SIZE = Number(process.env.FLEET_SIZE ?? 4);
const CACHED_SAMPLES = Number(process.env.FLEET_CACHED_SAMPLES ?? 300);
/** FLEET_MEMORY=0 skips the in-memory control run (quicker iterations on the shared store). */
const MEMORY_RUN = process.env.FLEET_MEMORY !== "0";

/** The most frequent request of the sale: certainly cached once the sale is over. */
function mostFrequent(arrivals: Arrival[]): string {
  const counts = new Map<string, number>();
  for (const { body } of arrivals) counts.set(body, (counts.get(body) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/** p50 of sequential cached previews on one proxy (one at a time: latency, not throughput). */
/** One GET or POST through the keep-alive agent, to one fleet member. */
const ask = (agent: http.Agent, target: ReplayTarget, path: string, body?: string) =>
  request(agent, {
    url: `${target.url}${path}`,
    ...(body !== undefined ? { body } : {}),
    ...(target.host ? { headers: { host: target.host } } : {}),
  });

/** p50 of sequential cached previews on one proxy (one at a time: latency, not throughput). */
async function cachedP50(target: ReplayTarget, body: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  for (let sample = 0; sample < CACHED_SAMPLES + 20; sample++) {
    const answer = await ask(agent, target, "/v1/delivery-options", body);
    if (answer.status !== 200) throw new Error(`cached preview answered ${answer.status}: ${answer.body}`);
    if (sample >= 20) latencies.push(answer.ms); // the first ones warm the connection and the JIT
  }
  agent.destroy();
  return round(percentile(latencies, 50), 3);
}

interface PreviewCall {
  /** The (cart, postal code) the call is for. */
  key: string;
  startedAt: number;
  endedAt: number;
  status: number;
}

/** The sandbox over HTTP, recording every preview call it answers (which cart and ZIP, when, with what status). */
async function startRecordingSandbox() {
  const sandbox = createSandbox();
  const calls: PreviewCall[] = [];
  const server = await serveFetch(async (incoming) => {
    const startedAt = Date.now();
    const isPreview =
      incoming.method === "POST" && new URL(incoming.url).pathname.endsWith("/fulfillmentOrders/preview");
    const body = isPreview ? await incoming.clone().text() : "";
    const response = await sandbox.fetch(incoming);
    if (isPreview) calls.push({ key: previewCallKey(body), startedAt, endedAt: Date.now(), status: response.status });
    return response;
  });
  return { url: server.url, calls, close: server.close };
}

function previewCallKey(body: string): string {
  const wire = JSON.parse(body) as {
    items?: { sellerSku?: string; quantity?: number }[];
    address?: { postalCode?: string };
  };
  const items = (wire.items ?? []).map((item) => `${item.sellerSku}×${item.quantity}`).join("+");
  return `${items}@${wire.address?.postalCode}`;
}

/**
 * Where the upstream calls went, per (cart, ZIP): the first answered call of each, a call that overlapped or closely
 * followed another one for the same pair (the fleet fetched it twice), and a later one (a background refresh).
 */
function classifyCalls(calls: PreviewCall[], startAt: number) {
  const kinds = { first: 0, duplicate: 0, refresh: 0, throttled: 0, coldStart: 0 };
  const lastEnd = new Map<string, number>();
  for (const call of [...calls].sort((a, b) => a.startedAt - b.startedAt)) {
    if (call.startedAt - startAt < 20_000) kinds.coldStart++;
    if (call.status === 429) {
      kinds.throttled++;
      continue;
    }
    const previous = lastEnd.get(call.key);
    if (previous === undefined) kinds.first++;
    else if (call.startedAt < previous + 1_000) kinds.duplicate++;
    else kinds.refresh++;
    lastEnd.set(call.key, Math.max(previous ?? 0, call.endedAt));
  }
  return kinds;
}

/** The proxies' "upstream rejected" log lines, counted by reason and stage. */
function rejections(outputs: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const output of outputs) {
    for (const line of output.split("\n")) {
      if (!line.includes('"upstream rejected"')) continue;
      try {
        // workerd's lines may come with a prefix before the JSON.
        const { reason, stage } = JSON.parse(line.slice(line.indexOf("{"))) as { reason?: string; stage?: string };
        const name = `${reason}${stage ? `/${stage}` : ""}`;
        counts[name] = (counts[name] ?? 0) + 1;
      } catch {}
    }
  }
  return counts;
}

interface RunningFleet {
  targets: ReplayTarget[];
  /** What each proxy printed so far (workerd: all isolates in one). */
  outputs(): string[];
  close(): Promise<void>;
}

/** FLEET_SIZE Node entry processes with `env`. */
async function nodeFleet(env: Record<string, string>): Promise<RunningFleet> {
  const fleet: RunningProxy[] = [];
  const close = () => Promise.all(fleet.map((proxy) => proxy.close())).then(() => {});
  try {
    for (let instance = 0; instance < FLEET_SIZE; instance++) fleet.push(await startRuntime("node", env));
  } catch (error) {
    await close();
    throw error;
  }
  return { targets: fleet.map((proxy) => ({ url: proxy.url })), outputs: () => fleet.map((p) => p.output()), close };
}

/** FLEET_SIZE isolates of the Worker bundle in workerd, on one Durable Object namespace. */
async function workerdFleet(env: Record<string, string>): Promise<RunningFleet> {
  const build = await buildTemporaryWorker();
  try {
    const workers = await startWorkers(build.bundlePath, { bindings: env, workers: FLEET_SIZE });
    return {
      targets: workers.hosts.map((host) => ({ url: workers.url, host })),
      outputs: () => [workers.output()],
      close: async () => {
        await workers.close();
        await build.remove();
      },
    };
  } catch (error) {
    await build.remove();
    throw error;
  }
}

async function runFleet(
  name: string,
  arrivals: Arrival[],
  launch: (env: Record<string, string>) => Promise<RunningFleet>,
  extraEnv: Record<string, string> = {},
) {
  const sandbox = await startRecordingSandbox();
  const env = proxyEnv(sandbox.url, DEV_CREDENTIALS, {
    MCF_FALLBACK_RATES: JSON.stringify(FALLBACK_RATES),
    MCF_INSTANCES: String(FLEET_SIZE),
    ...extraEnv,
  });
  let fleet: RunningFleet | undefined;
  try {
    fleet = await launch(env);
    const first = fleet.targets[0]!;
    const agent = new http.Agent({ keepAlive: false });
    const health = JSON.parse((await ask(agent, first, "/v1/health")).body) as { store?: unknown };
    const store = typeof health.store === "string" ? health.store : JSON.stringify(health.store);
    console.log(`${name}: ${FLEET_SIZE} proxies up; /v1/health says store ${store}`);
    const wanted = extraEnv.MCF_STORE?.split(":")[0]?.replace(/s$/, "");
    if (wanted && !store.includes(wanted)) console.warn(`${name}: the proxies ignored MCF_STORE=${extraEnv.MCF_STORE}`);
    const startAt = Date.now() + 500;
    const outcomes = await replay(fleet.targets, arrivals, startAt);
    const counts: PreviewCounts = {
      previewCalls: sandbox.calls.length,
      preview429: sandbox.calls.filter((call) => call.status === 429).length,
    };
    const summary = summarize(name, outcomes, counts);
    const calls = classifyCalls(sandbox.calls, startAt);
    const rejected = rejections(fleet.outputs());
    console.log(`       upstream calls by kind ${JSON.stringify(calls)}; rejections ${JSON.stringify(rejected)}`);
    const cachedP50Ms = await cachedP50(first, mostFrequent(arrivals));
    console.log(`       cached path p50 ${cachedP50Ms} ms (${CACHED_SAMPLES} sequential requests, one proxy)`);
    return { ...summary, calls, rejected, cachedP50Ms, store };
  } finally {
    await fleet?.close();
    await sandbox.close();
  }
}

const arrivals = workload();
console.log(
  `Fleet: ${arrivals.length} previews over ${SECONDS} s (~${RATE}/s Poisson, seed ${SEED}), round robin to ` +
    `${FLEET_SIZE} Node proxies; ${CARTS.length} carts × ${POSTAL_CODES.length} postal codes. ` +
    `Amazon's budget: 30 + 2/s × ${SECONDS} s = ${30 + 2 * SECONDS} previews for the whole fleet.`,
);
console.log(`Machine: ${machine()}`);

// Explicitly memory: the Node entry's default keeps idempotency records in an embedded SQLite file.
const memory = MEMORY_RUN ? await runFleet("memory", arrivals, nodeFleet, { MCF_STORE: "memory" }) : undefined;
const redis = await startRedis();
let shared: Awaited<ReturnType<typeof runFleet>>;
try {
  shared = await runFleet("redis", arrivals, nodeFleet, { MCF_STORE: redis.url });
} finally {
  await redis.close();
}
// Workers: every isolate's state in Durable Objects (set FLEET_WORKERD=0 to skip).
const durableObjects =
  process.env.FLEET_WORKERD === "0" ? undefined : await runFleet("workerd", arrivals, workerdFleet);
const result = { ...(memory ? { memory } : {}), redis: shared, ...(durableObjects ? { durableObjects } : {}) };
const met = shared.upstream429 === 0 && shared.successRate >= 0.99 && shared.cachedP50Ms <= 1.5 ? "met" : "NOT met";
console.log(`Targets with the shared store (zero upstream 429s, ≥ 99% live/cache/stale, cached p50 ≤ 1.5 ms): ${met}`);
console.log(JSON.stringify(result));

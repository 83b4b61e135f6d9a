// `npm run bench:faults`: orders told the truth under Amazon faults (issue 17). 1,000 logical orders go through the
// proxy (the Node entry, real HTTP, on one fixed port) to an in-process sandbox, through rotating fault phases, each a
// sandbox fault plan with a `count` so it wears off: create 5xx, 429 storms, hangs and latency beyond the proxy's
// timeout (Amazon completes the create after the proxy gave up), malformed bodies, read-back failures, latency. The
// proxy is closed (open connections cut) and started again on the same port in the middle of one phase; its
// Idempotency-Key records live in the embedded SQLite store (MCF_STORE=sqlite:…, the CLI default), everything else
// in its memory is lost. Resilience timeouts are shortened (`resilience` dep) to keep the run within minutes.
//
// The client, per logical order (one shopper's order: one quote and one body, told apart by displayableOrderId and
// the ship-to name): fetch a quote from POST /v1/delivery-options, then POST /v1/orders with the secret key and an
// Idempotency-Key. Every 5th order is a double submit (two concurrent copies, same key); every 7th a double submit
// under two different keys (a second tab). Each copy retries with its own key and the same body while the answer is
// not definite: a 5xx (503 outcome-unknown and every other 5xx), 429, 409 idempotency-key-in-use, or no answer (a
// cut connection, a refused one during the restart, a client timeout); retry-after is honoured up to 1 s. A definite
// answer is 201 (told success) or any other 4xx (told failure: "this order was not and will not be created").
//
// Counted at the end from the sandbox's order book (every Amazon order of the seller), per logical order:
//   orders                 logical orders run
//   duplicates             logical orders with more than one Amazon order
//   lost                   logical orders told success with an orderId under which Amazon has no order of theirs,
//                          although Amazon has one (the client holds an id that leads nowhere or to another order)
//   toldFailureButExists   logical orders of which some copy got a definite 4xx while Amazon has an order for them
//   toldSuccessButMissing  logical orders told success for which Amazon has no order at all
//   p99Ms                  p99 over logical orders of the time from the first POST /v1/orders to the last copy's
//                          definite answer, retries included
// Target for every count: 0. Logical orders that never got a definite answer within the client's budget (180 s per
// copy) are "unresolved" in the line before the last, with the phase tallies and request counts.
// Env: none (the proxy's environment is built here; whatever MCF_*/LWA_* the shell has is not read).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type NodeProxy, startNodeProxy } from "../proxy/entries/node.ts";
import { everyOperation, type RatePlan } from "../proxy/fulfillment/model.ts";
import { DEV_CREDENTIALS, type FaultPlan, USAGE_PLANS } from "../sandbox/index.ts";
import { startSandbox } from "../test/helpers/sandbox-server.ts";
import { proxyEnv } from "./lib/env.ts";
import { silentLogger } from "./lib/servers.ts";
import { machine, percentile, round, seededRandom } from "./lib/stats.ts";

const ORDERS_PER_BLOCK = 50;
const CONCURRENCY = 16;
const SKU = "BENCH-FAULTS-MUG";
const SECRET = "sk_bench_0123456789abcdef0123456789";
/** The proxy's attempt timeouts, shortened; a "latency beyond the timeout" fault outlasts CREATE_TIMEOUT_MS. */
const CREATE_TIMEOUT_MS = 800;
const READ_TIMEOUT_MS = 400;
/**
 * The client waits long enough to hear the proxy's answer to a key whose in-flight marker outlived a crashed process
 * (it polls for about 40 s, then answers 409 idempotency-key-in-use), and retries past the marker's 120 s lifetime.
 */
const CLIENT_TIMEOUT_MS = 45_000;
const COPY_BUDGET_MS = 180_000;

const WIDE: RatePlan = { ratePerSecond: 1_000, burst: 1_000 };
const RATE_PLANS = everyOperation(WIDE);

const PHASES: { name: string; plan: FaultPlan }[] = [
  { name: "calm", plan: {} },
  { name: "create 5xx", plan: { createFulfillmentOrder: { errorRate: 0.4, unavailableRate: 0.3, count: 60 } } },
  {
    name: "429 storm",
    plan: {
      createFulfillmentOrder: { throttleRate: 0.9, count: 90 },
      getFulfillmentOrder: { throttleRate: 0.6, count: 30 },
    },
  },
  { name: "create hangs", plan: { createFulfillmentOrder: { hangRate: 0.4, count: 12 } } },
  {
    name: "create completes after the timeout",
    plan: { createFulfillmentOrder: { latencyMs: CREATE_TIMEOUT_MS + 500, count: 12 } },
  },
  {
    name: "malformed bodies",
    plan: {
      createFulfillmentOrder: { malformedRate: 0.5, count: 25 },
      getFulfillmentOrder: { malformedRate: 0.5, count: 25 },
      getFulfillmentPreview: { malformedRate: 0.3, count: 10 },
    },
  },
  {
    name: "read-back failures",
    plan: {
      createFulfillmentOrder: { latencyMs: CREATE_TIMEOUT_MS + 500, count: 8 },
      getFulfillmentOrder: { errorRate: 0.7, unavailableRate: 0.3, count: 40 },
    },
  },
  { name: "latency", plan: { "*": { latencyMs: 40, jitterMs: 160, count: 300 } } },
  {
    name: "mixed",
    plan: {
      createFulfillmentOrder: { errorRate: 0.2, throttleRate: 0.2, hangRate: 0.05, malformedRate: 0.1, count: 40 },
      getFulfillmentOrder: { errorRate: 0.3, malformedRate: 0.2, count: 30 },
    },
  },
  { name: "restart", plan: { createFulfillmentOrder: { latencyMs: 150, jitterMs: 300, count: 50 } } },
];
/** Two rounds of the rotation: 20 blocks of 50 orders. */
const BLOCKS = [...PHASES, ...PHASES];
const RESTART_BLOCK = PHASES.findIndex((phase) => phase.name === "restart");

type Definite = { kind: "success"; orderId: string } | { kind: "failure"; status: number; type: string };

interface Copy {
  outcome: Definite | { kind: "unresolved"; last: string };
  attempts: number;
}

interface Logical {
  index: number;
  phase: string;
  displayableOrderId: string;
  copies: Copy[];
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sandbox = await startSandbox({
  // Amazon's usage plans are not what this bench is about (bench:flash-sale is): a wide plan, which the proxy also
  // learns from x-amzn-RateLimit-Limit, so only the injected 429s throttle.
  throttle: Object.fromEntries(Object.keys(USAGE_PLANS).map((operation) => [operation, { rate: 1_000, burst: 1_000 }])),
  random: seededRandom(2026),
  catalog: { products: [{ sku: SKU, name: "Faults bench mug", stock: { US: 1_000_000 } }] },
});
const stateDir = mkdtempSync(path.join(tmpdir(), "mcf-bench-faults-"));
const env = proxyEnv(sandbox.url, DEV_CREDENTIALS, {
  MCF_SECRET_KEY: SECRET,
  MCF_STORE: `sqlite:${path.join(stateDir, "state.sqlite")}`,
});
const startProxy = (port: number) =>
  startNodeProxy(env, {
    hostname: "127.0.0.1",
    port,
    logger: silentLogger,
    resilience: {
      ratePlans: RATE_PLANS,
      policies: {
        createOrder: { timeoutMs: CREATE_TIMEOUT_MS, maxRetries: 2, maxWaitMs: 5_000 },
        getOrder: { timeoutMs: READ_TIMEOUT_MS, maxRetries: 1, maxWaitMs: 2_000 },
      },
      backoff: { baseMs: 20, maxMs: 200 },
      breaker: { openMs: 500 },
    },
  });

let proxy: NodeProxy = await startProxy(0);
const PORT = proxy.port;
const base = `http://127.0.0.1:${PORT}`;
const requests = { previews: 0, orders: 0, retries: 0, noAnswer: 0, byStatus: {} as Record<string, number> };
/** Answers to POST /v1/orders per phase, as "status problem-type". */
const answersByPhase: Record<string, Record<string, number>> = {};

async function post(route: string, body: unknown, headers: Record<string, string>) {
  try {
    const response = await fetch(`${base}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    let json: { [key: string]: unknown } = {};
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, json, retryAfter: Number(response.headers.get("retry-after") ?? 0) };
  } catch (error) {
    return { status: 0, json: { error: String(error) }, retryAfter: 0 };
  }
}

/** A quote for one shopper; retried until the proxy gives one (previews are faulted too in some phases). */
async function quoteFor(name: string): Promise<string> {
  const body = { items: [{ sku: SKU, quantity: 1 }], address: { countryCode: "US", postalCode: "98101", name } };
  for (let attempt = 0; ; attempt++) {
    requests.previews++;
    const answer = await post("/v1/delivery-options", body, {});
    const options = answer.json.options as { speed: string; quote?: string }[] | undefined;
    const quote = options?.find((option) => option.speed === "Standard")?.quote;
    if (answer.status === 200 && quote) return quote;
    if (attempt > 100) throw new Error(`no quote: ${answer.status} ${JSON.stringify(answer.json)}`);
    await sleep(50);
  }
}

/** One copy of an order: the same key and body until a definite answer or the budget is spent. */
async function submit(body: unknown, key: string, phase: string): Promise<Copy> {
  const started = Date.now();
  let last = "";
  for (let attempts = 1; ; attempts++) {
    requests.orders++;
    const answer = await post("/v1/orders", body, { authorization: `Bearer ${SECRET}`, "idempotency-key": key });
    const type =
      String(answer.json.type ?? "")
        .split("/")
        .at(-1) ?? "";
    const label = answer.status === 0 ? "no answer" : `${answer.status}${type ? ` ${type}` : ""}`;
    requests.byStatus[label] = (requests.byStatus[label] ?? 0) + 1;
    const tally = answersByPhase[phase] ?? {};
    tally[label] = (tally[label] ?? 0) + 1;
    answersByPhase[phase] = tally;
    if (answer.status === 201) return { outcome: { kind: "success", orderId: String(answer.json.orderId) }, attempts };
    const retry =
      answer.status === 0 ||
      answer.status >= 500 ||
      answer.status === 429 ||
      (answer.status === 409 && type === "idempotency-key-in-use");
    if (!retry) return { outcome: { kind: "failure", status: answer.status, type }, attempts };
    if (answer.status === 0) requests.noAnswer++;
    last = `${label} ${JSON.stringify(answer.json).slice(0, 200)}`;
    if (Date.now() - started > COPY_BUDGET_MS) return { outcome: { kind: "unresolved", last }, attempts };
    requests.retries++;
    await sleep(Math.min(1_000, Math.max(50, answer.retryAfter * 1_000)) * (0.5 + Math.random()));
  }
}

async function runOrder(index: number, phase: string): Promise<Logical> {
  const displayableOrderId = `FB${String(index).padStart(5, "0")}`;
  const name = `Shopper ${index}`;
  const quote = await quoteFor(name);
  const body = {
    quote,
    displayableOrderId,
    items: [{ sku: SKU, quantity: 1 }],
    address: { name, line1: "1 Pike St", city: "Seattle", stateOrRegion: "WA", postalCode: "98101", countryCode: "US" },
  };
  const key = `faults-${index}`;
  const started = Date.now();
  const copies =
    index % 5 === 0
      ? await Promise.all([submit(body, key, phase), submit(body, key, phase)])
      : index % 7 === 0
        ? await Promise.all([submit(body, key, phase), submit(body, `${key}-other-tab`, phase)])
        : [await submit(body, key, phase)];
  return { index, phase, displayableOrderId, copies, ms: Date.now() - started };
}

async function setFaults(plan: FaultPlan) {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(plan),
  });
  if (response.status !== 200) throw new Error(`fault plan refused: ${await response.text()}`);
}

async function restart() {
  await proxy.close();
  await sleep(300);
  proxy = await startProxy(PORT);
}

const started = Date.now();
const results: Logical[] = [];
let restarted = false;
for (const [blockIndex, phase] of BLOCKS.entries()) {
  await setFaults(phase.plan);
  const first = blockIndex * ORDERS_PER_BLOCK;
  let next = first;
  const restartAt = !restarted && blockIndex === RESTART_BLOCK ? first + ORDERS_PER_BLOCK / 2 : -1;
  const worker = async () => {
    while (next < first + ORDERS_PER_BLOCK) {
      const index = next++;
      if (index === restartAt) {
        restarted = true;
        // Others are mid-request: their connections are cut; this one waits for the new process.
        await sleep(100);
        await restart();
      }
      results.push(await runOrder(index, phase.name));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(`${phase.name}: ${ORDERS_PER_BLOCK} orders done at ${round((Date.now() - started) / 1000, 1)} s`);
}
await setFaults({});

// Count from Amazon's (the sandbox's) order book.
const book = sandbox.app.sandbox.orders.all(DEV_CREDENTIALS.sellerId);
const byDisplayable = new Map<string, string[]>();
for (const order of book) {
  const ids = byDisplayable.get(order.displayableOrderId) ?? [];
  ids.push(order.sellerFulfillmentOrderId);
  byDisplayable.set(order.displayableOrderId, ids);
}
let duplicates = 0;
let lost = 0;
let toldFailureButExists = 0;
let toldSuccessButMissing = 0;
let unresolved = 0;
const examples: string[] = [];
for (const order of results) {
  const amazon = byDisplayable.get(order.displayableOrderId) ?? [];
  const successes = order.copies.flatMap((copy) => (copy.outcome.kind === "success" ? [copy.outcome.orderId] : []));
  const failures = order.copies.flatMap((copy) => (copy.outcome.kind === "failure" ? [copy.outcome] : []));
  const note = (what: string) => {
    if (examples.length < 10)
      examples.push(
        `${what}: ${order.displayableOrderId} (${order.phase}) ${JSON.stringify(order.copies)} amazon=${JSON.stringify(amazon)}`,
      );
  };
  if (amazon.length > 1) {
    duplicates++;
    note("duplicate");
  }
  if (successes.length > 0 && amazon.length === 0) {
    toldSuccessButMissing++;
    note("told success but missing");
  } else if (successes.some((id) => !amazon.includes(id))) {
    lost++;
    note("lost");
  }
  if (failures.length > 0 && amazon.length > 0) {
    toldFailureButExists++;
    note("told failure but exists");
  }
  if (order.copies.some((copy) => copy.outcome.kind === "unresolved")) {
    unresolved++;
    note("unresolved");
  }
}
const ours = new Set(results.map((order) => order.displayableOrderId));
const strays = book.filter((order) => !ours.has(order.displayableOrderId)).length;
await proxy.close();
await sandbox.close();
rmSync(stateDir, { recursive: true, force: true });

for (const example of examples) console.log(example);
for (const [phase, tally] of Object.entries(answersByPhase)) console.log(`${phase}: ${JSON.stringify(tally)}`);
console.log(
  JSON.stringify({
    machine: machine(),
    seconds: round((Date.now() - started) / 1000, 1),
    restarted,
    amazonOrders: book.length,
    strays,
    unresolved,
    toldFailure: results.filter((order) => order.copies.some((copy) => copy.outcome.kind === "failure")).length,
    requests,
    // What the restart costs: keys whose in-flight marker outlived the cut process wait for it to expire.
    over30s: results.filter((order) => order.ms > 30_000).length,
    p99MsOutsideRestartBlock: percentile(
      results.filter((order) => order.phase !== "restart").map((order) => order.ms),
      99,
    ),
    p50Ms: percentile(
      results.map((order) => order.ms),
      50,
    ),
  }),
);
console.log(
  JSON.stringify({
    orders: results.length,
    duplicates,
    lost,
    toldFailureButExists,
    toldSuccessButMissing,
    p99Ms: percentile(
      results.map((order) => order.ms),
      99,
    ),
  }),
);

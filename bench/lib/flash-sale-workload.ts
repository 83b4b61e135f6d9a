// The flash-sale workload, shared by bench/flash-sale.ts (one proxy) and bench/fleet.ts (a fleet): Poisson arrivals,
// Zipf-drawn carts and postal codes from a fixed seed, replayed open loop, and the summary both print.
// Env: FLASH_SALE_SECONDS (default 60), FLASH_SALE_RATE (40/s), FLASH_SALE_SEED (2026),
//      FLASH_SALE_CARTS (6, ≤ 12), FLASH_SALE_POSTAL_CODES (12), FLASH_SALE_ZIPF (1.2).
import http from "node:http";
import { deliveryOptionsBody } from "./env.ts";
import { request } from "./load.ts";
import { percentile, round, seededRandom, zipf } from "./stats.ts";

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
export const SECONDS = number("FLASH_SALE_SECONDS", 60);
export const RATE = number("FLASH_SALE_RATE", 40);
export const SEED = number("FLASH_SALE_SEED", 2026);
export const ZIPF_S = number("FLASH_SALE_ZIPF", 1.2);

// The sale item is the kettle; most carts hold it, alone or with an add-on. Most popular first.
const SALE = "KETTLE-STEEL-1L";
const ALL_CARTS = [
  [{ sku: SALE, quantity: 1 }],
  [{ sku: SALE, quantity: 2 }],
  [
    { sku: SALE, quantity: 1 },
    { sku: "MUG-CERAMIC-BLUE", quantity: 2 },
  ],
  [
    { sku: SALE, quantity: 1 },
    { sku: "TEE-ORGANIC-M", quantity: 1 },
  ],
  [{ sku: SALE, quantity: 3 }],
  [
    { sku: SALE, quantity: 1 },
    { sku: "DESK-LAMP-LED", quantity: 1 },
  ],
  [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
  [
    { sku: SALE, quantity: 2 },
    { sku: "MUG-CERAMIC-BLUE", quantity: 4 },
  ],
  [{ sku: "TEE-ORGANIC-M", quantity: 2 }],
  [
    { sku: SALE, quantity: 1 },
    { sku: "MUG-CERAMIC-BLUE", quantity: 1 },
    { sku: "TEE-ORGANIC-M", quantity: 1 },
  ],
  [{ sku: "DESK-LAMP-LED", quantity: 1 }],
  [{ sku: SALE, quantity: 4 }],
];
export const CARTS = ALL_CARTS.slice(0, Math.min(ALL_CARTS.length, number("FLASH_SALE_CARTS", 6)));
// Postal codes of big metro areas first (where most shoppers live), then a deterministic spread.
const METROS = [
  "10001",
  "90012",
  "60601",
  "77002",
  "85004",
  "19103",
  "78205",
  "92101",
  "75201",
  "95113",
  "98101",
  "02108",
];
export const POSTAL_CODES = Array.from({ length: number("FLASH_SALE_POSTAL_CODES", 12) }, (_, i) =>
  i < METROS.length ? METROS[i]! : String(10_000 + ((i * 7919) % 89_999)),
);
export const FALLBACK_RATES = [
  { speed: "Standard", amount: "6.99", currency: "USD", shipDays: 1, arrivalDays: 5, countries: ["US"] },
  { speed: "Expedited", amount: "12.99", currency: "USD", shipDays: 1, arrivalDays: 3, countries: ["US"] },
];

export interface Arrival {
  atMs: number;
  body: string;
}

/** The workload: Poisson arrivals at RATE/s, Zipf-drawn cart and postal code, identical for both contenders. */
export function workload(): Arrival[] {
  const random = seededRandom(SEED);
  const cart = zipf(CARTS.length, ZIPF_S, random);
  const postalCode = zipf(POSTAL_CODES.length, ZIPF_S, random);
  const arrivals: Arrival[] = [];
  for (let at = 0; ; ) {
    at += (-Math.log(1 - random()) / RATE) * 1000;
    if (at >= SECONDS * 1000) break;
    arrivals.push({ atMs: at, body: deliveryOptionsBody(CARTS[cart()]!, POSTAL_CODES[postalCode()]!) });
  }
  return arrivals;
}

export interface Outcome {
  ms: number;
  status: number;
  source: string;
  options: number;
}

/** Upstream preview calls and their 429s, however they were counted. */
export interface PreviewCounts {
  previewCalls: number;
  preview429: number;
}

/** Where one proxy instance answers; `host` routes a request to one of several Workers behind one address. */
export interface ReplayTarget {
  url: string;
  host?: string;
}

/**
 * Sends every arrival at its moment (open loop: a slow answer does not delay the next shopper), arrival i to
 * `targets[i % targets.length]` (round robin over a fleet).
 */
export async function replay(targets: ReplayTarget[], arrivals: Arrival[], startAt: number): Promise<Outcome[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const outcomes = await Promise.all(
    arrivals.map(async (arrival, index) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt + arrival.atMs - Date.now())));
      try {
        const target = targets[index % targets.length]!;
        const answer = await request(agent, {
          url: `${target.url}/v1/delivery-options`,
          body: arrival.body,
          ...(target.host ? { headers: { host: target.host } } : {}),
        });
        let source = "error";
        let options = 0;
        if (answer.status === 200) {
          const parsed = JSON.parse(answer.body) as { source?: string; options?: unknown[] };
          source = parsed.source ?? "live";
          options = parsed.options?.length ?? 0;
        }
        return { ms: answer.ms, status: answer.status, source, options };
      } catch {
        return { ms: Number.NaN, status: 0, source: "error", options: 0 };
      }
    }),
  );
  agent.destroy();
  return outcomes;
}

export function summarize(name: string, outcomes: Outcome[], counts: PreviewCounts) {
  const gotOptions = (o: Outcome) => o.status === 200 && o.options > 0;
  const success = outcomes.filter((o) => gotOptions(o) && ["live", "cache", "stale"].includes(o.source)).length;
  const answered = outcomes.filter(gotOptions).length;
  const latencies = outcomes.map((o) => (Number.isNaN(o.ms) ? 30_000 : o.ms));
  const sources: Record<string, number> = {};
  for (const o of outcomes) sources[o.source] = (sources[o.source] ?? 0) + 1;
  const statuses: Record<string, number> = {};
  for (const o of outcomes) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const summary = {
    successRate: round(success / outcomes.length, 4),
    p95Ms: round(percentile(latencies, 95), 1),
    upstreamCalls: counts.previewCalls,
    upstream429: counts.preview429,
    answeredRate: round(answered / outcomes.length, 4),
    p50Ms: round(percentile(latencies, 50), 1),
    sources,
  };
  console.log(
    `${name.padEnd(6)} options (live/cache/stale) ${(summary.successRate * 100).toFixed(2)}%, any options ` +
      `${(summary.answeredRate * 100).toFixed(2)}%, p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, ` +
      `upstream calls ${summary.upstreamCalls}, upstream 429s ${summary.upstream429}`,
  );
  console.log(`       sources ${JSON.stringify(sources)}, HTTP statuses ${JSON.stringify(statuses)}`);
  return summary;
}

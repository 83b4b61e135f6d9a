// Test doubles: virtual time (a clock and a sleep that only advance when the test says so), a scripted
// FulfillmentDialect speaking the fulfillment model, and the admission + preview pipeline wired the way app.ts wires
// them (options resolved once, one guard, one bucket store, one cache store).
import { createGuard, type Guard } from "../../../proxy/admission/guard.ts";
import {
  type ResilienceEvent,
  type ResilienceOptions,
  type ResolvedOptions,
  resolveOptions,
} from "../../../proxy/admission/options.ts";
import {
  everyOperation,
  type FulfillmentDialect,
  type NewOrder,
  type Operation,
  type PreviewRequest,
  type PreviewResult,
  type UpstreamResult,
} from "../../../proxy/fulfillment/model.ts";
import { createPreviewPipeline, type PreviewPipeline } from "../../../proxy/previews/pipeline.ts";
import type { Clock, Sleep } from "../../../proxy/shared/clock.ts";
import { DEFAULT_MERCHANT } from "../../../proxy/stores/keys.ts";
import { createMemoryRateLimiterStore, createMemoryStore } from "../../../proxy/stores/memory.ts";
import type { KeyValueStore, RateLimiterStore } from "../../../proxy/stores/types.ts";

/** Wednesday 18 Nov 2026, 12:00 UTC. */
export const START = Date.UTC(2026, 10, 18, 12);

interface Timer {
  at: number;
  resolve: () => void;
}

export interface VirtualTime {
  clock: Clock;
  sleep: Sleep;
  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** Lets time run (jumping from timer to timer) until `promise` settles; returns its outcome. */
  settle<T>(promise: Promise<T>): Promise<T>;
  readonly pendingTimers: number;
}

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export function virtualTime(start = START): VirtualTime {
  let now = start;
  const timers: Timer[] = [];
  const fireDue = () => {
    timers.sort((a, b) => a.at - b.at);
    while (timers[0] && timers[0].at <= now) timers.shift()!.resolve();
  };
  return {
    clock: { now: () => now },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer: Timer = { at: now + ms, resolve };
        timers.push(timer);
        signal?.addEventListener("abort", () => {
          // A timer that already fired is gone: aborting it must not remove another one.
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(signal.reason);
        });
      }),
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await flush();
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > target) break;
        now = next.at;
        fireDue();
      }
      now = target;
      await flush();
    },
    async settle(promise) {
      let done = false;
      promise.then(
        () => {
          done = true;
        },
        () => {
          done = true;
        },
      );
      for (let round = 0; !done; round++) {
        await flush();
        if (done) break;
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next) throw new Error("promise still pending with no timer left: deadlock");
        if (round > 100_000) throw new Error("too many timer rounds");
        now = Math.max(now, next.at);
        fireDue();
      }
      return promise;
    },
    get pendingTimers() {
      return timers.length;
    },
  };
}

export { seededRandom } from "../../../bench/lib/stats.ts";

/** The dialect's operations a fake is called through (the model's operation names, plus checkHealth). */
export type DialectCall = Operation | "checkHealth";

export type Handler = (operation: DialectCall, args: unknown[], signal?: AbortSignal) => Promise<unknown>;

export interface FakeDialect extends FulfillmentDialect {
  calls: { operation: DialectCall; args: unknown[] }[];
  handler: Handler;
}

/** Amazon's usage plan for every Fulfillment Outbound operation: 2 req/s, burst 30. */
export const FAKE_RATE_PLANS = everyOperation({ ratePerSecond: 2, burst: 30 });

export const ok = <T>(data: T, meta: Partial<UpstreamResult<T>["meta"]> = {}): UpstreamResult<T> => ({
  data,
  meta: { status: 200, ...meta },
});

/** A dialect whose every operation goes through `handler`; calls are recorded. */
export function fakeDialect(handler: Handler, ratePlans = FAKE_RATE_PLANS): FakeDialect {
  const fake: FakeDialect = {
    name: "fake",
    ratePlans,
    calls: [],
    handler,
    preview: (request, options) => run("preview", [request], options?.signal),
    createOrder: (order, options) => run("createOrder", [order], options?.signal),
    releaseHold: (id, options) => run("updateOrder", [id], options?.signal),
    getOrder: (id, options) => run("getOrder", [id], options?.signal),
    cancelOrder: (id, options) => run("cancelOrder", [id], options?.signal),
    getTracking: (order, n, options) => run("getTracking", [order, n], options?.signal),
    checkHealth: (options) => run("checkHealth", [], options?.signal),
  };
  // biome-ignore lint/suspicious/noExplicitAny: each operation returns its own result type; the handler decides.
  function run(operation: DialectCall, args: unknown[], signal?: AbortSignal): Promise<any> {
    fake.calls.push({ operation, args });
    return fake.handler(operation, args, signal);
  }
  return fake;
}

export function previewRequest(overrides: Partial<PreviewRequest> = {}): PreviewRequest {
  return {
    marketplaceId: "ATVPDKIKX0DER",
    address: { name: "Shopper", line1: "1 Main St", countryCode: "US", postalCode: "98101", stateOrRegion: "WA" },
    items: [{ sku: "MUG-01", quantity: 1 }],
    ...overrides,
  };
}

/** A preview request for a one-line cart of `sku`. */
export const cart = (sku: string, quantity = 1) => previewRequest({ items: [{ sku, quantity }] });

/** The SKU of the first line of a recorded preview call. */
export const skuOf = (args: unknown[]) => (args[0] as PreviewRequest).items[0]!.sku;

/** A one-speed preview; `fee` tells answers apart. */
export function previewResult(fee = "3.99"): PreviewResult {
  return {
    previews: [
      {
        speed: "Standard",
        fulfillable: true,
        cashOnDelivery: false,
        fees: [{ name: "FBAPerUnitFulfillmentFee", amount: { amount: fee, currency: "USD" } }],
        shipments: [],
        reasons: [],
        unfulfillable: [],
      },
    ],
  };
}

export const feeOf = (result: PreviewResult) => result.previews[0]?.fees[0]?.amount.amount;

/** A model order, as the order service hands it to a dialect. */
export function newOrder(orderId = "mcf-1"): NewOrder {
  return {
    orderId,
    marketplaceId: "ATVPDKIKX0DER",
    displayableOrderId: "1",
    orderDate: "2026-11-18T12:00:00Z",
    comment: "Thanks",
    speed: "Standard",
    address: { name: "n", line1: "l", countryCode: "US", postalCode: "98101" },
    action: "Ship",
    policy: "FillOrKill",
    items: [{ sku: "MUG-01", lineId: "1", quantity: 1 }],
  };
}

export interface Admission {
  time: VirtualTime;
  events: ResilienceEvent[];
  dialect: FakeDialect;
  options: ResolvedOptions;
  guard: Guard;
  pipeline: PreviewPipeline;
}

/**
 * The dialect behind admission and the preview pipeline, as app.ts wires them: `options` resolved once against the
 * dialect's plans (virtual time, events recorded), one guard over `buckets`, the pipeline over `cache`.
 */
export function admission(
  handler: Handler,
  options: ResilienceOptions = {},
  parts: {
    buckets?: RateLimiterStore;
    cache?: KeyValueStore;
    time?: VirtualTime;
    merchant?: string;
    /** The cache and buckets are shared with other instances (as app.ts sets it for Redis and the like). */
    sharedCache?: boolean;
  } = {},
): Admission {
  const time = parts.time ?? virtualTime();
  const events: ResilienceEvent[] = [];
  const dialect = fakeDialect(handler);
  const resolved = resolveOptions(
    { clock: time.clock, sleep: time.sleep, onEvent: (event) => events.push(event), ...options },
    dialect.ratePlans,
  );
  const merchant = parts.merchant ?? DEFAULT_MERCHANT;
  const guard = createGuard(resolved, parts.buckets ?? createMemoryRateLimiterStore(), merchant);
  const pipeline = createPreviewPipeline({
    dialect,
    guard,
    cache: parts.cache ?? createMemoryStore({ maxEntries: 5_000, clock: time.clock }),
    options: resolved,
    merchant,
    ...(parts.sharedCache ? { sharedCache: true } : {}),
  });
  return { time, events, dialect, options: resolved, guard, pipeline };
}

// Test doubles: virtual time (a clock and a sleep that only advance when the test says so) and a scripted upstream.
import type { Clock, Sleep } from "../../../proxy/resilience/index.ts";
import type {
  FulfillmentUpstream,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
  UpstreamOperation,
  UpstreamResult,
} from "../../../proxy/upstream/types.ts";

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

export type Handler = (operation: UpstreamOperation, args: unknown[], signal?: AbortSignal) => Promise<unknown>;

export interface FakeUpstream extends FulfillmentUpstream {
  calls: { operation: UpstreamOperation; args: unknown[] }[];
  handler: Handler;
}

export const ok = <T>(data: T, meta: Partial<UpstreamResult<T>["meta"]> = {}): UpstreamResult<T> => ({
  data,
  meta: { status: 200, ...meta },
});

/** An upstream whose every operation goes through `handler`; calls are recorded. */
export function fakeUpstream(handler: Handler): FakeUpstream {
  const fake: FakeUpstream = {
    dialect: "fake",
    calls: [],
    handler,
    getFulfillmentPreview: (body, options) => run("getFulfillmentPreview", [body], options?.signal),
    createFulfillmentOrder: (body, options) => run("createFulfillmentOrder", [body], options?.signal),
    updateFulfillmentOrder: (id, body, options) => run("updateFulfillmentOrder", [id, body], options?.signal),
    getFulfillmentOrder: (id, options) => run("getFulfillmentOrder", [id], options?.signal),
    cancelFulfillmentOrder: (id, options) => run("cancelFulfillmentOrder", [id], options?.signal),
    getPackageTrackingDetails: (n, options) => run("getPackageTrackingDetails", [n], options?.signal),
  };
  // biome-ignore lint/suspicious/noExplicitAny: each operation returns its own result type; the handler decides.
  function run(operation: UpstreamOperation, args: unknown[], signal?: AbortSignal): Promise<any> {
    fake.calls.push({ operation, args });
    return fake.handler(operation, args, signal);
  }
  return fake;
}

export function previewRequest(overrides: Partial<GetFulfillmentPreviewRequest> = {}): GetFulfillmentPreviewRequest {
  return {
    marketplaceId: "ATVPDKIKX0DER",
    address: {
      name: "Shopper",
      addressLine1: "1 Main St",
      countryCode: "US",
      postalCode: "98101",
      stateOrRegion: "WA",
    },
    items: [{ sellerSku: "MUG-01", quantity: 1, sellerFulfillmentOrderItemId: "1" }],
    ...overrides,
  };
}

/** A one-speed preview; `fee` tells answers apart. */
export function previewResult(fee = "3.99"): GetFulfillmentPreviewResult {
  return {
    fulfillmentPreviews: [
      {
        shippingSpeedCategory: "Standard",
        isFulfillable: true,
        isCODCapable: false,
        marketplaceId: "ATVPDKIKX0DER",
        estimatedFees: [{ name: "FBAPerUnitFulfillmentFee", amount: { currencyCode: "USD", value: fee } }],
      },
    ],
  };
}

export const feeOf = (result: GetFulfillmentPreviewResult) =>
  result.fulfillmentPreviews?.[0]?.estimatedFees?.[0]?.amount.value;

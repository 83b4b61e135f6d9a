// When the shared store is unreachable or slow, buckets fall back to a local bucket holding only this instance's
// share of the quota (1/MCF_INSTANCES of rate and burst, 1/10 when unset), so a fleet that lost its store still stays
// under Amazon's limit. The shared store is tried again every `retryMs`; each switch is logged once and the state is
// there for /v1/health.
import type { RatePlan } from "../fulfillment/model.ts";
import type { LogFields, LogLevel } from "../log/index.ts";
import { type Clock, systemClock } from "../shared/clock.ts";
import { createMemoryRateLimiterStore } from "./memory.ts";
import type { RateLimiterStore } from "./types.ts";

export const DEFAULT_INSTANCE_SHARE = 1 / 10;

export interface FailoverOptions {
  /** How many instances share the quota (MCF_INSTANCES); unset means "assume 10". */
  instances?: number;
  /** Longest wait for the shared store before a call counts as failed (default 250 ms). */
  timeoutMs?: number;
  /** How long to stay local before trying the shared store again (default 1 s). */
  retryMs?: number;
  clock?: Clock;
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export interface FailoverStatus {
  /** "shared": buckets live in the shared store; "local": this instance's conservative share. */
  mode: "shared" | "local";
  /** When the current mode began (clock milliseconds). */
  since: number;
  /** This instance's share of each plan while local. */
  share: number;
  /** Why the shared store was left (while local). */
  error?: string;
}

export interface FailoverRateLimiterStore extends RateLimiterStore {
  status(): FailoverStatus;
}

export class StoreTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`store did not answer within ${timeoutMs} ms`);
    this.name = "StoreTimeoutError";
  }
}

/** Settles like `call()`, or rejects with StoreTimeoutError after `timeoutMs`. */
export function withinTimeout<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([call(), expired]).finally(() => clearTimeout(timer));
}

export function instanceShare(instances: number | undefined): number {
  return instances !== undefined && Number.isInteger(instances) && instances >= 1
    ? 1 / instances
    : DEFAULT_INSTANCE_SHARE;
}

/** The plan one instance may use on its own: its share of the rate, and of the burst (at least one token). */
export function sharePlan(plan: RatePlan, share: number): RatePlan {
  return { ratePerSecond: plan.ratePerSecond * share, burst: Math.max(1, Math.floor(plan.burst * share)) };
}

export function withLocalFallback(shared: RateLimiterStore, options: FailoverOptions): FailoverRateLimiterStore {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 250;
  const retryMs = options.retryMs ?? 1_000;
  const share = instanceShare(options.instances);
  const local = createMemoryRateLimiterStore();
  let status: FailoverStatus = { mode: "shared", since: clock.now(), share };
  let retryAt = 0;
  let probing = false;

  const goLocal = (error: unknown) => {
    if (status.mode === "local") return;
    const reason = error instanceof Error ? error.message : String(error);
    status = { mode: "local", since: clock.now(), share, error: reason };
    options.log("warn", "shared store unavailable: buckets use this instance's share", { share, error: reason });
  };
  const goShared = () => {
    if (status.mode === "shared") return;
    const localMs = clock.now() - status.since;
    status = { mode: "shared", since: clock.now(), share };
    options.log("info", "shared store back: buckets are shared again", { localMs });
  };

  /** Runs `call` on the shared store when it is (or may be again) usable, else `fallback` on the local share. */
  const route = async <T>(call: (store: RateLimiterStore) => Promise<T>, fallback: () => Promise<T>) => {
    const probe = status.mode === "local" && !probing && clock.now() >= retryAt;
    if (status.mode === "local" && !probe) return fallback();
    if (probe) probing = true; // one probe at a time; the others keep to the local share meanwhile
    try {
      const result = await withinTimeout(timeoutMs, () => call(shared));
      goShared();
      return result;
    } catch (error) {
      goLocal(error);
      retryAt = clock.now() + retryMs;
      return fallback();
    } finally {
      if (probe) probing = false;
    }
  };

  return {
    status: () => ({ ...status }),
    reserve: (key, plan, now, maxWaitMs, keep = 0) =>
      route(
        (store) => store.reserve(key, plan, now, maxWaitMs, keep),
        // What callers hold back for shoppers shrinks with the bucket.
        () => local.reserve(key, sharePlan(plan, share), now, maxWaitMs, keep * share),
      ),
    setRate: (key, plan, now, ratePerSecond) =>
      route(
        (store) => store.setRate(key, plan, now, ratePerSecond),
        () => local.setRate(key, sharePlan(plan, share), now, ratePerSecond * share),
      ),
    drain: (key, plan, now) =>
      route(
        (store) => store.drain(key, plan, now),
        () => local.drain(key, sharePlan(plan, share), now),
      ),
    // The fleet-wide ranking, when the shared store keeps one; while local, this instance ranks its own requests.
    ...(shared.want && shared.reserveFor
      ? {
          want: (key: string, plan: RatePlan, item: string, change: number, now: number, deadline: number) =>
            route(
              (store) => store.want!(key, plan, item, change, now, deadline),
              () => local.want(key, sharePlan(plan, share), item, change, now, deadline),
            ),
          reserveFor: (key: string, plan: RatePlan, item: string, now: number, keep = 0) =>
            route(
              (store) => store.reserveFor!(key, plan, item, now, keep),
              () => local.reserveFor(key, sharePlan(plan, share), item, now, keep * share),
            ),
        }
      : {}),
  };
}

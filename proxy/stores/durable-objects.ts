// The stores on Cloudflare Durable Objects. One object per entry: per merchant and operation for a token bucket, per
// hashed store key (idFromName) for an idempotency record, a presented quote, a cached preview, answer or token. An
// object handles one event at a time and its storage calls hold back the next one (input gates), so read-compute-write
// inside it is atomic; the bucket math is admission/token-bucket.ts. Each object deletes itself by alarm once its entry
// has expired (a bucket: once it would have refilled), so storage stays flat. Object storage rather than the Cache
// API: the cache is per data centre, and previews should serve every isolate everywhere.
import { type RankedBucket, reserveFor, want } from "../admission/demand-board.ts";
import { createBucket, drain, reserve, withRate } from "../admission/token-bucket.ts";
import type { RatePlan } from "../fulfillment/model.ts";
import { bundleStores } from "./bundle.ts";
import { withinTimeout } from "./failover.ts";
import type { KeyValueStore, RankedReservation, RateLimiterStore, Reservation, Stores } from "./types.ts";

// The few Workers APIs used here, declared locally instead of pulling in Cloudflare's type package.
interface DurableObjectStorage {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  deleteAll(): Promise<void>;
  setAlarm(scheduledTime: number): Promise<void>;
}
export interface DurableObjectState {
  storage: DurableObjectStorage;
}
export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

/** The binding name in wrangler.jsonc. */
export const STORE_BINDING = "MCF_STATE";

export interface DurableObjectStoresEnv {
  [STORE_BINDING]: DurableObjectNamespace;
}

type ObjectCall =
  | { op: "get" }
  | { op: "set"; json: string; ttlMs: number }
  | { op: "delete" }
  | { op: "putIfAbsent"; json: string; ttlMs: number }
  | { op: "compareAndSet"; expected: string; json: string; ttlMs: number }
  | { op: "reserve"; plan: RatePlan; now: number; maxWaitMs: number; keep: number }
  | { op: "setRate"; plan: RatePlan; now: number; ratePerSecond: number }
  | { op: "drain"; plan: RatePlan; now: number }
  | { op: "want"; plan: RatePlan; item: string; change: number; now: number; deadline: number }
  | { op: "reserveFor"; plan: RatePlan; item: string; now: number; keep: number };

interface Entry {
  json: string;
  expiresAt: number;
}

const BUCKET_IDLE_MARGIN_MS = 60_000;

/** The Durable Object class (export it from the Worker entry; wrangler.jsonc binds it as MCF_STATE). */
export class McfStoreObject {
  readonly #storage: DurableObjectStorage;

  constructor(state: DurableObjectState, _env: unknown) {
    this.#storage = state.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const call = (await request.json()) as ObjectCall;
    const result = await this.#handle(call);
    return Response.json(result === undefined ? {} : { result });
  }

  /** The entry's time is up: forget it, unless it was renewed meanwhile. */
  async alarm(): Promise<void> {
    const expiresAt = await this.#storage.get<number>("expiresAt");
    if (expiresAt === undefined || expiresAt <= Date.now()) await this.#storage.deleteAll();
    else await this.#storage.setAlarm(expiresAt);
  }

  async #live(): Promise<Entry | undefined> {
    const entry = await this.#storage.get<Entry>("entry");
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }

  async #expireAt(expiresAt: number): Promise<void> {
    await this.#storage.put("expiresAt", expiresAt);
    await this.#storage.setAlarm(expiresAt);
  }

  async #write(json: string, ttlMs: number): Promise<void> {
    const expiresAt = Date.now() + Math.max(0, ttlMs);
    await this.#storage.put("entry", { json, expiresAt } satisfies Entry);
    await this.#expireAt(expiresAt);
  }

  async #bucket(plan: RatePlan, now: number, change: (state: RankedBucket) => RankedBucket): Promise<RankedBucket> {
    const state = change((await this.#storage.get<RankedBucket>("bucket")) ?? createBucket(plan, now));
    await this.#storage.put("bucket", state);
    await this.#expireAt(
      Date.now() + ((state.burst - state.tokens) * 1000) / state.ratePerSecond + BUCKET_IDLE_MARGIN_MS,
    );
    return state;
  }

  async #handle(call: ObjectCall): Promise<unknown> {
    switch (call.op) {
      case "get":
        return (await this.#live())?.json;
      case "set":
        return this.#write(call.json, call.ttlMs);
      case "delete":
        return this.#storage.deleteAll();
      case "putIfAbsent": {
        const live = await this.#live();
        if (live) return live.json;
        return this.#write(call.json, call.ttlMs);
      }
      case "compareAndSet": {
        if ((await this.#live())?.json !== call.expected) return false;
        await this.#write(call.json, call.ttlMs);
        return true;
      }
      case "reserve": {
        let reservation: Reservation | undefined;
        await this.#bucket(call.plan, call.now, (state) => {
          const reserved = reserve(state, call.now, call.maxWaitMs ?? Number.POSITIVE_INFINITY, call.keep);
          reservation = reserved.reservation;
          return reserved.state;
        });
        return reservation;
      }
      case "setRate":
        await this.#bucket(call.plan, call.now, (state) => withRate(state, call.now, call.ratePerSecond));
        return;
      case "drain":
        await this.#bucket(call.plan, call.now, (state) => drain(state, call.now));
        return;
      case "want":
        await this.#bucket(call.plan, call.now, (state) =>
          want(state, call.item, call.change, call.now, call.deadline),
        );
        return;
      case "reserveFor": {
        let reservation: RankedReservation | undefined;
        await this.#bucket(call.plan, call.now, (state) => {
          const reserved = reserveFor(state, call.item, call.now, call.keep);
          reservation = reserved.reservation;
          return reserved.state;
        });
        return reservation;
      }
    }
  }
}

export interface DurableObjectStoreOptions {
  /** Longest wait for any one object call (default 500 ms). */
  timeoutMs?: number;
}

/** The stores of a Worker whose env binds McfStoreObject as MCF_STATE. */
export function createDurableObjectStores(
  env: DurableObjectStoresEnv,
  options: DurableObjectStoreOptions = {},
): Stores {
  const namespace = env[STORE_BINDING];
  const timeoutMs = options.timeoutMs ?? 500;
  const call = (name: string, body: ObjectCall) =>
    withinTimeout(timeoutMs, async () => {
      const stub = namespace.get(namespace.idFromName(name));
      const response = await stub.fetch(
        new Request("https://store.invalid/", { method: "POST", body: JSON.stringify(body) }),
      );
      if (!response.ok) throw new Error(`store object answered ${response.status}`);
      return ((await response.json()) as { result?: unknown }).result;
    });

  const keyValue = (kind: string): KeyValueStore => {
    const name = (key: string) => `${kind}:${key}`;
    const parsed = <T>(json: unknown) => (typeof json === "string" ? (JSON.parse(json) as T) : undefined);
    return {
      get: async <T>(key: string) => parsed<T>(await call(name(key), { op: "get" })),
      async set(key, value, ttlMs) {
        await call(name(key), { op: "set", json: JSON.stringify(value), ttlMs });
      },
      async delete(key) {
        await call(name(key), { op: "delete" });
      },
      putIfAbsent: async <T>(key: string, value: T, ttlMs: number) =>
        parsed<T>(await call(name(key), { op: "putIfAbsent", json: JSON.stringify(value), ttlMs })),
      compareAndSet: async (key, expected, value, ttlMs) =>
        (await call(name(key), {
          op: "compareAndSet",
          expected: JSON.stringify(expected),
          json: JSON.stringify(value),
          ttlMs,
        })) === true,
    };
  };

  const bucketName = (key: string) => `buckets:${key}`;
  const buckets: RateLimiterStore = {
    reserve: async (key, plan, now, maxWaitMs, keep = 0) =>
      // JSON has no Infinity: an unbounded wait travels as null.
      (await call(bucketName(key), { op: "reserve", plan, now, maxWaitMs, keep })) as Reservation,
    async setRate(key, plan, now, ratePerSecond) {
      await call(bucketName(key), { op: "setRate", plan, now, ratePerSecond });
    },
    async drain(key, plan, now) {
      await call(bucketName(key), { op: "drain", plan, now });
    },
    async want(key, plan, item, change, now, deadline) {
      await call(bucketName(key), { op: "want", plan, item, change, now, deadline });
    },
    reserveFor: async (key, plan, item, now, keep = 0) =>
      (await call(bucketName(key), { op: "reserveFor", plan, item, now, keep })) as RankedReservation,
  };

  return bundleStores("durable-objects", keyValue, buckets);
}

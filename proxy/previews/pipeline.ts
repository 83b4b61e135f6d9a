// A preview, in the order a request travels: key → cache → coalescing → admission → upstream. Fresh enough in the
// cache: answered from it (refreshed in the background once older than `refreshAfterMs`). Otherwise one live call
// per distinct request however many shoppers wait for it, admitted through the demand queue and the merchant's
// bucket. When Amazon cannot answer (throttled, failing, malformed, circuit open): a stale preview or the merchant's
// fallback rates instead of an error.
import { createDemandQueue } from "../admission/demand-queue.ts";
import { isDegradable, isQueueFull, queueFullError } from "../admission/errors.ts";
import type { Guard, RankedAdmission } from "../admission/guard.ts";
import type { ResolvedOptions } from "../admission/options.ts";
import type { AnswerSource } from "../contract/v1.ts";
import type { FulfillmentDialect, PreviewRequest, PreviewResult } from "../fulfillment/model.ts";
import { merchantKey } from "../stores/keys.ts";
import type { KeyValueStore } from "../stores/types.ts";
import { fallbackPreview } from "./fallback.ts";
import { previewKey } from "./key.ts";

/** A cached preview. `version` names this very entry (signed answers made from it are reused only with it). */
export interface PreviewEntry {
  result: PreviewResult;
  storedAt: number;
  version: string;
  amznRequestId?: string;
}

export interface PreviewOutcome {
  key: string;
  /** Shared with the cache: treat as read-only. */
  entry: PreviewEntry;
  source: AnswerSource;
}

export interface PreviewCallOptions {
  /** Stops this caller waiting; a live call other callers share keeps going. */
  signal?: AbortSignal;
  /** Keeps a background refresh alive after the response is sent (Workers' `ctx.waitUntil`). */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface PreviewPipeline {
  preview(request: PreviewRequest, options?: PreviewCallOptions): Promise<PreviewOutcome>;
}

export function createPreviewPipeline(parts: {
  dialect: FulfillmentDialect;
  guard: Guard;
  cache: KeyValueStore;
  options: ResolvedOptions;
  merchant: string;
  /** The cache is shared with other instances (Redis, Deno KV, Durable Objects): coalesce across them too. */
  sharedCache?: boolean;
}): PreviewPipeline {
  const { dialect, guard, cache, options, merchant, sharedCache = false } = parts;
  const { clock, sleep, cacheTtlMs, refreshAfterMs, refreshMinTokens, staleTtlMs, fallbackRates, onEvent } = options;
  const { maxWaitMs } = options.policies.preview;
  const retainMs = cacheTtlMs + staleTtlMs;
  const rejected = (waitMs: number, stage: "admission" | "expired" | "bound" | "other-instance") =>
    onEvent({ type: "rejected", operation: "preview", reason: "queue-full", waitMs, stage });
  const queue = createDemandQueue({
    clock,
    sleep,
    tokenIntervalMs: () => 1000 / options.ratePlans.preview.ratePerSecond,
    expired: () => {
      rejected(maxWaitMs, "expired");
      return queueFullError("preview", maxWaitMs, maxWaitMs);
    },
  });
  const flights = new Map<string, Promise<PreviewEntry>>();
  /**
   * Instances sharing the cache share the demand queue too, in the bucket's store: each waiting shopper counts once
   * fleet-wide, and a token goes to the fleet's most wanted request, not to each instance's own.
   */
  const ranked = sharedCache ? guard.ranked : undefined;
  /** Previews this instance is fetching that still wait for their token in the fleet-wide queue. */
  const waitingForTurn = new Set<string>();
  /** Names this instance in the shared flight markers, so instances sharing the cache fetch a preview once. */
  const instance = crypto.randomUUID();
  /** The flight marker once its instance holds the token: the call to Amazon is under way. */
  const calling = `${instance}${CALLING}`;
  const flightTtlMs = maxWaitMs + options.policies.preview.timeoutMs * (options.policies.preview.maxRetries + 1);

  const fresh = (entry: PreviewEntry | undefined): entry is PreviewEntry =>
    entry !== undefined && clock.now() - entry.storedAt < cacheTtlMs;

  const cached = async (key: string) => {
    try {
      return await cache.get<PreviewEntry>(key);
    } catch (error) {
      onEvent({ type: "cache-error", error });
      return undefined;
    }
  };

  const fetchAndStore = async (key: string, request: PreviewRequest, admitted: boolean, maxRetries?: number) => {
    const { data, meta } = await guard.run("preview", (signal) => dialect.preview(request, { signal }), {
      admitted,
      ...(maxRetries !== undefined ? { maxRetries } : {}),
    });
    const entry: PreviewEntry = { result: data, storedAt: clock.now(), version: crypto.randomUUID() };
    if (meta.amznRequestId) entry.amznRequestId = meta.amznRequestId;
    try {
      await cache.set(key, entry, retainMs);
    } catch (error) {
      onEvent({ type: "cache-error", error });
    }
    return entry;
  };

  /**
   * A shopper's live call: a token at once if one is free and nobody is waiting; otherwise it waits in the demand
   * queue (the request most shoppers wait for goes first) until its turn, or until the last of its shoppers' wait
   * bounds has passed.
   */
  const shopperCall = async (key: string, request: PreviewRequest, deadline: number) => {
    // Another instance sharing the cache is fetching this very preview: wait for its answer there instead of
    // spending a token of the merchant's quota on it again.
    if (!sharedCache) return admitAndFetch(key, request, deadline);
    const flightKey = `${key}:flight`;
    for (;;) {
      const owner = await cache.putIfAbsent(flightKey, instance, flightTtlMs).catch(() => undefined);
      if (owner !== undefined && owner !== instance && owner !== calling) {
        const answered = await awaitOtherInstance(key, flightKey, deadline);
        if (answered) return answered;
        continue; // that instance gave up before this shopper's bound: fetch it here
      }
      let marked: Promise<unknown> | undefined;
      // Once the token is granted, the marker says so: shoppers waiting on other instances then wait for the call
      // past their bound, as this instance's own shoppers do (withinBound).
      const granted = () => {
        if (owner === undefined) marked = cache.set(flightKey, calling, flightTtlMs).catch(() => {});
      };
      try {
        // Stored since this shopper missed it (the flight that fetched it has just ended)?
        const entry = await cached(key);
        if (fresh(entry)) return entry;
        return await (ranked
          ? admitRankedAndFetch(ranked, key, request, deadline, granted)
          : admitAndFetch(key, request, deadline, granted));
      } finally {
        if (owner === undefined) {
          await marked; // so the marker cannot outlive the flight
          await cache.delete(flightKey).catch(() => {});
        }
      }
    }
  };

  /**
   * Polls the shared cache for the preview another instance is fetching, until this shopper's deadline, or past it
   * while that instance's call is under way; undefined once that instance gave up on it (its flight marker is gone
   * and nothing was stored) before the deadline.
   */
  const awaitOtherInstance = async (key: string, flightKey: string, deadline: number) => {
    const tooLate = () => {
      rejected(maxWaitMs, "other-instance");
      return queueFullError("preview", maxWaitMs, maxWaitMs);
    };
    for (let delay = 25; ; delay = Math.min(delay * 2, 200)) {
      const entry = await cached(key);
      if (fresh(entry)) return entry;
      const marker = await cache.get(flightKey).catch(() => instance);
      const left = deadline - clock.now();
      if (marker === undefined) {
        if (left > 0) return undefined;
        // Stored just before the marker went?
        const late = await cached(key);
        if (fresh(late)) return late;
        throw tooLate();
      }
      if (left <= 0 && !isCalling(marker)) throw tooLate();
      await sleep(left > 0 ? Math.min(delay, left) : delay);
    }
  };

  const admitAndFetch = async (key: string, request: PreviewRequest, deadline: number, granted?: () => void) => {
    queue.track(key, deadline);
    try {
      let queued = queue.size > 0;
      if (queued) {
        // Others are waiting: a newcomer queues behind them instead of taking the token their turn is for.
        onEvent({ type: "queued", operation: "preview", waitMs: 0 });
        await queue.wait(key, Number.POSITIVE_INFINITY);
      }
      for (;;) {
        const reservation = await guard.tryAdmit("preview");
        if (reservation.granted) {
          granted?.();
          return await fetchAndStore(key, request, true);
        }
        if (clock.now() + reservation.waitMs > queue.deadlineOf(key)) {
          rejected(reservation.waitMs, "admission");
          throw queueFullError("preview", reservation.waitMs, maxWaitMs);
        }
        if (!queued) onEvent({ type: "queued", operation: "preview", waitMs: reservation.waitMs });
        queued = true;
        await queue.wait(key, reservation.waitMs);
      }
    } finally {
      queue.untrack(key);
    }
  };

  /**
   * The fleet-wide turn: the bucket's store grants the token only to the most wanted waiting requests it covers, and
   * says how long until this one's turn. Tries again at each token (those ranked ahead may leave first) until the
   * latest bound of its shoppers anywhere in the fleet; gives up once nobody waits for it any more.
   */
  const admitRankedAndFetch = async (
    admission: RankedAdmission,
    key: string,
    request: PreviewRequest,
    deadline: number,
    granted?: () => void,
  ) => {
    waitingForTurn.add(key);
    let until = deadline;
    try {
      for (let attempt = 0; ; attempt++) {
        const reservation = await admission.tryAdmitFor("preview", key);
        if (reservation.granted) {
          waitingForTurn.delete(key);
          granted?.();
          return await fetchAndStore(key, request, true);
        }
        until = Math.max(until, reservation.deadline);
        const left = until - clock.now();
        if (left <= 0) {
          rejected(reservation.waitMs, "expired");
          throw queueFullError("preview", reservation.waitMs, maxWaitMs);
        }
        if (attempt === 0) onEvent({ type: "queued", operation: "preview", waitMs: reservation.waitMs });
        // Its turn is `waitMs` away if nobody ahead leaves; but those ahead may give up, so try at the next token.
        const intervalMs = 1000 / options.ratePlans.preview.ratePerSecond;
        const nextTokenMs = ((Math.max(1, reservation.waitMs) - 1) % intervalMs) + 1;
        await sleep(Math.min(nextTokenMs, left));
        if (clock.now() >= until) {
          // Nobody waits for it any more (by the last bound seen): not worth a token.
          rejected(reservation.waitMs, "expired");
          throw queueFullError("preview", reservation.waitMs, maxWaitMs);
        }
      }
    } finally {
      waitingForTurn.delete(key);
    }
  };

  /** A shopper stops waiting at its own bound while the call is still queued (it then degrades); others wait on. */
  const withinBound = async <T>(key: string, flight: Promise<T>, deadline: number): Promise<T> => {
    const timer = new AbortController();
    const expiry = sleep(Math.max(0, deadline - clock.now()), timer.signal).then(
      () => {
        if (!queue.isWaiting(key) && !waitingForTurn.has(key)) return flight;
        rejected(maxWaitMs, "bound");
        throw queueFullError("preview", maxWaitMs, maxWaitMs);
      },
      () => flight,
    );
    try {
      return await Promise.race([flight, expiry]);
    } finally {
      timer.abort();
    }
  };

  /** A stale-while-revalidate refresh: never queues, never retries, and only spends spare tokens. */
  const backgroundCall = async (key: string, request: PreviewRequest) => {
    const reservation = await guard.tryAdmit("preview", refreshMinTokens);
    if (!reservation.granted) throw queueFullError("preview", reservation.waitMs, 0);
    return fetchAndStore(key, request, true, 0);
  };

  /** One live call per key at a time; its answer is cached for everyone. No caller's signal cancels it. */
  const coalesced = (key: string, work: () => Promise<PreviewEntry>, signal?: AbortSignal) => {
    let flight = flights.get(key);
    const shared = flight !== undefined;
    if (!flight) {
      flight = work().finally(() => flights.delete(key));
      flights.set(key, flight);
    }
    return { flight: abandonable(flight, signal), shared };
  };

  const answer = (key: string, entry: PreviewEntry, source: AnswerSource, shared = false): PreviewOutcome => {
    onEvent({ type: "preview", source, coalesced: shared });
    return { key, entry, source };
  };

  return {
    async preview(request, callOptions = {}) {
      const { signal } = callOptions;
      const key = merchantKey(merchant, "preview", previewKey(request));
      const entry = await cached(key);
      const age = entry ? clock.now() - entry.storedAt : Number.POSITIVE_INFINITY;
      let wanted: RankedAdmission | undefined;
      if (entry && age < cacheTtlMs) {
        if (age >= refreshAfterMs && !flights.has(key)) {
          // Stale-while-revalidate; a refresh never queues and only spends spare tokens, so it never delays shoppers.
          const refresh = coalesced(key, () => backgroundCall(key, request)).flight.catch((error: unknown) =>
            onEvent(isQueueFull(error) ? { type: "refresh-skipped" } : { type: "revalidate-failed", error }),
          );
          callOptions.waitUntil?.(refresh);
        }
        return answer(key, entry, "cache");
      }
      try {
        const deadline = clock.now() + maxWaitMs;
        queue.join(key, deadline);
        // Counted in the fleet's demand until answered or gone (a failing store leaves the ranking incomplete).
        wanted = ranked
          ? await ranked.want("preview", key, 1, deadline).then(
              () => ranked,
              () => undefined,
            )
          : undefined;
        const { flight, shared } = coalesced(key, () => shopperCall(key, request, deadline), signal);
        return answer(key, await withinBound(key, flight, deadline), "live", shared);
      } catch (error) {
        if (signal?.aborted || !isDegradable(error)) throw error;
        if (entry && age < retainMs) return answer(key, entry, "stale");
        const fallback = fallbackPreview(request, fallbackRates, clock.now());
        if (fallback) return answer(key, { result: fallback, storedAt: clock.now(), version: "fallback" }, "fallback");
        throw error;
      } finally {
        const left = wanted?.want("preview", key, -1, clock.now()).catch(() => {});
        if (left) callOptions.waitUntil?.(left);
      }
    },
  };
}

/** Ends a flight marker whose instance holds the token (the marker is that instance's id, then this). */
const CALLING = " calling";
const isCalling = (marker: unknown) => typeof marker === "string" && marker.endsWith(CALLING);

/** The shared flight, or this caller's abort, whichever comes first. */
function abandonable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

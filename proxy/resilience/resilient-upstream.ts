// withResilience: every upstream call waits for a token of its operation's bucket (bounded wait), passes the
// circuit breaker, gets a timeout, and is retried with jittered backoff when the failure is retryable. Retrying
// order operations is safe because the proxy derives sellerFulfillmentOrderId deterministically.
import type {
  CallOptions,
  FulfillmentUpstream,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
  UpstreamOperation,
  UpstreamResult,
} from "../upstream/types.ts";
import { backoffDelay } from "./backoff.ts";
import {
  admit,
  type BreakerState,
  closedBreaker,
  recordAbandoned,
  recordFailure,
  recordSuccess,
} from "./circuit-breaker.ts";
import { asUpstreamError, circuitOpenError, queueFullError, rateLimiterError, timeoutError } from "./errors.ts";
import { type ResilienceOptions, type ResolvedOptions, resolveOptions } from "./options.ts";
import { createMemoryRateLimiterStore } from "./rate-limiter-store.ts";
import { callWithTimeout, TimeoutSignalled } from "./timeout.ts";

/** Per-call overrides of the operation's policy (e.g. a background refresh that must not queue). */
export interface ResilientCallOptions extends CallOptions {
  maxWaitMs?: number;
  /** Bound on the first attempt's wait for a token (default `maxWaitMs`); retries wait up to `maxWaitMs`. */
  admissionWaitMs?: number;
  maxRetries?: number;
  /** Tokens that must remain in the bucket after this call's (low-priority work leaves them to others). */
  keepTokens?: number;
  /** Low-priority work whose refusal is expected: no `rejected` event for a full queue. */
  lowPriority?: boolean;
}

const RESILIENT = Symbol.for("mcf-checkout.resilient");

export interface ResilientUpstream extends FulfillmentUpstream {
  readonly [RESILIENT]: ResolvedOptions;
  getFulfillmentPreview(
    body: GetFulfillmentPreviewRequest,
    options?: ResilientCallOptions,
  ): Promise<UpstreamResult<GetFulfillmentPreviewResult>>;
}

export function isResilient(upstream: FulfillmentUpstream): upstream is ResilientUpstream {
  return RESILIENT in upstream;
}

/** Wraps an upstream with throttling, retries, timeouts and a circuit breaker (an already wrapped one is returned as is). */
export function withResilience(upstream: FulfillmentUpstream, options: ResilienceOptions = {}): ResilientUpstream {
  if (isResilient(upstream)) return upstream;
  const resolved = resolveOptions(options);
  const { clock, sleep, onEvent } = resolved;
  const limiter = options.stores?.rateLimiter ?? createMemoryRateLimiterStore();
  const knownRates = new Map<UpstreamOperation, number>();
  let breaker: BreakerState = closedBreaker;

  const setBreaker = (next: BreakerState) => {
    if (next.status !== breaker.status) onEvent({ type: "circuit", state: next.status });
    breaker = next;
  };

  const adaptRate = async (operation: UpstreamOperation, ratePerSecond: number | undefined) => {
    if (ratePerSecond === undefined || !(ratePerSecond > 0)) return;
    if ((knownRates.get(operation) ?? resolved.ratePlans[operation].ratePerSecond) === ratePerSecond) return;
    knownRates.set(operation, ratePerSecond);
    // Best effort: a failing shared store must not turn Amazon's answer into an error.
    await Promise.resolve()
      .then(() => limiter.setRate(bucketKey(operation), resolved.ratePlans[operation], clock.now(), ratePerSecond))
      .catch(() => knownRates.delete(operation));
    onEvent({ type: "rate-adapted", operation, ratePerSecond });
  };

  const bucketKey = (operation: UpstreamOperation) => `${resolved.rateLimitKeyPrefix}${operation}`;

  async function call<T>(
    operation: UpstreamOperation,
    send: (signal: AbortSignal) => Promise<UpstreamResult<T>>,
    callOptions: ResilientCallOptions = {},
  ): Promise<UpstreamResult<T>> {
    const policy = resolved.policies[operation];
    const maxWaitMs = callOptions.maxWaitMs ?? policy.maxWaitMs;
    const maxRetries = callOptions.maxRetries ?? policy.maxRetries;
    const { signal } = callOptions;
    const waitBound = (attempt: number) => (attempt === 0 ? (callOptions.admissionWaitMs ?? maxWaitMs) : maxWaitMs);
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const gate = admit(breaker, clock.now(), resolved.breaker);
      if (!gate.admitted) {
        onEvent({ type: "rejected", operation, reason: "circuit-open", waitMs: gate.retryInMs });
        throw circuitOpenError(operation, gate.retryInMs);
      }
      setBreaker(gate.state);
      const plan = resolved.ratePlans[operation];
      let reservation: Awaited<ReturnType<typeof limiter.reserve>>;
      try {
        reservation = await limiter.reserve(
          bucketKey(operation),
          plan,
          clock.now(),
          waitBound(attempt),
          callOptions.keepTokens ?? 0,
        );
      } catch (error) {
        setBreaker(recordAbandoned(breaker));
        throw rateLimiterError(operation, error);
      }
      if (!reservation.granted) {
        setBreaker(recordAbandoned(breaker));
        if (!callOptions.lowPriority) {
          onEvent({ type: "rejected", operation, reason: "queue-full", waitMs: reservation.waitMs });
        }
        throw queueFullError(operation, reservation.waitMs, waitBound(attempt));
      }
      try {
        if (reservation.waitMs > 0) {
          onEvent({ type: "queued", operation, waitMs: reservation.waitMs });
          await sleep(reservation.waitMs, signal);
        }
        const result = await callWithTimeout(send, policy.timeoutMs, sleep, signal);
        setBreaker(recordSuccess(breaker));
        await adaptRate(operation, result.meta.rateLimitPerSecond);
        return result;
      } catch (thrown) {
        if (signal?.aborted) {
          setBreaker(recordAbandoned(breaker));
          throw thrown;
        }
        const error =
          thrown instanceof TimeoutSignalled
            ? timeoutError(operation, policy.timeoutMs)
            : asUpstreamError(thrown, operation);
        const hostFailed = error.status === 0 || error.status >= 500;
        setBreaker(hostFailed ? recordFailure(breaker, clock.now(), resolved.breaker) : recordSuccess(breaker));
        await adaptRate(operation, error.rateLimitPerSecond);
        if (error.status === 429) {
          onEvent({ type: "throttled", operation });
          await Promise.resolve()
            .then(() => limiter.drain(bucketKey(operation), plan, clock.now()))
            .catch(() => {});
        }
        if (!error.retryable || attempt >= maxRetries) throw error;
        const delayMs = backoffDelay(attempt, { ...resolved.backoff, random: resolved.random });
        onEvent({ type: "retry", operation, attempt: attempt + 1, delayMs, status: error.status });
        await sleep(delayMs, signal);
      }
    }
  }

  return {
    [RESILIENT]: resolved,
    dialect: upstream.dialect,
    getFulfillmentPreview: (body, options) =>
      call("getFulfillmentPreview", (signal) => upstream.getFulfillmentPreview(body, { signal }), options),
    createFulfillmentOrder: (body, options) =>
      call("createFulfillmentOrder", (signal) => upstream.createFulfillmentOrder(body, { signal }), options),
    updateFulfillmentOrder: (id, body, options) =>
      call("updateFulfillmentOrder", (signal) => upstream.updateFulfillmentOrder(id, body, { signal }), options),
    getFulfillmentOrder: (id, options) =>
      call("getFulfillmentOrder", (signal) => upstream.getFulfillmentOrder(id, { signal }), options),
    cancelFulfillmentOrder: (id, options) =>
      call("cancelFulfillmentOrder", (signal) => upstream.cancelFulfillmentOrder(id, { signal }), options),
    getPackageTrackingDetails: (packageNumber, options) =>
      call(
        "getPackageTrackingDetails",
        (signal) => upstream.getPackageTrackingDetails(packageNumber, { signal }),
        options,
      ),
  };
}

/** The options a resilient upstream was built with (for a preview service layered on top of it). */
export function resilienceOptionsOf(upstream: ResilientUpstream): ResolvedOptions {
  return upstream[RESILIENT];
}

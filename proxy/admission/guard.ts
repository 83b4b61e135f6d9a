// Admission to Amazon for every operation of one merchant: the circuit breaker, a token from the merchant's bucket
// for the operation (waiting up to the policy's bound), exactly one timeout per attempt, and retries with jittered
// backoff when the failure is retryable. Retrying order operations is safe because the proxy derives
// sellerFulfillmentOrderId deterministically. The preview pipeline does its own queueing and enters with a token.
import {
  type FulfillmentDialect,
  type Operation,
  UnsupportedByDialect,
  type UpstreamResult,
} from "../fulfillment/model.ts";
import { merchantKey } from "../stores/keys.ts";
import type { RankedReservation, RateLimiterStore, Reservation } from "../stores/types.ts";
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
import type { ResolvedOptions } from "./options.ts";

export interface GuardCallOptions {
  signal?: AbortSignal;
  /** The first attempt already holds a token (the preview pipeline's demand queue took it). */
  admitted?: boolean;
  maxRetries?: number;
}

export interface Guard {
  run<T>(
    operation: Operation,
    send: (signal: AbortSignal) => Promise<UpstreamResult<T>>,
    options?: GuardCallOptions,
  ): Promise<UpstreamResult<T>>;
  /** One token now if the bucket has it (leaving `keep`), else how long until it would: never waits. */
  tryAdmit(operation: Operation, keep?: number): Promise<Reservation>;
  /**
   * The fleet-wide demand queue in the bucket's store (admission/demand-board.ts), when the store keeps one: every
   * instance sharing the bucket ranks waiting requests alike.
   */
  ranked?: RankedAdmission;
}

export interface RankedAdmission {
  /** `item` gains `change` waiting callers (negative: they left), the latest of whom waits until `deadline`. */
  want(operation: Operation, item: string, change: number, deadline: number): Promise<void>;
  /** One token now for `item` if the bucket covers it and every item ranked ahead of it: never waits. */
  tryAdmitFor(operation: Operation, item: string): Promise<RankedReservation>;
}

export function createGuard(options: ResolvedOptions, buckets: RateLimiterStore, merchant: string): Guard {
  const { clock, sleep, onEvent } = options;
  const knownRates = new Map<Operation, number>();
  let breaker: BreakerState = closedBreaker;
  const setBreaker = (next: BreakerState) => {
    if (next.status !== breaker.status) onEvent({ type: "circuit", state: next.status });
    breaker = next;
  };
  const bucketKey = (operation: Operation) => merchantKey(merchant, "bucket", operation);

  const reserve = async (operation: Operation, maxWaitMs: number, keep = 0): Promise<Reservation> => {
    try {
      return await buckets.reserve(bucketKey(operation), options.ratePlans[operation], clock.now(), maxWaitMs, keep);
    } catch (error) {
      throw rateLimiterError(operation, error);
    }
  };

  const adaptRate = async (operation: Operation, ratePerSecond: number | undefined) => {
    if (ratePerSecond === undefined || !(ratePerSecond > 0)) return;
    if ((knownRates.get(operation) ?? options.ratePlans[operation].ratePerSecond) === ratePerSecond) return;
    knownRates.set(operation, ratePerSecond);
    // Best effort: a failing shared store must not turn Amazon's answer into an error.
    await buckets
      .setRate(bucketKey(operation), options.ratePlans[operation], clock.now(), ratePerSecond)
      .catch(() => knownRates.delete(operation));
    onEvent({ type: "rate-adapted", operation, ratePerSecond });
  };

  /** The attempt gets a signal that aborts at the policy's timeout or when the caller aborts. */
  const attempt = <T>(operation: Operation, send: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal) => {
    const { timeoutMs } = options.policies[operation];
    const controller = new AbortController();
    const timer = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timedOut = sleep(timeoutMs, timer.signal).then(
      () => {
        const error = timeoutError(operation, timeoutMs);
        controller.abort(error);
        throw error;
      },
      () => new Promise<never>(() => {}),
    );
    const aborted = new Promise<never>((_, reject) => {
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    return Promise.race([send(controller.signal), timedOut, aborted]).finally(() => {
      timer.abort();
      signal?.removeEventListener("abort", onAbort);
    });
  };

  const { want, reserveFor } = buckets;
  const ranked: RankedAdmission | undefined =
    want && reserveFor
      ? {
          want: (operation, item, change, deadline) =>
            want
              .call(buckets, bucketKey(operation), options.ratePlans[operation], item, change, clock.now(), deadline)
              .catch((error: unknown) => {
                throw rateLimiterError(operation, error);
              }),
          tryAdmitFor: (operation, item) =>
            reserveFor
              .call(buckets, bucketKey(operation), options.ratePlans[operation], item, clock.now())
              .catch((error: unknown) => {
                throw rateLimiterError(operation, error);
              }),
        }
      : undefined;

  return {
    ...(ranked ? { ranked } : {}),
    tryAdmit: (operation, keep = 0) => reserve(operation, 0, keep),
    async run(operation, send, callOptions = {}) {
      const policy = options.policies[operation];
      const maxRetries = callOptions.maxRetries ?? policy.maxRetries;
      const { signal } = callOptions;
      for (let attemptNumber = 0; ; attemptNumber++) {
        signal?.throwIfAborted();
        const gate = admit(breaker, clock.now(), options.breaker);
        if (!gate.admitted) {
          onEvent({ type: "rejected", operation, reason: "circuit-open", waitMs: gate.retryInMs });
          throw circuitOpenError(operation, gate.retryInMs);
        }
        setBreaker(gate.state);
        if (!(attemptNumber === 0 && callOptions.admitted)) {
          let reservation: Reservation;
          try {
            reservation = await reserve(operation, policy.maxWaitMs);
          } catch (error) {
            setBreaker(recordAbandoned(breaker));
            throw error;
          }
          if (!reservation.granted) {
            setBreaker(recordAbandoned(breaker));
            onEvent({ type: "rejected", operation, reason: "queue-full", waitMs: reservation.waitMs });
            throw queueFullError(operation, reservation.waitMs, policy.maxWaitMs);
          }
          if (reservation.waitMs > 0) {
            onEvent({ type: "queued", operation, waitMs: reservation.waitMs });
            try {
              await sleep(reservation.waitMs, signal);
            } catch (error) {
              setBreaker(recordAbandoned(breaker));
              throw error;
            }
          }
        }
        try {
          const result = await attempt(operation, send, signal);
          setBreaker(recordSuccess(breaker));
          await adaptRate(operation, result.meta.rateLimitPerSecond);
          return result;
        } catch (thrown) {
          // Aborted, or refused by the dialect before anything was sent: nothing was learnt about Amazon's health.
          if (signal?.aborted || thrown instanceof UnsupportedByDialect) {
            setBreaker(recordAbandoned(breaker));
            throw thrown;
          }
          const error = asUpstreamError(thrown, operation);
          const hostFailed = error.status === 0 || error.status >= 500;
          setBreaker(hostFailed ? recordFailure(breaker, clock.now(), options.breaker) : recordSuccess(breaker));
          await adaptRate(operation, error.rateLimitPerSecond);
          if (error.status === 429) {
            onEvent({ type: "throttled", operation });
            await buckets.drain(bucketKey(operation), options.ratePlans[operation], clock.now()).catch(() => {});
          }
          if (!error.retryable || attemptNumber >= maxRetries) throw error;
          const delayMs = backoffDelay(attemptNumber, { ...options.backoff, random: options.random });
          onEvent({ type: "retry", operation, attempt: attemptNumber + 1, delayMs, status: error.status });
          await sleep(delayMs, signal);
        }
      }
    },
  };
}

/** The dialect's order operations, each through the guard: what the order service and routes call. */
export type GuardedOrders = Pick<
  FulfillmentDialect,
  "createOrder" | "releaseHold" | "getOrder" | "cancelOrder" | "getTracking"
>;

export function guardOrders(dialect: FulfillmentDialect, guard: Guard): GuardedOrders {
  return {
    createOrder: (order, o) => guard.run("createOrder", (signal) => dialect.createOrder(order, { signal }), o),
    releaseHold: (id, o) => guard.run("updateOrder", (signal) => dialect.releaseHold(id, { signal }), o),
    getOrder: (id, o) => guard.run("getOrder", (signal) => dialect.getOrder(id, { signal }), o),
    cancelOrder: (id, o) => guard.run("cancelOrder", (signal) => dialect.cancelOrder(id, { signal }), o),
    getTracking: (order, packageNumber, o) =>
      guard.run("getTracking", (signal) => dialect.getTracking(order, packageNumber, { signal }), o),
  };
}

// Circuit breaker: after `failureThreshold` consecutive failures (no answer, timeout, 5xx) calls fail fast for
// `openMs`; then one probe at a time is let through (half-open) and its outcome closes or re-opens the circuit.
// Pure transitions over an immutable state.

export type BreakerState =
  | { status: "closed"; failures: number }
  | { status: "open"; openedAt: number }
  | { status: "half-open"; probesInFlight: number };

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, openMs: 10_000, halfOpenProbes: 1 };

export const closedBreaker: BreakerState = { status: "closed", failures: 0 };

/** Whether a call may go out now; admitting a half-open probe counts it as in flight. */
export function admit(
  state: BreakerState,
  now: number,
  options: BreakerOptions,
): { state: BreakerState; admitted: boolean; retryInMs: number } {
  if (state.status === "closed") return { state, admitted: true, retryInMs: 0 };
  if (state.status === "open") {
    const remaining = state.openedAt + options.openMs - now;
    if (remaining > 0) return { state, admitted: false, retryInMs: remaining };
    return { state: { status: "half-open", probesInFlight: 1 }, admitted: true, retryInMs: 0 };
  }
  if (state.probesInFlight >= options.halfOpenProbes) return { state, admitted: false, retryInMs: 0 };
  return { state: { status: "half-open", probesInFlight: state.probesInFlight + 1 }, admitted: true, retryInMs: 0 };
}

export function recordSuccess(_state: BreakerState): BreakerState {
  return closedBreaker;
}

export function recordFailure(state: BreakerState, now: number, options: BreakerOptions): BreakerState {
  if (state.status === "half-open") return { status: "open", openedAt: now };
  if (state.status === "open") return state;
  const failures = state.failures + 1;
  return failures >= options.failureThreshold ? { status: "open", openedAt: now } : { status: "closed", failures };
}

/** A call that ended without telling anything about Amazon's health (the caller aborted) frees its probe slot. */
export function recordAbandoned(state: BreakerState): BreakerState {
  if (state.status !== "half-open") return state;
  return { status: "half-open", probesInFlight: Math.max(0, state.probesInFlight - 1) };
}

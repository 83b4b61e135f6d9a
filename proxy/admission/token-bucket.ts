// A token bucket per operation, as Amazon's usage plans describe them (rate per second, burst), with reservations:
// a caller that finds the bucket empty reserves a future token (tokens go negative), so callers are served in
// arrival order and the wait each one faces is known up front. Pure functions; the store decides where state lives.
import type { RatePlan } from "../fulfillment/model.ts";
import type { FieldProblem } from "../shared/invalid.ts";
import type { Reservation } from "../stores/types.ts";

export type { RatePlan, Reservation };

export interface BucketState {
  /** Tokens available now; negative when future tokens are already reserved by waiting callers. */
  tokens: number;
  updatedAt: number;
  ratePerSecond: number;
  burst: number;
}

/** What is wrong with a usage plan (empty: nothing), each problem naming its field. */
export function ratePlanProblems(plan: RatePlan): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(Number.isFinite(plan.ratePerSecond) && plan.ratePerSecond > 0)) {
    problems.push({ path: "ratePerSecond", message: `must be a positive number, got ${plan.ratePerSecond}` });
  }
  if (!(Number.isFinite(plan.burst) && plan.burst >= 1)) {
    problems.push({ path: "burst", message: `must be a number of at least 1, got ${plan.burst}` });
  }
  return problems;
}

export function createBucket(plan: RatePlan, now: number): BucketState {
  return { tokens: plan.burst, updatedAt: now, ratePerSecond: plan.ratePerSecond, burst: plan.burst };
}

/** Adds the tokens earned since `updatedAt`, never beyond the burst. */
export function refill(state: BucketState, now: number): BucketState {
  const elapsedMs = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(state.burst, state.tokens + (elapsedMs * state.ratePerSecond) / 1000);
  return { ...state, tokens, updatedAt: Math.max(now, state.updatedAt) };
}

/**
 * Takes one token, now or in the future. When the wait for it would exceed `maxWaitMs` nothing is taken and the
 * reservation is refused, so a full queue fails fast instead of growing without bound. `keep` tokens must remain
 * after the take (low-priority work such as background refreshes uses it to leave the rest for shoppers).
 */
export function reserve(
  state: BucketState,
  now: number,
  maxWaitMs: number,
  keep = 0,
): { state: BucketState; reservation: Reservation } {
  const current = refill(state, now);
  const after = current.tokens - 1;
  const waitMs = after >= keep ? 0 : Math.ceil(((keep - after) * 1000) / current.ratePerSecond);
  if (waitMs > maxWaitMs) return { state: current, reservation: { granted: false, waitMs } };
  return { state: { ...current, tokens: after }, reservation: { granted: true, waitMs } };
}

/** Adopts the rate Amazon reports in `x-amzn-RateLimit-Limit`; tokens earned so far are kept at the old rate. */
export function withRate(state: BucketState, now: number, ratePerSecond: number): BucketState {
  if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) return refill(state, now);
  return { ...refill(state, now), ratePerSecond };
}

/** After Amazon answered 429 our view of the bucket was too generous (another client shares it): empty it. */
export function drain(state: BucketState, now: number): BucketState {
  const current = refill(state, now);
  return { ...current, tokens: Math.min(current.tokens, 0) };
}

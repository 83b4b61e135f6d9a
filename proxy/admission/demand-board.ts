// The demand queue's ranking for a whole fleet: which waiting previews want a bucket's tokens, kept with the bucket
// itself in the shared store, so every instance gives the next token to the fleet's most wanted request rather than
// to its own. Each waiting shopper, on whichever instance, counts once (`want` +1 on arrival, −1 when answered or
// gone); the instance fetching a preview asks for a token with `reserveFor`, which grants it only when the tokens
// cover that request and every request ranked ahead of it (more shoppers, or as many and waiting longer). Pure
// functions; every store engine applies them atomically (Redis runs the same steps in Lua).
import { type BucketState, refill } from "./token-bucket.ts";

/** The shoppers waiting for one request, fleet-wide. */
export interface Waiting {
  demand: number;
  /** When its first shopper arrived. */
  since: number;
  /** The latest of its shoppers' wait bounds: after it, nobody waits for it any more. */
  deadline: number;
}

/** A bucket with the requests waiting for its tokens. */
export interface RankedBucket extends BucketState {
  waiting?: Record<string, Waiting>;
}

/** A reservation for a ranked request: also the latest bound of its shoppers (0 when nobody waits for it). */
export interface RankedReservation {
  granted: boolean;
  /** Granted: 0. Refused: how long until the tokens would cover this request and those ranked ahead of it. */
  waitMs: number;
  deadline: number;
}

/** The requests somebody still waits for (demand left, bound not passed). */
function live(waiting: Record<string, Waiting> | undefined, now: number): Record<string, Waiting> {
  const kept: Record<string, Waiting> = {};
  for (const [item, entry] of Object.entries(waiting ?? {})) {
    if (entry.demand > 0 && entry.deadline > now) kept[item] = entry;
  }
  return kept;
}

/** Whether `a` ranks ahead of `b`: more shoppers; among equals, waiting longer; then by name (deterministic). */
function ahead(a: [string, Waiting], b: [string, Waiting]): boolean {
  if (a[1].demand !== b[1].demand) return a[1].demand > b[1].demand;
  if (a[1].since !== b[1].since) return a[1].since < b[1].since;
  return a[0] < b[0];
}

/**
 * `item` gains `change` waiting shoppers (negative: they left), the latest of whom waits until
 * `deadline`. A request nobody waits for leaves the board; a departure never adds one.
 */
export function want<S extends RankedBucket>(state: S, item: string, change: number, now: number, deadline: number): S {
  const waiting = live(state.waiting, now);
  const known = waiting[item];
  const demand = (known?.demand ?? 0) + change;
  if (demand <= 0) delete waiting[item];
  else {
    waiting[item] = {
      demand,
      since: known?.since ?? now,
      deadline: Math.max(known?.deadline ?? Number.NEGATIVE_INFINITY, deadline),
    };
  }
  return { ...state, waiting };
}

/**
 * One token now for `item` if, after refilling, the bucket covers it and every live request ranked ahead of it,
 * leaving `keep`. A request not on the board ranks behind all of them. Granted: it leaves the board.
 */
export function reserveFor<S extends RankedBucket>(
  state: S,
  item: string,
  now: number,
  keep = 0,
): { state: S; reservation: RankedReservation } {
  const current = refill(state, now);
  const waiting = live(state.waiting, now);
  const mine = waiting[item];
  let rank = 0;
  for (const other of Object.entries(waiting)) {
    if (other[0] !== item && (!mine || ahead(other, [item, mine]))) rank++;
  }
  const after = current.tokens - 1 - rank;
  const deadline = mine?.deadline ?? 0;
  if (after >= keep) {
    delete waiting[item];
    const state = { ...current, tokens: current.tokens - 1, waiting } as S;
    return { state, reservation: { granted: true, waitMs: 0, deadline } };
  }
  const waitMs = Math.ceil(((keep - after) * 1000) / current.ratePerSecond);
  return { state: { ...current, waiting } as S, reservation: { granted: false, waitMs, deadline } };
}

/** How long the board must be kept: until the last bound on it passes (0: nothing waits). */
export function boardLifeMs(state: RankedBucket, now: number): number {
  let last = now;
  for (const entry of Object.values(state.waiting ?? {})) last = Math.max(last, entry.deadline);
  return last - now;
}

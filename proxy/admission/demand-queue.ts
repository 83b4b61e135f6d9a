// When Amazon's budget runs short, which waiting preview gets the next token? The one most shoppers are waiting for
// (identical requests are coalesced, so one call answers all of them); among equals, the one waiting longest. A
// first-come queue would spend a token on a cart one shopper asked for while ten others wait for another one.
// A waiting preview stays queued until the last of its shoppers' wait bounds (each shopper who joins extends it);
// each shopper whose own bound passes first leaves with a degraded answer, the later ones keep waiting.
import type { Clock, Sleep } from "../shared/clock.ts";

export interface DemandQueue {
  /** `key` needs a token for a caller who waits until `deadline`; from now until `untrack`, others `join` it. */
  track(key: string, deadline: number): void;
  /** One more caller waits for `key`, until `deadline` (no effect unless it is tracked). */
  join(key: string, deadline: number): void;
  untrack(key: string): void;
  /** The latest deadline of the callers waiting for `key`. */
  deadlineOf(key: string): number;
  /** Whether `key` is waiting for its turn now (not trying for or holding a token). */
  isWaiting(key: string): boolean;
  /**
   * Resolves when `key` should try for a token again: the next token is due in about `retryInMs`, and `key` is the
   * most wanted of the waiting requests. Rejects with `expired()` when its deadline passes first.
   */
  wait(key: string, retryInMs: number): Promise<void>;
  /** Requests waiting now. */
  readonly size: number;
}

export interface DemandQueueOptions {
  clock: Clock;
  sleep: Sleep;
  /** Time between tokens (1000 / rate): when the next waiter is woken after one got its turn. */
  tokenIntervalMs: () => number;
  /** The error a waiter gets when its deadline passes. */
  expired: (key: string) => unknown;
}

interface Tracked {
  demand: number;
  since: number;
  deadline: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The waiting key with the most demand, the earliest among equals. Pure. */
export function mostWanted(
  waiting: Iterable<string>,
  tracked: ReadonlyMap<string, { demand: number; since: number }>,
): string | undefined {
  let best: string | undefined;
  let bestDemand = -1;
  let bestSince = Number.POSITIVE_INFINITY;
  for (const key of waiting) {
    const { demand, since } = tracked.get(key) ?? { demand: 1, since: Number.POSITIVE_INFINITY };
    if (demand > bestDemand || (demand === bestDemand && since < bestSince)) {
      best = key;
      bestDemand = demand;
      bestSince = since;
    }
  }
  return best;
}

export function createDemandQueue(options: DemandQueueOptions): DemandQueue {
  const { clock, sleep } = options;
  const tracked = new Map<string, Tracked>();
  const waiters = new Map<string, Waiter>();
  let wakeAt = Number.POSITIVE_INFINITY;
  /** When the next token is expected: the time a waiter is woken to try for it. */
  let tokenAt = Number.POSITIVE_INFINITY;
  let timer: AbortController | undefined;

  /** One timer: the earliest of the next token and the next deadline. */
  const wakeBy = (at: number) => {
    if (at >= wakeAt) return;
    timer?.abort();
    const controller = new AbortController();
    timer = controller;
    wakeAt = at;
    sleep(Math.max(0, at - clock.now()), controller.signal).then(
      () => {
        if (timer !== controller) return;
        timer = undefined;
        wakeAt = Number.POSITIVE_INFINITY;
        pump();
      },
      () => {},
    );
  };

  const deadlineOf = (key: string) => tracked.get(key)?.deadline ?? Number.NEGATIVE_INFINITY;

  const pump = () => {
    const now = clock.now();
    for (const [key, waiter] of waiters) {
      if (deadlineOf(key) <= now) {
        waiters.delete(key);
        waiter.reject(options.expired(key));
      }
    }
    if (now >= tokenAt) {
      const next = mostWanted(waiters.keys(), tracked);
      if (next !== undefined) {
        const waiter = waiters.get(next)!;
        waiters.delete(next);
        waiter.resolve();
      }
      // The woken one takes this token (or comes back with the exact wait); the rest try at the next one.
      tokenAt = now + options.tokenIntervalMs();
    }
    if (waiters.size === 0) {
      tokenAt = Number.POSITIVE_INFINITY;
      return;
    }
    let deadline = Number.POSITIVE_INFINITY;
    for (const key of waiters.keys()) deadline = Math.min(deadline, deadlineOf(key));
    wakeBy(Math.min(deadline, tokenAt));
  };

  return {
    get size() {
      return waiters.size;
    },
    track(key, deadline) {
      tracked.set(key, { demand: 1, since: clock.now(), deadline });
    },
    join(key, deadline) {
      const known = tracked.get(key);
      if (!known) return;
      known.demand++;
      known.deadline = Math.max(known.deadline, deadline);
    },
    untrack(key) {
      tracked.delete(key);
    },
    deadlineOf,
    isWaiting: (key) => waiters.has(key),
    wait(key, retryInMs) {
      return new Promise<void>((resolve, reject) => {
        waiters.get(key)?.reject(options.expired(key));
        waiters.set(key, { resolve, reject });
        tokenAt = Math.min(tokenAt, clock.now() + Math.max(0, retryInMs));
        wakeBy(Math.min(deadlineOf(key), tokenAt));
      });
    },
  };
}

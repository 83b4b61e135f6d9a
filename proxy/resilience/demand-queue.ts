// When Amazon's budget runs short, which waiting preview gets the next token? The one most shoppers are waiting for
// (identical requests are coalesced, so one call answers all of them); among equals, the one waiting longest. A
// first-come queue would spend a token on a cart one shopper asked for while ten others wait for another one.
// Each waiting preview has a deadline (the shopper-facing wait bound); past it, it leaves the queue and degrades.
import type { Clock, Sleep } from "./clock.ts";

export interface DemandQueue {
  /** `key` needs a token: from now until `untrack`, coalesced callers `join` it. */
  track(key: string): void;
  /** One more caller waits for `key` (no effect unless it is tracked). */
  join(key: string): void;
  untrack(key: string): void;
  /**
   * Resolves when `key` should try for a token again: the next token is due in about `retryInMs`, and `key` is the
   * most wanted of the waiting requests. Rejects with `expired()` when `deadline` passes first.
   */
  wait(key: string, retryInMs: number, deadline: number): Promise<void>;
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
}

interface Waiter {
  deadline: number;
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

  const pump = () => {
    const now = clock.now();
    for (const [key, waiter] of waiters) {
      if (waiter.deadline <= now) {
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
    for (const waiter of waiters.values()) deadline = Math.min(deadline, waiter.deadline);
    wakeBy(Math.min(deadline, tokenAt));
  };

  return {
    get size() {
      return waiters.size;
    },
    track(key) {
      const known = tracked.get(key);
      if (known) known.demand++;
      else tracked.set(key, { demand: 1, since: clock.now() });
    },
    join(key) {
      const known = tracked.get(key);
      if (known) known.demand++;
    },
    untrack(key) {
      tracked.delete(key);
    },
    wait(key, retryInMs, deadline) {
      return new Promise<void>((resolve, reject) => {
        waiters.get(key)?.reject(options.expired(key));
        waiters.set(key, { deadline, resolve, reject });
        tokenAt = Math.min(tokenAt, clock.now() + Math.max(0, retryInMs));
        wakeBy(Math.min(deadline, tokenAt));
      });
    },
  };
}

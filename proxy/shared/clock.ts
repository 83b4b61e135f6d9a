// Time as a dependency: every resilience rule reads `clock.now()` and waits through `sleep`, so tests drive time
// by hand and never wait for real.

export interface Clock {
  now(): number;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      reject(signal?.reason);
      // Workers refuse to clear a timer another request set (a coalesced preview's queue can be woken by any
      // shopper's request); left alone, it fires into a settled promise, which is harmless.
      try {
        clearTimeout(timer);
      } catch {}
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

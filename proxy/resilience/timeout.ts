// Per-call timeouts: the call gets a signal that aborts when the caller aborts or when `timeoutMs` passes.
import type { Sleep } from "./clock.ts";

export class TimeoutSignalled extends Error {
  constructor() {
    super("timed out");
    this.name = "TimeoutSignalled";
  }
}

/**
 * Runs `call` with a signal aborted after `timeoutMs` (rejecting with TimeoutSignalled) or when `signal` aborts
 * (rejecting with its reason). The timer is cancelled as soon as the call settles.
 */
export function callWithTimeout<T>(
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  sleep: Sleep,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const controller = new AbortController();
  const timer = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const settle = () => {
      timer.abort();
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      settle();
      controller.abort(signal?.reason);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    sleep(timeoutMs, timer.signal).then(
      () => {
        settle();
        const reason = new TimeoutSignalled();
        controller.abort(reason);
        reject(reason);
      },
      () => {},
    );
    call(controller.signal).then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

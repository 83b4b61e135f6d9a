// Single-flight: concurrent calls with the same key share one execution. Each caller may stop waiting on its own
// signal without cancelling the shared work, which others (and the cache) still want.

export interface SingleFlight<T> {
  run(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<{ value: T; shared: boolean }>;
  readonly inFlight: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const flights = new Map<string, Promise<T>>();
  return {
    get inFlight() {
      return flights.size;
    },
    async run(key, work, signal) {
      let flight = flights.get(key);
      const shared = flight !== undefined;
      if (!flight) {
        flight = work().finally(() => flights.delete(key));
        flights.set(key, flight);
      }
      return { value: await abandonable(flight, signal), shared };
    },
  };
}

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

// The failures resilience itself raises, as UpstreamErrors with status 0 (no answer from Amazon) and a code that
// names the cause, so the routes map them like any other upstream failure.
import { UpstreamError, type UpstreamOperation } from "../upstream/types.ts";

export const RESILIENCE_ERROR_CODES = {
  queueFull: "LocalQuotaWaitExceeded",
  circuitOpen: "CircuitOpen",
  timeout: "UpstreamTimeout",
  network: "NetworkError",
} as const;

export function queueFullError(operation: UpstreamOperation, waitMs: number, maxWaitMs: number): UpstreamError {
  const message = `${operation} is rate limited: the next request slot is ${waitMs} ms away, more than the ${maxWaitMs} ms this call may wait`;
  return new UpstreamError({
    operation,
    status: 0,
    message,
    retryable: false,
    errors: [{ code: RESILIENCE_ERROR_CODES.queueFull, message }],
  });
}

export function circuitOpenError(operation: UpstreamOperation, retryInMs: number): UpstreamError {
  const message = `Amazon is failing; calls are paused for ${Math.ceil(retryInMs / 1000)} s (circuit open)`;
  return new UpstreamError({
    operation,
    status: 0,
    message,
    retryable: false,
    errors: [{ code: RESILIENCE_ERROR_CODES.circuitOpen, message }],
  });
}

export function timeoutError(operation: UpstreamOperation, timeoutMs: number): UpstreamError {
  const message = `${operation} got no answer from Amazon within ${timeoutMs} ms`;
  return new UpstreamError({
    operation,
    status: 0,
    message,
    retryable: true,
    errors: [{ code: RESILIENCE_ERROR_CODES.timeout, message }],
  });
}

/** Anything an upstream threw, as an UpstreamError (a fetch TypeError becomes a retryable network error). */
export function asUpstreamError(error: unknown, operation: UpstreamOperation): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const message = `${operation} failed before Amazon answered: ${error instanceof Error ? error.message : String(error)}`;
  return new UpstreamError({
    operation,
    status: 0,
    message,
    retryable: true,
    errors: [{ code: RESILIENCE_ERROR_CODES.network, message }],
    cause: error,
  });
}

/** A failure after which a degraded answer beats an error: throttling, Amazon down, or no answer at all. */
export function isDegradable(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && (error.status === 0 || error.status === 429 || error.status >= 500);
}

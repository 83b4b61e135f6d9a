// The failures admission itself raises, as UpstreamErrors with status 0 (no answer from Amazon) and a code that
// names the cause, so the routes map them like any other upstream failure.
import { type Operation, UpstreamError } from "../fulfillment/model.ts";

export const RESILIENCE_ERROR_CODES = {
  queueFull: "LocalQuotaWaitExceeded",
  circuitOpen: "CircuitOpen",
  timeout: "UpstreamTimeout",
  network: "NetworkError",
  rateLimiterUnavailable: "RateLimiterUnavailable",
} as const;

type ResilienceErrorCode = (typeof RESILIENCE_ERROR_CODES)[keyof typeof RESILIENCE_ERROR_CODES];

/** An error raised before or instead of Amazon's answer: status 0, with a code naming the cause. */
function localError(
  operation: Operation,
  code: ResilienceErrorCode,
  message: string,
  retryable: boolean,
  cause?: unknown,
): UpstreamError {
  return new UpstreamError({ operation, status: 0, message, retryable, errors: [{ code, message }], cause });
}

/** Refused locally: no token within the call's bound. `waitMs`: how far away the next token was. */
export function queueFullError(operation: Operation, waitMs: number, maxWaitMs: number): UpstreamError {
  const message = `${operation} is rate limited: the next request slot is ${waitMs} ms away, more than the ${maxWaitMs} ms this call may wait`;
  return localError(operation, RESILIENCE_ERROR_CODES.queueFull, message, false);
}

export function circuitOpenError(operation: Operation, retryInMs: number): UpstreamError {
  const message =
    retryInMs > 0
      ? `Amazon is failing; calls are paused for ${Math.ceil(retryInMs / 1000)} s (circuit open)`
      : "Amazon is failing; a trial call is in flight, others wait for its outcome (circuit half-open)";
  return localError(operation, RESILIENCE_ERROR_CODES.circuitOpen, message, false);
}

export function timeoutError(operation: Operation, timeoutMs: number): UpstreamError {
  const message = `${operation} got no answer from Amazon within ${timeoutMs} ms`;
  return localError(operation, RESILIENCE_ERROR_CODES.timeout, message, true);
}

/** The shared rate-limiter store failed: without a token we do not call Amazon (fail closed, degrade). */
export function rateLimiterError(operation: Operation, cause: unknown): UpstreamError {
  const message = `${operation} was not sent: the rate limiter is unavailable (${cause instanceof Error ? cause.message : String(cause)})`;
  return localError(operation, RESILIENCE_ERROR_CODES.rateLimiterUnavailable, message, false, cause);
}

/** Anything a dialect threw, as an UpstreamError (a fetch TypeError becomes a retryable network error). */
export function asUpstreamError(error: unknown, operation: Operation): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const message = `${operation} failed before Amazon answered: ${error instanceof Error ? error.message : String(error)}`;
  return localError(operation, RESILIENCE_ERROR_CODES.network, message, true, error);
}

/** Refused locally because no token was free within the call's bound. */
export function isQueueFull(error: unknown): boolean {
  return error instanceof UpstreamError && error.errors[0]?.code === RESILIENCE_ERROR_CODES.queueFull;
}

/**
 * A failure after which a degraded answer beats an error: throttling, Amazon down or answering nonsense (a
 * malformed body is status 502), or no answer at all.
 */
export function isDegradable(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && (error.status === 0 || error.status === 429 || error.status >= 500);
}

import type { Error as AmazonErrorEntry } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";

export type { AmazonErrorEntry };

/** Thrown by handlers; rendered as Amazon's `{errors: [{code, message, details}]}`. */
export class AmazonError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 429 | 500 | 503;
  readonly errors: AmazonErrorEntry[];

  constructor(status: AmazonError["status"], errors: AmazonErrorEntry[]) {
    super(errors.map((e) => e.message).join("; "));
    this.status = status;
    this.errors = errors.map((e) => ({ code: e.code, message: e.message, details: e.details ?? "" }));
  }
}

export function invalidInput(message: string, details = ""): AmazonError {
  return new AmazonError(400, [{ code: "InvalidInput", message, details }]);
}

export function invalidInputs(messages: string[]): AmazonError {
  return new AmazonError(
    400,
    messages.map((message) => ({ code: "InvalidInput", message, details: "" })),
  );
}

export function notFound(message: string): AmazonError {
  return new AmazonError(404, [{ code: "NotFound", message, details: "" }]);
}

export const ACCESS_DENIED = "Access to requested resource is denied.";

export function unauthorized(details: string): AmazonError {
  return new AmazonError(403, [{ code: "Unauthorized", message: ACCESS_DENIED, details }]);
}

export function quotaExceeded(): AmazonError {
  return new AmazonError(429, [
    { code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" },
  ]);
}

export function internalFailure(): AmazonError {
  return new AmazonError(500, [
    {
      code: "InternalFailure",
      message: "We encountered an internal error. Please try again.",
      details: "",
    },
  ]);
}

export function serviceUnavailable(): AmazonError {
  return new AmazonError(503, [
    { code: "ServiceUnavailable", message: "Service temporarily unavailable. Please try again.", details: "" },
  ]);
}

export function errorBody(error: AmazonError): { errors: AmazonErrorEntry[] } {
  return { errors: error.errors };
}

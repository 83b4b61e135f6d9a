// SP-API Fulfillment Outbound 2020-07-01 over fetch: LWA access token in x-amz-access-token, JSON bodies wrapped in
// `payload`, failures turned into UpstreamError with Amazon's request id and rate limit.
import type { TokenProvider } from "./lwa.ts";
import {
  type AmazonErrorEntry,
  type CallOptions,
  type FulfillmentUpstream,
  UpstreamError,
  type UpstreamMeta,
  type UpstreamOperation,
  type UpstreamResult,
} from "./types.ts";

export interface SpApiOptions {
  /** e.g. https://sellingpartnerapi-na.amazon.com, or the local sandbox. */
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
  timeoutMs?: number;
  userAgent?: string;
}

const BASE_PATH = "/fba/outbound/2020-07-01";

export function createSpApi20200701(options: SpApiOptions): FulfillmentUpstream {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const userAgent = options.userAgent ?? "mcf-checkout/0.1 (Language=TypeScript)";

  async function call<T>(
    operation: UpstreamOperation,
    method: "GET" | "POST" | "PUT",
    path: string,
    body: unknown,
    callOptions: CallOptions | undefined,
    retried = false,
  ): Promise<UpstreamResult<T>> {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (callOptions?.signal) signals.push(callOptions.signal);
    const signal = AbortSignal.any(signals);
    const token = await options.tokens.getAccessToken(signal);
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${BASE_PATH}${path}`, {
        method,
        headers: {
          "x-amz-access-token": token,
          "x-amz-date": amzDate(new Date()),
          "user-agent": userAgent,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (cause) {
      if (callOptions?.signal?.aborted) throw cause;
      const timedOut = (cause as Error)?.name === "TimeoutError";
      throw new UpstreamError({
        operation,
        status: 0,
        message: timedOut
          ? `Amazon timed out after ${timeoutMs} ms (${operation}).`
          : `Amazon is unreachable (${operation}).`,
        cause,
      });
    }
    const meta = readMeta(response);
    const text = await response.text().catch(() => "");
    const parsed = parseJson(text);
    if (response.ok) {
      const payload = parsed && typeof parsed === "object" && "payload" in parsed ? parsed.payload : null;
      return { data: (payload ?? null) as T, meta };
    }
    const errors = readErrors(parsed);
    // An access token Amazon no longer accepts: forget it and try once with a fresh one.
    if ((response.status === 401 || response.status === 403) && !retried && isTokenProblem(errors)) {
      options.tokens.invalidate();
      return call<T>(operation, method, path, body, callOptions, true);
    }
    throw new UpstreamError({
      operation,
      status: response.status,
      message: `Amazon answered ${response.status} to ${operation}${errors[0] ? `: ${errors[0].message}` : "."}`,
      errors,
      amznRequestId: meta.amznRequestId,
      rateLimitPerSecond: meta.rateLimitPerSecond,
    });
  }

  const id = (sellerFulfillmentOrderId: string) => `/fulfillmentOrders/${encodeURIComponent(sellerFulfillmentOrderId)}`;

  return {
    dialect: "sp-api-2020-07-01",
    getFulfillmentPreview: (body, o) => call("getFulfillmentPreview", "POST", "/fulfillmentOrders/preview", body, o),
    createFulfillmentOrder: (body, o) => call("createFulfillmentOrder", "POST", "/fulfillmentOrders", body, o),
    updateFulfillmentOrder: (orderId, body, o) => call("updateFulfillmentOrder", "PUT", id(orderId), body, o),
    getFulfillmentOrder: (orderId, o) => call("getFulfillmentOrder", "GET", id(orderId), undefined, o),
    cancelFulfillmentOrder: (orderId, o) =>
      call("cancelFulfillmentOrder", "PUT", `${id(orderId)}/cancel`, undefined, o),
    getPackageTrackingDetails: (packageNumber, o) =>
      call("getPackageTrackingDetails", "GET", `/tracking?packageNumber=${packageNumber}`, undefined, o),
  };
}

function readMeta(response: Response): UpstreamMeta {
  const meta: UpstreamMeta = { status: response.status };
  const requestId = response.headers.get("x-amzn-RequestId");
  if (requestId) meta.amznRequestId = requestId;
  const limit = Number.parseFloat(response.headers.get("x-amzn-RateLimit-Limit") ?? "");
  if (Number.isFinite(limit) && limit > 0) meta.rateLimitPerSecond = limit;
  return meta;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readErrors(body: Record<string, unknown> | undefined): AmazonErrorEntry[] {
  const list = body?.errors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const item = entry as Record<string, unknown> | null;
    if (!item || typeof item.message !== "string") return [];
    const error: AmazonErrorEntry = { code: String(item.code ?? "Error"), message: item.message };
    if (typeof item.details === "string" && item.details) error.details = item.details;
    return [error];
  });
}

function isTokenProblem(errors: AmazonErrorEntry[]): boolean {
  return errors.some((error) => /token|unauthori[sz]ed/i.test(`${error.code} ${error.message}`));
}

/** 20190430T123600Z */
function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

// What every SP-API dialect shares on the wire: the LWA access token in x-amz-access-token, JSON bodies, Amazon's
// request id and rate limit from the headers, and any failure as an UpstreamError. One retry with a fresh token
// when Amazon says the token is no longer good. No timeout here: the admission layer gives each attempt one.
import {
  MALFORMED_ANSWER,
  type Operation,
  UpstreamError,
  type UpstreamErrorEntry,
  type UpstreamMeta,
} from "../fulfillment/model.ts";
import type { TokenProvider } from "./lwa.ts";

export interface SpApiTransportOptions {
  /** e.g. https://sellingpartnerapi-na.amazon.com, or the local sandbox. */
  baseUrl: string;
  /** e.g. /fba/outbound/2020-07-01 */
  basePath: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
  userAgent?: string;
}

/** What an SP-API dialect is built from. */
export interface SpApiDialectOptions {
  /** e.g. https://sellingpartnerapi-na.amazon.com, or the local sandbox. */
  baseUrl: string;
  tokens: TokenProvider;
  fetch?: typeof fetch;
}

/** SP-API health: an LWA access token proves the credentials and the way to Amazon. */
export async function tokenHealth(
  tokens: TokenProvider,
  signal?: AbortSignal,
): Promise<{ status: "ok" | "down"; reason?: string }> {
  try {
    await tokens.getAccessToken(signal);
    return { status: "ok" };
  } catch (error) {
    return { status: "down", reason: error instanceof Error ? error.message : "token exchange failed" };
  }
}

/** The answer's text; a body cut off mid-stream is a malformed answer (unless the caller aborted). */
export async function readAnswerText(
  response: Response,
  operation: Operation,
  meta: UpstreamMeta,
  signal?: AbortSignal,
): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    if (signal?.aborted) throw signal.reason ?? cause;
    throw malformed(operation, meta, "the answer was cut off");
  }
}

export interface SpApiAnswer {
  status: number;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  meta: UpstreamMeta;
}

export type SpApiSend = (
  operation: Operation,
  method: "GET" | "POST" | "PUT",
  path: string,
  body: unknown,
  signal?: AbortSignal,
) => Promise<SpApiAnswer>;

export const USER_AGENT = "mcf-checkout/0.1 (Language=TypeScript)";

/** Sends one SP-API call; resolves with any 2xx answer, throws UpstreamError for everything else. */
export function createSpApiTransport(options: SpApiTransportOptions): SpApiSend {
  const doFetch = options.fetch ?? fetch;
  const userAgent = options.userAgent ?? USER_AGENT;

  const send: SpApiSend = async (operation, method, path, body, signal) => {
    for (let attempt = 0; ; attempt++) {
      const token = await options.tokens.getAccessToken(signal);
      let response: Response;
      try {
        response = await doFetch(`${options.baseUrl}${options.basePath}${path}`, {
          method,
          headers: {
            "x-amz-access-token": token,
            "x-amz-date": amzDate(new Date()),
            "user-agent": userAgent,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          ...(signal ? { signal } : {}),
        });
      } catch (cause) {
        if (signal?.aborted) throw signal.reason ?? cause;
        throw new UpstreamError({ operation, status: 0, message: `Amazon is unreachable (${operation}).`, cause });
      }
      const meta = readMeta(response);
      const parsed = parseJson(await readAnswerText(response, operation, meta, signal));
      if (response.ok) return { status: response.status, body: parsed, meta };
      const errors = readErrors(parsed);
      // An access token Amazon no longer accepts: forget it and try once with a fresh one.
      if ((response.status === 401 || response.status === 403) && attempt === 0 && isTokenProblem(errors)) {
        await options.tokens.invalidate();
        continue;
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
  };
  return send;
}

/** An answer that does not fit the dialect's model: retryable like a 5xx, never cached. */
export function malformed(operation: Operation, meta: UpstreamMeta, what: string): UpstreamError {
  const message = `Amazon's answer to ${operation} does not fit its model: ${what}.`;
  return new UpstreamError({
    operation,
    status: 502,
    message,
    errors: [{ code: MALFORMED_ANSWER, message }],
    amznRequestId: meta.amznRequestId,
    rateLimitPerSecond: meta.rateLimitPerSecond,
    retryable: true,
  });
}

function readMeta(response: Response): UpstreamMeta {
  const meta: UpstreamMeta = { status: response.status };
  const requestId = response.headers.get("x-amzn-RequestId");
  if (requestId) meta.amznRequestId = requestId;
  const limit = Number.parseFloat(response.headers.get("x-amzn-RateLimit-Limit") ?? "");
  if (Number.isFinite(limit) && limit > 0) meta.rateLimitPerSecond = limit;
  return meta;
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Amazon's `{errors: [{code, message, details}]}`, whichever SP-API version sent it. */
function readErrors(body: unknown): UpstreamErrorEntry[] {
  const list = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const item = entry as Record<string, unknown> | null;
    if (!item || typeof item.message !== "string") return [];
    const error: UpstreamErrorEntry = { code: String(item.code ?? "Error"), message: item.message };
    if (typeof item.details === "string" && item.details) error.details = item.details;
    return [error];
  });
}

function isTokenProblem(errors: UpstreamErrorEntry[]): boolean {
  return errors.some((error) => /token|unauthori[sz]ed/i.test(`${error.code} ${error.message}`));
}

/** 20190430T123600Z */
function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

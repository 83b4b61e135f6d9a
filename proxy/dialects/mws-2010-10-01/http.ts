// One MWS call on the wire: the parameters signed with Signature Version 2 and posted form-encoded, the XML answer
// read (xml.ts), MWS's request id and quota headers read, and every failure an UpstreamError with Amazon's codes.
import { encodeParameters, type Parameters, signParameters } from "../../../spec/mws-signature-v2.ts";
import { type Operation, UpstreamError, type UpstreamErrorEntry, type UpstreamMeta } from "../../fulfillment/model.ts";
import { malformed, readAnswerText, USER_AGENT } from "../sp-api-http.ts";
import { readXml, type XmlElement } from "./xml.ts";

export const MWS_PATH = "/FulfillmentOutboundShipment/2010-10-01";
export const MWS_VERSION = "2010-10-01";

/** Every action of the section: a quota of 30 requests, restored at 2 per second. */
export const MWS_QUOTA = { max: 30, restorePerSecond: 2 };

export interface MwsCredentials {
  sellerId: string;
  accessKeyId: string;
  secretKey: string;
  /** Delegated access: the token the seller gave the developer. */
  authToken?: string;
}

export interface MwsTransportOptions extends MwsCredentials {
  /** e.g. https://mws.amazonservices.com, or the local sandbox. */
  baseUrl: string;
  fetch?: typeof fetch;
  clock?: { now(): number };
  userAgent?: string;
}

/** What MWS's x-mws-quota-* headers say, when it sends them. */
export interface MwsQuota {
  max?: number;
  remaining?: number;
  resetsOn?: string;
}

export interface MwsAnswer {
  /** The `<Action>Result` element; an empty object when the answer has none (CreateFulfillmentOrder). */
  result: Record<string, unknown>;
  meta: UpstreamMeta;
  quota: MwsQuota;
}

export type MwsSend = (
  operation: Operation,
  action: string,
  params: Parameters,
  signal?: AbortSignal,
) => Promise<MwsAnswer>;

export function readQuota(headers: Headers): MwsQuota {
  const quota: MwsQuota = {};
  const max = Number.parseFloat(headers.get("x-mws-quota-max") ?? "");
  const remaining = Number.parseFloat(headers.get("x-mws-quota-remaining") ?? "");
  const resetsOn = headers.get("x-mws-quota-resetsOn");
  if (Number.isFinite(max)) quota.max = max;
  if (Number.isFinite(remaining)) quota.remaining = remaining;
  if (resetsOn && !Number.isNaN(Date.parse(resetsOn))) quota.resetsOn = resetsOn;
  return quota;
}

/** `<ErrorResponse><Error>…</Error><RequestID>` (MWS sends RequestID, some services RequestId). */
export function readErrorResponse(document: XmlElement | undefined): {
  errors: UpstreamErrorEntry[];
  requestId?: string;
} {
  const response = document?.ErrorResponse as Record<string, unknown> | undefined;
  if (!response || typeof response !== "object") return { errors: [] };
  const list = Array.isArray(response.Error) ? response.Error : [];
  const errors = list.flatMap((entry: unknown) => {
    const error = entry as Record<string, unknown> | null;
    if (!error || typeof error.Code !== "string") return [];
    const item: UpstreamErrorEntry = {
      code: error.Code,
      message: typeof error.Message === "string" ? error.Message : "",
    };
    if (typeof error.Detail === "string" && error.Detail) item.details = error.Detail;
    return [item];
  });
  const requestId = response.RequestID ?? response.RequestId;
  return typeof requestId === "string" && requestId ? { errors, requestId } : { errors };
}

/** Sends one action; resolves with its Result element, throws UpstreamError for everything else. */
export function createMwsTransport(options: MwsTransportOptions): MwsSend {
  for (const field of ["baseUrl", "sellerId", "accessKeyId", "secretKey"] as const)
    if (typeof options[field] !== "string" || options[field] === "")
      throw new TypeError(`MWS ${field} must be a non-empty string`);
  if (!URL.canParse(options.baseUrl)) throw new TypeError(`MWS baseUrl is not a URL: ${options.baseUrl}`);
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? Date;
  const url = `${options.baseUrl.replace(/\/+$/, "")}${MWS_PATH}`;
  const host = new URL(url).host;

  return async (operation, action, params, signal) => {
    const signed = await signParameters({
      host,
      path: MWS_PATH,
      params: {
        ...params,
        Action: action,
        SellerId: options.sellerId,
        ...(options.authToken ? { MWSAuthToken: options.authToken } : {}),
      },
      accessKeyId: options.accessKeyId,
      secretKey: options.secretKey,
      timestamp: new Date(clock.now()).toISOString(),
      version: MWS_VERSION,
    });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          "user-agent": options.userAgent ?? USER_AGENT,
          accept: "text/xml",
        },
        body: encodeParameters(signed),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw signal.reason ?? cause;
      throw new UpstreamError({ operation, status: 0, message: `Amazon MWS is unreachable (${action}).`, cause });
    }
    const quota = readQuota(response.headers);
    const meta: UpstreamMeta = { status: response.status };
    const headerId = response.headers.get("x-mws-request-id");
    if (headerId) meta.amznRequestId = headerId;
    // The quota headers say this action's plan applies: its restore rate is the sustained rate.
    if (quota.max !== undefined) meta.rateLimitPerSecond = MWS_QUOTA.restorePerSecond;
    const document = readXml(await readAnswerText(response, operation, meta, signal));

    if (!response.ok) {
      const { errors, requestId } = readErrorResponse(document);
      if (!meta.amznRequestId && requestId) meta.amznRequestId = requestId;
      const throttled = errors.some((e) => e.code === "RequestThrottled");
      throw new UpstreamError({
        operation,
        status: response.status,
        message: `Amazon MWS answered ${response.status} to ${action}${errors[0] ? `: ${errors[0].code} ${errors[0].message}` : "."}`,
        errors,
        amznRequestId: meta.amznRequestId,
        // RequestThrottled: back off and retry at the restore rate. QuotaExceeded is the hourly quota: waiting
        // seconds does not help.
        retryable: throttled || (response.status >= 500 && !errors.some((e) => e.code === "QuotaExceeded")),
        rateLimitPerSecond: throttled ? MWS_QUOTA.restorePerSecond : meta.rateLimitPerSecond,
      });
    }
    const root = document?.[`${action}Response`] as Record<string, unknown> | undefined;
    if (!root || typeof root !== "object") throw malformed(operation, meta, `no ${action}Response element`);
    const metadata = root.ResponseMetadata as Record<string, unknown> | undefined;
    const requestId = metadata?.RequestId ?? metadata?.RequestID;
    if (!meta.amznRequestId && typeof requestId === "string") meta.amznRequestId = requestId;
    const result = root[`${action}Result`];
    if (result !== undefined && result !== "" && (typeof result !== "object" || Array.isArray(result)))
      throw malformed(operation, meta, `${action}Result is not an element`);
    return { result: (result || {}) as Record<string, unknown>, meta, quota };
  };
}

// MWS Fulfillment Outbound Shipment 2010-10-01 over the same seller state as SP-API. Each action checks the
// signature and its quota, maps its parameters to the 2020-07-01 request and runs it through the 2020-07-01 routes
// of this very app, so every rule, the stock and the order book are the ones SP-API callers meet; the answer comes
// back as MWS XML, its errors as MWS error codes naming MWS parameters.
import type { Context } from "hono";
import outboundModel from "../../spec/fulfillmentOutbound_2020-07-01.json" with { type: "json" };
import { MwsAuth, MwsAuthError } from "../auth/mws.ts";
import type { SandboxApp, SandboxContext, SandboxEnv } from "../context.ts";
import type { OrderBook } from "../orders/store.ts";
import { type Bucket, fullBucket, msUntilToken, take, type UsagePlan } from "../throttle/bucket.ts";
import { mwsMessage, ORDER_TIMES, ParameterError, toRequest } from "./names.ts";
import { type Element, errorXml, type MwsErrorEntry, responseXml, toElements } from "./xml.ts";

export const MWS_PATH = "/FulfillmentOutboundShipment/2010-10-01";
export const MWS_VERSION = "2010-10-01";

/** Every action of the section: quota 30, restored at 2 per second, per seller and action. */
export const MWS_PLAN: UsagePlan = { rate: 2, burst: 30 };

/** How the 2020-07-01 model's messages say a parameter is absent. */
const MISSING = / (is required|must not be empty)\.$/;

const SP_API = "/fba/outbound/2020-07-01";

/** What an action asks of the 2020-07-01 routes. */
interface Call {
  method: "GET" | "POST" | "PUT";
  path: string;
  body?: unknown;
  /** Turns the 2020-07-01 payload into the MWS Result element (absent: the response has no Result). */
  result?: (payload: Record<string, unknown>) => Element;
  /** Applied to the seller's orders once the call succeeded. */
  afterwards?: (orders: OrderBook, sellerId: string) => void;
}

type Params = Record<string, string>;

/** Parameters every request carries for authentication, not for the action. */
const COMMON = new Set([
  "AWSAccessKeyId",
  "Action",
  "SellerId",
  "Merchant",
  "MWSAuthToken",
  "SignatureMethod",
  "SignatureVersion",
  "Timestamp",
  "Version",
  "Signature",
]);

const ORDER_NAMES = new Map(ORDER_TIMES.map(([mws, json]) => [json, mws]));

function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") throw new ParameterError(name, `${name} is required.`);
  return value;
}

function query(entries: Record<string, string | undefined>): string {
  const defined = Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return defined.length === 0 ? "" : `?${new URLSearchParams(defined)}`;
}

function orderPath(params: Params, suffix = ""): string {
  return `${SP_API}/fulfillmentOrders/${encodeURIComponent(required(params, "SellerFulfillmentOrderId"))}${suffix}`;
}

/** The action's own parameters as a 2020-07-01 body, without the given path parameters. */
function body(params: Params, ...without: string[]): Record<string, unknown> {
  const own = Object.fromEntries(Object.entries(params).filter(([name]) => !without.includes(name)));
  const request = toRequest(own);
  // MWS's older clients send Marketplace for MarketplaceId.
  if (request.marketplace !== undefined && request.marketplaceId === undefined)
    request.marketplaceId = request.marketplace;
  delete request.marketplace;
  return request;
}

/** MWS allows 1,000 characters of DisplayableOrderComment; the 2020-07-01 model, 750. */
const MWS_COMMENT_MAX = 1000;
const SP_API_COMMENT_MAX =
  outboundModel.definitions.CreateFulfillmentOrderRequest.properties.displayableOrderComment.maxLength;

/** A create or update whose comment is longer than 2020-07-01 takes: the call carries what it takes, the order the rest. */
function withMwsComment(params: Params, call: Call): Call {
  const comment = params.DisplayableOrderComment;
  if (comment === undefined || comment.length <= SP_API_COMMENT_MAX) return call;
  if (comment.length > MWS_COMMENT_MAX)
    throw new ParameterError(
      "DisplayableOrderComment",
      `DisplayableOrderComment exceeds the maximum length of ${MWS_COMMENT_MAX}.`,
    );
  const id = required(params, "SellerFulfillmentOrderId");
  return {
    ...call,
    body: { ...(call.body as object), displayableOrderComment: comment.slice(0, SP_API_COMMENT_MAX) },
    afterwards: (orders, sellerId) => {
      const order = orders.get(sellerId, id);
      if (order) order.displayableOrderComment = comment;
    },
  };
}

const listResult = (payload: Record<string, unknown>) => toElements(payload, ORDER_NAMES);

const ACTIONS: Record<string, (params: Params) => Call> = {
  GetFulfillmentPreview: (params) => ({
    method: "POST",
    path: `${SP_API}/fulfillmentOrders/preview`,
    body: body(params),
    result: (payload) => toElements(payload),
  }),
  CreateFulfillmentOrder: (params) =>
    withMwsComment(params, { method: "POST", path: `${SP_API}/fulfillmentOrders`, body: body(params) }),
  UpdateFulfillmentOrder: (params) =>
    withMwsComment(params, {
      method: "PUT",
      path: orderPath(params),
      body: body(params, "SellerFulfillmentOrderId"),
    }),
  GetFulfillmentOrder: (params) => ({
    method: "GET",
    path: orderPath(params),
    result: (payload) => toElements(payload, ORDER_NAMES),
  }),
  ListAllFulfillmentOrders: (params) => ({
    method: "GET",
    path: `${SP_API}/fulfillmentOrders${query({ queryStartDate: params.QueryStartDateTime })}`,
    result: listResult,
  }),
  ListAllFulfillmentOrdersByNextToken: (params) => ({
    method: "GET",
    path: `${SP_API}/fulfillmentOrders${query({ nextToken: required(params, "NextToken") })}`,
    result: listResult,
  }),
  GetPackageTrackingDetails: (params) => ({
    method: "GET",
    path: `${SP_API}/tracking${query({ packageNumber: required(params, "PackageNumber") })}`,
    result: (payload) => toElements(payload),
  }),
  CancelFulfillmentOrder: (params) => ({ method: "PUT", path: orderPath(params, "/cancel") }),
  ListReturnReasonCodes: (params) => ({
    method: "GET",
    path: `${SP_API}/returnReasonCodes${query({
      sellerSku: required(params, "SellerSKU"),
      marketplaceId: params.MarketplaceId,
      sellerFulfillmentOrderId: params.SellerFulfillmentOrderId,
      language: params.Language,
    })}`,
    result: (payload) => toElements(payload),
  }),
  CreateFulfillmentReturn: (params) => ({
    method: "PUT",
    path: orderPath(params, "/return"),
    body: body(params, "SellerFulfillmentOrderId"),
    result: (payload) => toElements(payload),
  }),
};

export const MWS_ACTIONS = [...Object.keys(ACTIONS), "GetServiceStatus"];

/** 2020-07-01 error codes as MWS names them. */
function mwsErrors(status: number, body: unknown): { status: number; errors: MwsErrorEntry[] } {
  const list = (body as { errors?: { code?: string; message?: string; details?: string }[] } | undefined)?.errors;
  const entries = Array.isArray(list) ? list : [];
  if (status === 429)
    return { status: 503, errors: [{ type: "Sender", code: "RequestThrottled", message: "Request is throttled" }] };
  if (status >= 500)
    return {
      status,
      errors: [
        {
          type: "Receiver",
          code: status === 503 ? "ServiceUnavailable" : "InternalError",
          message: entries[0]?.message ?? "We encountered an internal error. Please try again.",
        },
      ],
    };
  return {
    status: 400,
    errors: entries.map((entry) => {
      const message = mwsMessage(
        [entry.message ?? "", entry.details && entry.details !== "DuplicateRequest" ? entry.details : ""]
          .filter(Boolean)
          .join(": "),
      );
      return {
        type: "Sender",
        code: MISSING.test(message) ? "MissingParameter" : "InvalidParameterValue",
        message,
      };
    }),
  };
}

async function readParams(request: Request): Promise<Params> {
  const params: Params = Object.fromEntries(new URL(request.url).searchParams);
  if (request.method === "POST") Object.assign(params, Object.fromEntries(new URLSearchParams(await request.text())));
  return params;
}

export function registerMws(app: SandboxApp, ctx: SandboxContext): void {
  // Sellers may carry MWS keys next to their LWA credentials (SellerWithMws).
  const auth = new MwsAuth(ctx.lwa.sellers);
  const buckets = new Map<string, Bucket>();
  /** One access token per seller for the in-process 2020-07-01 calls. */
  const tokens = new Map<string, string>();

  const accessToken = (sellerId: string, fresh: boolean): string => {
    const cached = tokens.get(sellerId);
    if (cached && !fresh) return cached;
    const seller = ctx.lwa.sellers.find((s) => s.sellerId === sellerId);
    if (!seller) throw new Error(`no LWA credentials for seller ${sellerId}`);
    const { body } = ctx.lwa.exchange({
      grant_type: "refresh_token",
      client_id: seller.clientId,
      client_secret: seller.clientSecret,
      refresh_token: seller.refreshToken,
    });
    const token = (body as { access_token: string }).access_token;
    tokens.set(sellerId, token);
    return token;
  };

  /** Runs a 2020-07-01 call as the seller; a token the sandbox forgot (reset, expiry) is replaced once. */
  const run = async (sellerId: string, call: Call, signal: AbortSignal): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const response = await app.request(call.path, {
        method: call.method,
        headers: {
          "x-amz-access-token": accessToken(sellerId, attempt > 0),
          ...(call.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal,
      });
      if (response.status !== 403 || attempt > 0) return response;
    }
  };

  const handle = async (c: Context<SandboxEnv>): Promise<Response> => {
    const requestId = crypto.randomUUID();
    const xml = (text: string, status: number) => {
      c.header("x-mws-request-id", requestId);
      c.header("x-mws-timestamp", new Date(ctx.clock.now()).toISOString());
      c.header("content-type", "text/xml");
      return c.body(text, status as 200);
    };
    const fail = (status: number, errors: MwsErrorEntry[]) => xml(errorXml(errors, requestId), status);
    const params = await readParams(c.req.raw);
    if (params.SellerId === undefined && params.Merchant !== undefined) params.SellerId = params.Merchant;
    let sellerId: string;
    try {
      const url = new URL(c.req.url);
      sellerId = await auth.authenticate(
        { verb: c.req.method === "GET" ? "GET" : "POST", host: url.host, path: url.pathname, params },
        MWS_VERSION,
        ctx.realTime.now(),
      );
    } catch (error) {
      if (!(error instanceof MwsAuthError)) throw error;
      return fail(error.status, [{ type: "Sender", code: error.code, message: error.message }]);
    }
    const action = params.Action as string;
    const toCall = ACTIONS[action];
    if (!toCall && action !== "GetServiceStatus")
      return fail(400, [
        { type: "Sender", code: "InvalidAction", message: `The action ${action} is not valid for this section.` },
      ]);

    // The quota: per seller and action, reported on every answer.
    const now = ctx.realTime.now();
    const key = `${sellerId}\u0000${action}`;
    const taken = take(buckets.get(key) ?? fullBucket(MWS_PLAN, now), MWS_PLAN, now);
    const allowed = taken.allowed || !ctx.throttle.enforce;
    buckets.set(key, taken.bucket);
    c.header("x-mws-quota-max", String(MWS_PLAN.burst));
    c.header("x-mws-quota-remaining", String(Math.floor(taken.bucket.tokens)));
    const full = ((MWS_PLAN.burst - taken.bucket.tokens) / MWS_PLAN.rate) * 1000;
    c.header("x-mws-quota-resetsOn", new Date(now + Math.ceil(full)).toISOString());
    if (!allowed) {
      c.header("retry-after", String(Math.ceil(msUntilToken(taken.bucket, MWS_PLAN) / 1000)));
      return fail(503, [{ type: "Sender", code: "RequestThrottled", message: "Request is throttled" }]);
    }

    if (!toCall)
      return xml(
        responseXml(
          "GetServiceStatus",
          { Status: "GREEN", Timestamp: new Date(ctx.clock.now()).toISOString() },
          requestId,
        ),
        200,
      );
    let call: Call;
    try {
      const own = Object.fromEntries(Object.entries(params).filter(([name]) => !COMMON.has(name)));
      call = toCall(own);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      const code = MISSING.test(error.message) ? "MissingParameter" : "InvalidParameterValue";
      return fail(400, [{ type: "Sender", code, message: error.message }]);
    }
    const response = await run(sellerId, call, c.req.raw.signal);
    const text = await response.text();
    let answer: unknown;
    try {
      answer = text === "" ? {} : JSON.parse(text);
    } catch {
      // An injected `malformed` fault cut the 2020-07-01 answer: cut the XML the same way.
      const whole = responseXml(action, {}, requestId);
      return xml(whole.slice(0, Math.floor(whole.length / 2)), response.status);
    }
    if (!response.ok) {
      const mapped = mwsErrors(response.status, answer);
      return fail(mapped.status, mapped.errors);
    }
    call.afterwards?.(ctx.orders, sellerId);
    const payload = ((answer as { payload?: Record<string, unknown> }).payload ?? {}) as Record<string, unknown>;
    return xml(responseXml(action, call.result?.(payload), requestId), 200);
  };

  app.post(MWS_PATH, handle);
  app.get(MWS_PATH, handle);
}

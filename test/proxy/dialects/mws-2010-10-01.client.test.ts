// The MWS dialect's client against MSW-mocked MWS (a loopback URL, intercepted in-process): what it signs and
// sends, and how each kind of answer becomes data or an UpstreamError.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createMws20101001 } from "../../../proxy/dialects/mws-2010-10-01/index.ts";
import { MALFORMED_ANSWER } from "../../../proxy/fulfillment/model.ts";
import { verifySignature } from "../../../spec/mws-signature-v2.ts";
import { rejection } from "./mws-2010-10-01.support.ts";

const MWS = "http://127.0.0.1:4";
const URL = `${MWS}/FulfillmentOutboundShipment/2010-10-01`;
const NS = 'xmlns="http://mws.amazonaws.com/FulfillmentOutboundShipment/2010-10-01/"';
const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const credentials = { sellerId: "A1SELLER", accessKeyId: "AKIATEST", secretKey: "test-secret" };

const server = setupServer();
before(() => server.listen());
afterEach(() => server.resetHandlers());
after(() => server.close());

function dialect(extra: { authToken?: string } = {}) {
  return createMws20101001({ baseUrl: MWS, ...credentials, ...extra, clock: { now: () => NOW } });
}

const xml = (text: string, status = 200, headers: Record<string, string> = {}) =>
  new HttpResponse(text, { status, headers: { "content-type": "text/xml", ...headers } });

const ok = (action: string, result = "") =>
  `<?xml version="1.0"?><${action}Response ${NS}>${result ? `<${action}Result>${result}</${action}Result>` : ""}<ResponseMetadata><RequestId>rid-${action}</RequestId></ResponseMetadata></${action}Response>`;

const failure = (code: string, message: string, idTag = "RequestID") =>
  `<?xml version="1.0"?><ErrorResponse ${NS}><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message><Detail/></Error><${idTag}>rid-error</${idTag}></ErrorResponse>`;

/** Answers every call with `answer` and keeps what was sent. */
function mws(answer: (params: URLSearchParams) => Response) {
  const seen: { params: URLSearchParams; headers: Headers }[] = [];
  server.use(
    http.post(URL, async ({ request }) => {
      const params = new URLSearchParams(await request.text());
      seen.push({ params, headers: request.headers });
      return answer(params);
    }),
  );
  return seen;
}

describe("MWS client: what it sends", () => {
  test("a form POST signed with HmacSHA256 over host and section path, with SellerId, Version and Timestamp", async () => {
    const seen = mws(() => xml(ok("GetServiceStatus", "<Status>GREEN</Status>")));
    assert.deepEqual(await dialect().checkHealth(), { status: "ok" });
    const [call] = seen;
    assert.ok(call);
    assert.match(call.headers.get("content-type") ?? "", /application\/x-www-form-urlencoded/);
    const params = Object.fromEntries(call.params);
    assert.equal(params.Action, "GetServiceStatus");
    assert.equal(params.SellerId, "A1SELLER");
    assert.equal(params.AWSAccessKeyId, "AKIATEST");
    assert.equal(params.Version, "2010-10-01");
    assert.equal(params.SignatureVersion, "2");
    assert.equal(params.SignatureMethod, "HmacSHA256");
    assert.equal(params.Timestamp, new Date(NOW).toISOString());
    assert.equal(params.MWSAuthToken, undefined);
    const input = { host: "127.0.0.1:4", path: "/FulfillmentOutboundShipment/2010-10-01", params };
    assert.equal(await verifySignature(input, "test-secret"), true);
  });

  test("MWSAuthToken for delegated access is sent and signed", async () => {
    const seen = mws(() => xml(ok("CancelFulfillmentOrder")));
    await dialect({ authToken: "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE" }).cancelOrder("mcf-1");
    const params = Object.fromEntries(seen[0]?.params ?? []);
    assert.equal(params.MWSAuthToken, "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE");
    assert.equal(params.SellerFulfillmentOrderId, "mcf-1");
    assert.equal(
      await verifySignature(
        { host: "127.0.0.1:4", path: "/FulfillmentOutboundShipment/2010-10-01", params },
        "test-secret",
      ),
      true,
    );
  });

  test("each model operation calls its MWS action", async () => {
    const seen = mws((params) => {
      const action = params.get("Action") ?? "";
      if (action === "GetPackageTrackingDetails")
        return xml(ok(action, "<PackageNumber>7</PackageNumber><TrackingEvents/>"));
      return xml(ok(action));
    });
    const d = dialect();
    await d.releaseHold("mcf-1");
    await d.cancelOrder("mcf-1");
    const tracking = await d.getTracking({} as never, 7);
    assert.deepEqual(tracking.data, { packageNumber: 7, events: [] });
    assert.deepEqual(
      seen.map((s) => [
        s.params.get("Action"),
        s.params.get("SellerFulfillmentOrderId") ?? s.params.get("PackageNumber"),
      ]),
      [
        ["UpdateFulfillmentOrder", "mcf-1"],
        ["CancelFulfillmentOrder", "mcf-1"],
        ["GetPackageTrackingDetails", "7"],
      ],
    );
    assert.equal(seen[0]?.params.get("FulfillmentAction"), "Ship");
    assert.equal(tracking.meta.amznRequestId, "rid-GetPackageTrackingDetails");
  });
});

describe("MWS client: options", () => {
  test("missing credentials or a bad base URL fail at creation, naming the option", () => {
    for (const field of ["sellerId", "accessKeyId", "secretKey", "baseUrl"] as const)
      assert.throws(
        () => createMws20101001({ baseUrl: MWS, ...credentials, [field]: "" }),
        new RegExp(`MWS ${field} must be a non-empty string`),
      );
    assert.throws(
      () => createMws20101001({ baseUrl: "mws.amazonservices.com", ...credentials }),
      /baseUrl is not a URL/,
    );
  });
});

describe("MWS client: answers and failures", () => {
  test("the request id comes from x-mws-request-id, else ResponseMetadata; quota headers set the rate", async () => {
    mws(() =>
      xml(ok("GetFulfillmentPreview", "<FulfillmentPreviews/>"), 200, {
        "x-mws-request-id": "hdr-1",
        "x-mws-quota-max": "30",
        "x-mws-quota-remaining": "29",
        "x-mws-quota-resetsOn": "2026-01-05T09:00:00.500Z",
      }),
    );
    const answer = await dialect().preview({
      marketplaceId: "ATVPDKIKX0DER",
      address: { name: "x", line1: "x", postalCode: "98109", countryCode: "US" },
      items: [{ sku: "MUG", quantity: 1 }],
    });
    assert.deepEqual(answer.data, { previews: [] });
    assert.deepEqual(answer.meta, { status: 200, amznRequestId: "hdr-1", rateLimitPerSecond: 2 });
  });

  test("MWS error XML becomes an UpstreamError with Amazon's codes and RequestID or RequestId", async () => {
    for (const tag of ["RequestID", "RequestId"]) {
      mws(() => xml(failure("InvalidParameterValue", "SellerFulfillmentOrderId is bad.", tag), 400));
      const error = await rejection(dialect().getOrder("x"));
      assert.equal(error.status, 400);
      assert.equal(error.operation, "getOrder");
      assert.equal(error.retryable, false);
      assert.equal(error.amznRequestId, "rid-error");
      assert.deepEqual(error.errors, [{ code: "InvalidParameterValue", message: "SellerFulfillmentOrderId is bad." }]);
      assert.match(error.message, /InvalidParameterValue/);
    }
    mws(() => xml(failure("SignatureDoesNotMatch", "The request signature we calculated does not match."), 403));
    const denied = await rejection(dialect().getOrder("x"));
    assert.equal(denied.status, 403);
    assert.equal(denied.errors[0]?.code, "SignatureDoesNotMatch");
  });

  test("RequestThrottled is a retryable 503 carrying the restore rate; QuotaExceeded is not retryable", async () => {
    mws(() => xml(failure("RequestThrottled", "Request is throttled"), 503, { "x-mws-quota-remaining": "0" }));
    const throttled = await rejection(dialect().cancelOrder("x"));
    assert.equal(throttled.status, 503);
    assert.equal(throttled.retryable, true);
    assert.equal(throttled.rateLimitPerSecond, 2);
    assert.equal(throttled.errors[0]?.code, "RequestThrottled");

    mws(() => xml(failure("QuotaExceeded", "You exceeded your quota"), 503));
    const exceeded = await rejection(dialect().cancelOrder("x"));
    assert.equal(exceeded.status, 503);
    assert.equal(exceeded.retryable, false);

    mws(() => xml(failure("InternalError", "Try again"), 500));
    assert.equal((await rejection(dialect().cancelOrder("x"))).retryable, true);
  });

  test("a cut-off, non-XML or wrong-shaped answer is a retryable 502 MalformedAnswer", async () => {
    const cut = ok("GetFulfillmentOrder", "<FulfillmentOrder><SellerFulfillmentOrderId>x").slice(0, 120);
    for (const body of [
      cut,
      "{}",
      ok(
        "GetFulfillmentOrder",
        "<FulfillmentOrder><SellerFulfillmentOrderId>x</SellerFulfillmentOrderId></FulfillmentOrder>",
      ),
      ok("CancelFulfillmentOrder"),
    ]) {
      mws(() => xml(body));
      const error = await rejection(dialect().getOrder("x"));
      assert.equal(error.status, 502, body);
      assert.equal(error.retryable, true);
      assert.equal(error.errors[0]?.code, MALFORMED_ANSWER);
    }
  });

  test("no answer at all is status 0; an abort is the caller's", async () => {
    server.use(http.post(URL, () => HttpResponse.error()));
    const unreachable = await rejection(dialect().cancelOrder("x"));
    assert.equal(unreachable.status, 0);
    assert.equal(unreachable.retryable, true);

    mws(() => xml(ok("CancelFulfillmentOrder")));
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    await assert.rejects(dialect().cancelOrder("x", { signal: controller.signal }), /caller gave up/);
  });

  test("checkHealth: GREEN is ok; another status or a failure is down with the reason", async () => {
    mws(() => xml(ok("GetServiceStatus", "<Status>RED</Status>")));
    assert.deepEqual(await dialect().checkHealth(), { status: "down", reason: "MWS service status is RED" });
    mws(() =>
      xml(failure("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."), 403),
    );
    const down = await dialect().checkHealth();
    assert.equal(down.status, "down");
    assert.match(down.reason ?? "", /InvalidAccessKeyId/);
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MALFORMED_ANSWER, UpstreamError } from "../../proxy/fulfillment/model.ts";
import { createRedactor, type Logger, REDACTED, redactingLogger } from "../../proxy/log/index.ts";
import {
  describeIssue,
  formatPath,
  issuesToErrors,
  requestPathOf,
  upstreamProblem,
  withRequestLines,
} from "../../proxy/problems/index.ts";

describe("redaction", () => {
  const redactor = createRedactor(["super-secret-value-123", undefined, "short"]);

  test("known secrets vanish from text wherever they appear", () => {
    assert.equal(redactor.text("key=super-secret-value-123;"), `key=${REDACTED};`);
    assert.equal(
      redactor.text("short is too short to be treated as a secret"),
      "short is too short to be treated as a secret",
    );
  });
  test("Amazon token shapes and bearer credentials vanish even when unknown", () => {
    assert.equal(redactor.text("got Atza|IwEBIA-abc.def and Atzr|xyz"), `got ${REDACTED} and ${REDACTED}`);
    assert.equal(redactor.text("Authorization: Bearer abc.def"), `Authorization: ${REDACTED}`);
  });
  test("secrets learned at runtime are redacted too", () => {
    const learning = createRedactor();
    learning.add("fresh-access-token-xyz");
    assert.equal(learning.text("t=fresh-access-token-xyz"), `t=${REDACTED}`);
  });
  test("LWA tokens are redacted by their shape; one with characters outside it is kept whole", () => {
    const learning = createRedactor();
    // Not kept (a connector learns one per tenant every hour), and still gone from every text.
    for (let index = 0; index < 3; index++) learning.add(`Atza|tenant-${index}-access`);
    assert.equal(learning.text("a Atza|tenant-2-access b"), `a ${REDACTED} b`);
    learning.add("Atzr|odd!token");
    assert.equal(learning.text("x Atzr|odd!token y"), `x ${REDACTED} y`);
  });
  test("objects: secret-named keys, nested values, errors", () => {
    const value = redactor.value({
      headers: { authorization: "anything", "x-amz-access-token": "x", accept: "json" },
      client_secret: "abc",
      nested: [{ note: "super-secret-value-123" }],
      error: new Error("failed with super-secret-value-123"),
      quote: "eyJ...",
      count: 3,
    });
    assert.deepEqual(value.headers, { authorization: REDACTED, "x-amz-access-token": REDACTED, accept: "json" });
    assert.equal(value.client_secret, REDACTED);
    assert.deepEqual(value.nested, [{ note: REDACTED }]);
    assert.equal((value.error as unknown as { message: string }).message, `failed with ${REDACTED}`);
    assert.equal(value.quote, REDACTED);
    assert.equal(value.count, 3);
  });
  test("a redacting logger never passes a secret on", () => {
    const lines: string[] = [];
    const inner: Logger = { log: (level, message, fields) => lines.push(JSON.stringify({ level, message, fields })) };
    redactingLogger(inner, redactor).log("error", "boom super-secret-value-123", { detail: "super-secret-value-123" });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes("super-secret-value-123"));
  });
});

describe("problems", () => {
  test("paths read like code", () => {
    assert.equal(formatPath(["items", 0, "sku"]), "items[0].sku");
    assert.equal(formatPath([]), "body");
    assert.equal(formatPath([], "orderId"), "orderId");
  });
  test("issue sentences", () => {
    assert.equal(
      describeIssue({ code: "invalid_type", path: [], expected: "string", input: undefined }),
      "is required",
    );
    assert.equal(
      describeIssue({ code: "invalid_type", path: [], expected: "integer", input: "x" }),
      "must be an integer",
    );
    assert.equal(
      describeIssue({ code: "too_big", path: [], maximum: 50, origin: "string" }),
      "must be at most 50 characters",
    );
    assert.equal(
      describeIssue({ code: "too_small", path: [], minimum: 1, origin: "array" }),
      "must be at least 1 entries",
    );
    assert.equal(
      describeIssue({ code: "invalid_value", path: [], values: ["Ship", "Hold"] }),
      'must be one of "Ship", "Hold"',
    );
    assert.equal(describeIssue({ code: "custom", path: [], message: "must be a decimal" }), "must be a decimal");
    assert.deepEqual(issuesToErrors([{ code: "unrecognized_keys", path: ["address"], keys: ["zip"] }]), [
      { path: "address.zip", message: "is not a known field" },
    ]);
  });
  test("Amazon failures map to clear problems with Amazon's request id", () => {
    const rejected = upstreamProblem(
      new UpstreamError({
        operation: "createOrder",
        status: 400,
        message: "x",
        errors: [{ code: "InvalidInput", message: "Invalid postalCode for country" }],
        amznRequestId: "amzn-1",
      }),
    ).body;
    assert.equal(rejected.status, 422);
    assert.equal(rejected.amznRequestId, "amzn-1");
    assert.deepEqual(rejected.errors, [{ path: "address.postalCode", message: "Invalid postalCode for country" }]);
    assert.equal(
      upstreamProblem(new UpstreamError({ operation: "getOrder", status: 404, message: "x" })).body.status,
      404,
    );
    const throttled = upstreamProblem(new UpstreamError({ operation: "preview", status: 429, message: "x" }));
    assert.equal(throttled.body.status, 503);
    assert.equal(throttled.headers["retry-after"], "1");
    assert.equal(
      upstreamProblem(new UpstreamError({ operation: "getOrder", status: 0, message: "Amazon timed out after 5 ms" }))
        .body.status,
      504,
    );
    assert.equal(
      upstreamProblem(new UpstreamError({ operation: "getOrder", status: 0, message: "unreachable" })).body.status,
      502,
    );
    assert.equal(
      upstreamProblem(new UpstreamError({ operation: "getOrder", status: 503, message: "x" })).body.status,
      502,
    );
    const local = (code: string) =>
      upstreamProblem(
        new UpstreamError({
          operation: "preview",
          status: 0,
          message: "m",
          errors: [{ code, message: "m" }],
        }),
      );
    assert.equal(local("UpstreamTimeout").body.status, 504);
    assert.equal(local("CircuitOpen").body.status, 503);
    assert.equal(local("CircuitOpen").headers["retry-after"], "10");
    assert.equal(local("LocalQuotaWaitExceeded").body.status, 503);
    assert.equal(local("NetworkError").body.status, 502);
    const malformed = upstreamProblem(
      new UpstreamError({
        operation: "getOrder",
        status: 502,
        message: "Amazon's answer to getOrder does not fit its model: fulfillmentOrderItems is not a list.",
        errors: [{ code: MALFORMED_ANSWER, message: "m" }],
        amznRequestId: "amzn-9",
      }),
    ).body;
    assert.equal(malformed.status, 502);
    assert.match(malformed.title, /unreadabl/i);
    assert.equal(malformed.amznRequestId, "amzn-9");
    const credentials = upstreamProblem(
      new UpstreamError({ operation: "token", status: 401, message: "LWA rejected the credentials." }),
    ).body;
    assert.equal(credentials.status, 502);
    assert.match(credentials.title, /credentials/);
    assert.equal(
      upstreamProblem(new UpstreamError({ operation: "getOrder", status: 403, message: "x" })).body.status,
      502,
    );
  });
  test("Amazon's field names become the request's paths", () => {
    const lines = [{ sku: "MUG-1" }, { sku: "MUG-10" }, { sku: "TEE" }];
    const path = (message: string, details?: string) =>
      requestPathOf(details === undefined ? { message } : { message, details }, lines);
    assert.equal(path("Invalid sellerSku MUG-10: not in inventory"), "items[1].sku");
    assert.equal(path("Invalid sellerSku MUG-1"), "items[0].sku");
    assert.equal(path("quantity exceeds the limit", "sellerSku TEE"), "items[2].quantity");
    assert.equal(path("quantity exceeds the limit"), "items");
    assert.equal(path("giftMessage too long for TEE"), "items[2].giftMessage");
    assert.equal(path("addressLine1 is required"), "address.line1");
    assert.equal(path("Invalid city"), "address.city");
    assert.equal(path("displayableOrderComment too long"), "comment");
    assert.equal(path("Invalid displayableOrderDate"), "orderDate");
    assert.equal(path("sellerFulfillmentOrderId is invalid"), "orderId");
    assert.equal(path("shippingSpeedCategory not available"), "quote");
    assert.equal(path("Something else went wrong"), "body");
    const mapped = upstreamProblem(
      withRequestLines(
        new UpstreamError({
          operation: "createOrder",
          status: 400,
          message: "x",
          errors: [{ code: "InvalidInput", message: "Invalid sellerSku TEE" }],
        }),
        lines,
      ),
    ).body;
    assert.deepEqual(mapped.errors, [{ path: "items[2].sku", message: "Invalid sellerSku TEE" }]);
  });
});

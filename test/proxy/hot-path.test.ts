// The delivery-options hot path in-process: background refreshes handed to the runtime's waitUntil, body limits
// checked from the declared length, quotes that verify after the one-time key import.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ExecutionContext } from "hono";
import { createApp } from "../../proxy/app.ts";
import { verifyQuote } from "../../proxy/quotes/index.ts";
import { fakeDialect, manualClock, ONE_SPEED_PREVIEW, SECRETS, testConfig } from "./fixtures.ts";

function counting() {
  let calls = 0;
  const dialect = fakeDialect({
    async preview() {
      calls++;
      return { data: ONE_SPEED_PREVIEW, meta: { status: 200 } };
    },
  });
  return {
    dialect,
    get calls() {
      return calls;
    },
  };
}

const BODY = JSON.stringify({
  items: [{ sku: "A", quantity: 1 }],
  address: { countryCode: "US", postalCode: "98101" },
});
const headers = { "content-type": "application/json", authorization: `Bearer ${SECRETS.secretKey}` };

describe("delivery-options hot path", () => {
  test("a background refresh is handed to the runtime's waitUntil; without an execution context it still runs", async () => {
    const clock = manualClock();
    const fake = counting();
    const config = testConfig({ MCF_CACHE_TTL_SECONDS: "60" });
    const app = createApp(config, { dialect: fake.dialect, clock, logger: { log() {} } });
    const ask = (executionCtx?: ExecutionContext) =>
      app.fetch(
        new Request("http://proxy/v1/delivery-options", { method: "POST", headers, body: BODY }),
        {},
        executionCtx,
      );

    const first = (await (await ask()).json()) as { source: string };
    assert.equal(first.source, "live");
    assert.equal(fake.calls, 1);

    // Past refreshAfterMs (half the TTL): a cache answer plus a background refresh the runtime must wait for.
    clock.advance(40_000);
    const waited: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (promise: Promise<unknown>) => void waited.push(promise),
      passThroughOnException() {},
      props: {},
    };
    const second = (await (await ask(ctx)).json()) as { source: string };
    assert.equal(second.source, "cache");
    assert.equal(waited.length, 1, "the refresh was passed to waitUntil");
    await Promise.all(waited);
    assert.equal(fake.calls, 2, "the refresh reached Amazon");

    // Node has no execution context: the refresh runs anyway and nothing throws.
    clock.advance(40_000);
    const third = (await (await ask()).json()) as { source: string };
    assert.equal(third.source, "cache");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.calls, 3);
  });

  test("a declared Content-Length over the limit is 413 without reading the body; a streamed body is counted", async () => {
    const fake = counting();
    const app = createApp(testConfig({ MCF_MAX_BODY_BYTES: "1024" }), {
      dialect: fake.dialect,
      logger: { log() {} },
    });
    const declared = await app.request("/v1/delivery-options", {
      method: "POST",
      headers: { ...headers, "content-length": "5000" },
      body: BODY,
    });
    assert.equal(declared.status, 413);
    const streamed = await app.request("/v1/delivery-options", {
      method: "POST",
      headers,
      body: new Blob([" ".repeat(2000), BODY]).stream(),
      duplex: "half",
    } as RequestInit);
    assert.equal(streamed.status, 413);
    const fine = await app.request("/v1/delivery-options", {
      method: "POST",
      headers: { ...headers, "content-length": String(BODY.length) },
      body: BODY,
    });
    assert.equal(fine.status, 200);
    assert.equal(fake.calls, 1, "only the request within the limit reached Amazon");
  });

  test("quotes signed with the once-imported key verify, repeatedly, and fail with another key", async () => {
    const clock = manualClock();
    const config = testConfig();
    const app = createApp(config, { dialect: counting().dialect, clock, logger: { log() {} } });
    for (let round = 0; round < 3; round++) {
      const answer = (await (
        await app.request("/v1/delivery-options", { method: "POST", headers, body: BODY })
      ).json()) as { options: { quote: string; expiresAt: string }[] };
      const quote = await verifyQuote(config.quoteKeys, answer.options[0]!.quote, clock.now());
      assert.equal(quote.spd, "Standard");
      assert.equal(new Date(quote.expiresAt).toISOString(), answer.options[0]!.expiresAt);
      await assert.rejects(
        verifyQuote(
          [{ kid: "k1", secret: "another-secret-0123456789abcdef0123456789" }],
          answer.options[0]!.quote,
          clock.now(),
        ),
        /invalid signature/,
      );
    }
  });
});

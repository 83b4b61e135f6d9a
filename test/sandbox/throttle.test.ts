import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, harness, US_ADDRESS } from "./support.ts";

const previewBody = {
  address: US_ADDRESS,
  items: [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
};

test("429 QuotaExceeded after the burst of 30, then recovery at 2 requests per second", async () => {
  const h = await harness({ throttle: {} });
  const preview = () => h.call("POST", `${BASE}/fulfillmentOrders/preview`, previewBody);
  for (let i = 0; i < 30; i++) assert.equal((await preview()).status, 200, `request ${i + 1} of the burst`);
  const throttled = await preview();
  assert.equal(throttled.status, 429);
  assert.deepEqual(throttled.body, {
    errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }],
  });
  assert.equal(throttled.headers.get("x-amzn-ratelimit-limit"), "2.0");
  h.clock.advance(499);
  assert.equal((await preview()).status, 429, "not a whole token yet");
  h.clock.advance(1);
  assert.equal((await preview()).status, 200, "one token after 500 ms");
  assert.equal((await preview()).status, 429);
  h.clock.advance(1000);
  assert.equal((await preview()).status, 200);
  assert.equal((await preview()).status, 200);
  assert.equal((await preview()).status, 429, "two tokens per second");
});

test("buckets are per operation and per seller", async () => {
  const second = { clientId: "amzn1.application-oa2-client.other", clientSecret: "s2", refreshToken: "Atzr|other" };
  const { DEV_CREDENTIALS } = await import("../../sandbox/index.ts");
  const h = await harness({ throttle: {}, credentials: [DEV_CREDENTIALS, second] });
  for (let i = 0; i < 30; i++) await h.call("POST", `${BASE}/fulfillmentOrders/preview`, previewBody);
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders/preview`, previewBody)).status, 429);
  assert.equal((await h.call("GET", `${BASE}/fulfillmentOrders`)).status, 200, "another operation has its own bucket");
  const { fetchToken } = await import("./support.ts");
  const otherToken = await fetchToken(h.app, { ...second, sellerId: "A2" });
  const other = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, previewBody, {
    "x-amz-access-token": otherToken,
  });
  assert.equal(other.status, 200, "another seller has its own bucket");
});

test("deliveryOffers has its own plan: 5 per second, burst 30", async () => {
  const h = await harness({ throttle: {} });
  const body = {
    product: { productIdentifier: { merchantSku: "MUG-CERAMIC-BLUE" } },
    terms: {
      origin: { countryCode: "US" },
      destination: { deliveryAddress: { postalCode: "98109", countryCode: "US" } },
    },
  };
  for (let i = 0; i < 30; i++) assert.equal((await h.call("POST", `${BASE}/deliveryOffers`, body)).status, 200);
  assert.equal((await h.call("POST", `${BASE}/deliveryOffers`, body)).status, 429);
  h.clock.advance(1000);
  for (let i = 0; i < 5; i++) assert.equal((await h.call("POST", `${BASE}/deliveryOffers`, body)).status, 200);
  assert.equal((await h.call("POST", `${BASE}/deliveryOffers`, body)).status, 429);
});

test("throttle: false reports the plan but never throttles", async () => {
  const h = await harness({ throttle: false });
  for (let i = 0; i < 40; i++) {
    const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, previewBody);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("x-amzn-ratelimit-limit"), "2.0");
  }
});

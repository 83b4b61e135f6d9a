import assert from "node:assert/strict";
import { test } from "node:test";
import { createSandbox } from "../../sandbox/index.ts";
import { BASE, harness, US_ADDRESS } from "./support.ts";

const previewBody = {
  address: US_ADDRESS,
  items: [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
};
const preview = `${BASE}/fulfillmentOrders/preview`;

test("faults from options: 500, 503 and 429 in Amazon's shapes, per operation", async () => {
  for (const [fault, status, code] of [
    ["errorRate", 500, "InternalFailure"],
    ["unavailableRate", 503, "ServiceUnavailable"],
    ["throttleRate", 429, "QuotaExceeded"],
  ] as const) {
    const h = await harness({ faults: { getFulfillmentPreview: { [fault]: 1 } } });
    const r = await h.call("POST", preview, previewBody);
    assert.equal(r.status, status);
    assert.equal(r.body.errors[0].code, code);
    assert.equal((await h.call("GET", `${BASE}/fulfillmentOrders`)).status, 200, "other operations unaffected");
  }
});

test("count limits a storm; '*' applies to every operation", async () => {
  const h = await harness({ faults: { "*": { throttleRate: 1, count: 3 } } });
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await h.call("GET", `${BASE}/fulfillmentOrders`)).status);
  assert.deepEqual(statuses, [429, 429, 429, 200, 200]);
});

test("rates draw from the injected random source", async () => {
  const rolls = [0.05, 0.5, 0.15, 0.95];
  const h = await harness({
    faults: { getFulfillmentPreview: { errorRate: 0.1, unavailableRate: 0.1 } },
    random: () => rolls.shift() ?? 0.99,
  });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await h.call("POST", preview, previewBody)).status);
  // Rates are drawn in order: unavailable [0, 0.1), error [0.1, 0.2).
  assert.deepEqual(statuses, [503, 200, 500, 200]);
});

test("malformed bodies: the operation runs, its JSON is cut", async () => {
  const h = await harness({ faults: { getFulfillmentPreview: { malformedRate: 1 } } });
  const r = await h.call("POST", preview, previewBody, {}, true);
  assert.equal(r.status, 200);
  assert.equal(typeof r.body, "string");
  assert.throws(() => JSON.parse(r.body));
});

test("hang: no answer until the client aborts", async () => {
  const h = await harness({ faults: { getFulfillmentPreview: { hangRate: 1 } } });
  const controller = new AbortController();
  let settled = false;
  const pending = Promise.resolve(
    h.app.request(preview, {
      method: "POST",
      headers: { "x-amz-access-token": h.token, "content-type": "application/json" },
      body: JSON.stringify(previewBody),
      signal: controller.signal,
    }),
  ).then(() => {
    settled = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false);
  controller.abort();
  await pending;
  assert.equal(settled, true);
});

test("latency is added before the answer", async () => {
  const h = await harness({ faults: { getFulfillmentPreview: { latencyMs: 30 } } });
  const started = performance.now();
  assert.equal((await h.call("POST", preview, previewBody)).status, 200);
  assert.ok(performance.now() - started >= 25);
});

test("runtime control: PUT/PATCH/GET/DELETE /_sandbox/faults, bad plans refused by name", async () => {
  const h = await harness();
  const control = (method: string, body?: unknown) =>
    h.app.request("/_sandbox/faults", {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
  assert.equal((await control("PUT", { createFulfillmentOrder: { unavailableRate: 1 } })).status, 200);
  assert.equal((await control("PATCH", { getFulfillmentPreview: { errorRate: 1 } })).status, 200);
  assert.deepEqual(await (await control("GET")).json(), {
    createFulfillmentOrder: { unavailableRate: 1 },
    getFulfillmentPreview: { errorRate: 1 },
  });
  assert.equal((await h.call("POST", preview, previewBody)).status, 500);
  const bad = await control("PUT", { getFulfillmentPreview: { errorRate: 2 } });
  assert.equal(bad.status, 400);
  assert.match(
    ((await bad.json()) as { message: string }).message,
    /faults\.getFulfillmentPreview\.errorRate must be between 0 and 1/,
  );
  const unknown = await control("PATCH", { getFulfillmentPreview: { explode: 1 } });
  assert.match(((await unknown.json()) as { message: string }).message, /explode is not a known fault/);
  const misspelt = await control("PATCH", { getFulfilmentPreview: { errorRate: 1 } });
  assert.equal(misspelt.status, 400);
  assert.match(
    ((await misspelt.json()) as { message: string }).message,
    /faults\.getFulfilmentPreview names no operation/,
  );
  assert.throws(
    () => createSandbox({ faults: { createOrder: { errorRate: 1 } } }),
    /faults\.createOrder names no operation/,
  );
  const sum = await control("PUT", { "*": { errorRate: 0.6, unavailableRate: 0.6 } });
  assert.match(((await sum.json()) as { message: string }).message, /add up to more than 1/);
  assert.equal((await control("DELETE")).status, 200);
  assert.equal((await h.call("POST", preview, previewBody)).status, 200);
});

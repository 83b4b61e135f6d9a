import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, harness, orderBody } from "./support.ts";

test("POST /_sandbox/clock/advance moves sandbox time and orders with it", async () => {
  const h = await harness();
  const body = orderBody();
  await h.call("POST", `${BASE}/fulfillmentOrders`, body);
  const before = (await (await h.app.request("/_sandbox/clock")).json()) as { epochMs: number };
  const advanced = await h.app.request("/_sandbox/clock/advance", {
    method: "POST",
    body: JSON.stringify({ hours: 4, minutes: 30 }),
  });
  assert.equal(advanced.status, 200);
  const after = (await advanced.json()) as { epochMs: number; offsetMs: number };
  assert.equal(after.epochMs - before.epochMs, 4.5 * 3_600_000);
  const order = await h.call("GET", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}`);
  assert.equal(order.body.payload.fulfillmentOrder.fulfillmentOrderStatus, "Complete");
  const bad = await h.app.request("/_sandbox/clock/advance", { method: "POST", body: JSON.stringify({ weeks: 1 }) });
  assert.equal(bad.status, 400);
  const backwards = await h.app.request("/_sandbox/clock/advance", {
    method: "POST",
    body: JSON.stringify({ hours: -1 }),
  });
  assert.equal(backwards.status, 400);
});

test("GET /_sandbox/state shows stock and orders; POST /_sandbox/reset re-seeds", async () => {
  const h = await harness();
  await h.call("POST", `${BASE}/fulfillmentOrders`, orderBody());
  const state = (await (await h.app.request("/_sandbox/state")).json()) as {
    marketplaces: { countryCode: string; inventory: { sellerSku: string; reserved: number }[] }[];
    sellers: { orders: unknown[] }[];
  };
  const us = state.marketplaces.find((m) => m.countryCode === "US");
  assert.equal(us?.inventory.find((i) => i.sellerSku === "MUG-CERAMIC-BLUE")?.reserved, 2);
  assert.equal(state.sellers[0]?.orders.length, 1);
  assert.equal((await h.app.request("/_sandbox/reset", { method: "POST" })).status, 200);
  assert.equal(h.app.sandbox.inventory.get("ATVPDKIKX0DER", "MUG-CERAMIC-BLUE")?.reserved, 0);
  assert.equal(h.app.sandbox.orders.all("A1SANDBOXSELLER").length, 0);
});

test("control: false removes the control endpoints", async () => {
  const h = await harness({ control: false });
  assert.equal((await h.app.request("/_sandbox/clock")).status, 404);
});

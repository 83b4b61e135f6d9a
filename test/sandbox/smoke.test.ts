import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type RunningSandbox, startSandbox } from "../helpers/sandbox-server.ts";
import { tokenRequest } from "./support.ts";

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});

test("over real HTTP: token, preview, create, get", async () => {
  const tokenResponse = await fetch(`${sandbox.url}/auth/o2/token`, tokenRequest());
  assert.equal(tokenResponse.status, 200);
  const token = (await tokenResponse.json()) as { access_token: string; expires_in: number };
  assert.equal(token.expires_in, 3600);
  const headers = { "x-amz-access-token": token.access_token, "content-type": "application/json" };
  const items = [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }];
  const address = { name: "A", addressLine1: "1 Main St", postalCode: "98109", countryCode: "US" };

  const preview = await fetch(`${sandbox.url}/fba/outbound/2020-07-01/fulfillmentOrders/preview`, {
    method: "POST",
    headers,
    body: JSON.stringify({ marketplaceId: "ATVPDKIKX0DER", address, items }),
  });
  assert.equal(preview.status, 200);
  assert.ok(preview.headers.get("x-amzn-requestid"));
  assert.equal(preview.headers.get("x-amzn-ratelimit-limit"), "2.0");
  const previews = (await preview.json()) as { payload: { fulfillmentPreviews: { isFulfillable: boolean }[] } };
  assert.equal(previews.payload.fulfillmentPreviews.length, 3);
  assert.ok(previews.payload.fulfillmentPreviews.every((p) => p.isFulfillable));

  const create = await fetch(`${sandbox.url}/fba/outbound/2020-07-01/fulfillmentOrders`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      sellerFulfillmentOrderId: "smoke-1",
      displayableOrderId: "smoke-1",
      displayableOrderDate: new Date().toISOString(),
      displayableOrderComment: "thanks",
      shippingSpeedCategory: "Standard",
      destinationAddress: address,
      items,
    }),
  });
  assert.equal(create.status, 200);
  const get = await fetch(`${sandbox.url}/fba/outbound/2020-07-01/fulfillmentOrders/smoke-1`, { headers });
  assert.equal(get.status, 200);
  const order = (await get.json()) as { payload: { fulfillmentOrder: { fulfillmentOrderStatus: string } } };
  assert.equal(order.payload.fulfillmentOrder.fulfillmentOrderStatus, "Received");
});

test("over real HTTP: a hung operation is released when the client aborts, and the server stays healthy", async () => {
  const hung = await startSandbox({ faults: { getFeatures: { hangRate: 1, count: 1 } } });
  try {
    const token = await (await fetch(`${hung.url}/auth/o2/token`, tokenRequest())).json();
    const headers = { "x-amz-access-token": (token as { access_token: string }).access_token };
    const url = `${hung.url}/fba/outbound/2020-07-01/features?marketplaceId=ATVPDKIKX0DER`;
    await assert.rejects(fetch(url, { headers, signal: AbortSignal.timeout(100) }), { name: "TimeoutError" });
    assert.equal((await fetch(url, { headers })).status, 200);
  } finally {
    await hung.close();
  }
});

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setupServer } from "msw/node";
import { createSandbox, manualClock } from "../../sandbox/index.ts";
import { isAmazonRequest, sandboxHandlers } from "../../sandbox/msw.ts";
import { tokenRequest } from "./support.ts";

const sandbox = createSandbox({ clock: manualClock() });
const server = setupServer(...sandboxHandlers(sandbox));

before(() => server.listen({ onUnhandledFrame: "error" }));
after(() => server.close());

test("every SP-API and LWA host is routed to the sandbox, nothing else", () => {
  for (const url of [
    "https://sellingpartnerapi-na.amazon.com/fba/outbound/2020-07-01/features",
    "https://sellingpartnerapi-eu.amazon.com/x",
    "https://sellingpartnerapi-fe.amazon.com/x",
    "https://sandbox.sellingpartnerapi-na.amazon.com/x",
    "https://sandbox.sellingpartnerapi-fe.amazon.com/x",
    "https://api.amazon.com/auth/o2/token",
    "https://api.amazon.co.jp/auth/o2/token",
    "https://mws.amazonservices.com/FulfillmentOutboundShipment/2010-10-01",
    "https://mws-eu.amazonservices.com/FulfillmentOutboundShipment/2010-10-01",
    "https://mws.amazonservices.jp/FulfillmentOutboundShipment/2010-10-01",
  ]) {
    assert.equal(isAmazonRequest(new URL(url)), true, url);
  }
  for (const url of [
    "https://api.amazon.com/user/profile",
    "https://example.com/auth/o2/token",
    "https://sellingpartnerapi-xx.amazon.com/",
    "https://mws.amazonservices.example/",
  ]) {
    assert.equal(isAmazonRequest(new URL(url)), false, url);
  }
});

test("a client written for Amazon talks to the sandbox through MSW", async () => {
  const tokenResponse = await fetch("https://api.amazon.com/auth/o2/token", tokenRequest());
  assert.equal(tokenResponse.status, 200);
  const { access_token } = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(
    "https://sellingpartnerapi-fe.amazon.com/fba/outbound/2020-07-01/fulfillmentOrders/preview",
    {
      method: "POST",
      headers: { "x-amz-access-token": access_token, "content-type": "application/json" },
      body: JSON.stringify({
        address: { name: "山田", addressLine1: "1-2-3", postalCode: "153-0064", countryCode: "JP" },
        items: [{ sellerSku: "MATCHA-TIN-100G", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
        shippingSpeedCategories: ["ScheduledDelivery"],
        includeDeliveryWindows: true,
      }),
    },
  );
  assert.equal(response.status, 200);
  assert.ok(response.headers.get("x-amzn-requestid"));
  const body = (await response.json()) as { payload: { fulfillmentPreviews: { scheduledDeliveryInfo?: unknown }[] } };
  assert.ok(body.payload.fulfillmentPreviews[0]?.scheduledDeliveryInfo);
});

test("an MWS client reaches the sandbox's MWS endpoint through MSW", async () => {
  const response = await fetch("https://mws.amazonservices.com/FulfillmentOutboundShipment/2010-10-01", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=GetServiceStatus",
  });
  // Unsigned, so MWS's own refusal in MWS's own XML: proof the sandbox's MWS side answered.
  assert.match(await response.text(), /<ErrorResponse[\s\S]*<Code>MissingParameter<\/Code>/);
});

// Each seller has its own stock, over real HTTP: sellers connected through the consent page and LWA's
// authorization_code grant (SP-API 2020-07-01 and 2026-07-04), and sellers with their own MWS keys.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { DEV_APP } from "../../sandbox/auth/lwa.ts";
import { DEV_CREDENTIALS, manualClock, type SellerCredentials } from "../../sandbox/index.ts";
import { encodeParameters, type Parameters, signParameters } from "../../spec/mws-signature-v2.ts";
import { type RunningSandbox, startSandbox } from "../helpers/sandbox-server.ts";
import { BASE, orderBody, US, US_ADDRESS } from "./support.ts";

/** Two units in the US catalog: one seller's order of two drains it. */
const PRINT = "LIMITED-PRINT-A3";
const V2026 = "/fulfillment/outbound/2026-07-04";
const CALLBACK = "http://127.0.0.1:9/connect/amazon/callback";

interface Stock {
  fulfillable: number;
  reserved: number;
}

// biome-ignore lint/suspicious/noExplicitAny: replies are arbitrary JSON, checked by assertions
type Json = any;

async function stockOf(sandbox: RunningSandbox, sellerId?: string, sku = PRINT): Promise<Stock> {
  const path = sellerId === undefined ? "/_sandbox/state" : `/_sandbox/sellers/${sellerId}/state`;
  const reply = await fetch(`${sandbox.url}${path}`);
  assert.equal(reply.status, 200);
  const state = (await reply.json()) as Json;
  if (sellerId !== undefined) assert.equal(state.sellerId, sellerId);
  const row = state.marketplaces.find((m: Json) => m.id === US).inventory.find((i: Json) => i.sellerSku === sku);
  return { fulfillable: row.fulfillable, reserved: row.reserved };
}

/** A seller approves the dev app on the consent page; the code is exchanged for the seller's tokens. */
async function connect(sandbox: RunningSandbox, sellerId: string): Promise<string> {
  const approved = await fetch(`${sandbox.url}/apps/authorize/consent`, {
    method: "POST",
    body: new URLSearchParams({
      application_id: DEV_APP.applicationId,
      state: `state-${sellerId}`,
      redirect_uri: CALLBACK,
      decision: "approve",
      new_selling_partner_id: sellerId,
    }),
    redirect: "manual",
  });
  assert.equal(approved.status, 302);
  const location = new URL(approved.headers.get("location") ?? "");
  assert.equal(location.searchParams.get("selling_partner_id"), sellerId);
  const granted = await fetch(`${sandbox.url}/auth/o2/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: location.searchParams.get("spapi_oauth_code") ?? "",
      redirect_uri: CALLBACK,
      client_id: DEV_APP.clientId,
      client_secret: DEV_APP.clientSecret,
    }),
  });
  assert.equal(granted.status, 200);
  return ((await granted.json()) as { access_token: string }).access_token;
}

async function call(sandbox: RunningSandbox, token: string, method: string, path: string, body?: unknown) {
  const reply = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      "x-amz-access-token": token,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await reply.text();
  return { status: reply.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** A createFulfillmentOrder of two prints (all the catalog has in the US). */
const printOrder = (overrides: Record<string, unknown> = {}) =>
  orderBody({ items: [{ sellerSku: PRINT, sellerFulfillmentOrderItemId: "1", quantity: 2 }], ...overrides });

/** The Standard preview of `quantity` prints: fulfillable, or why not. */
async function preview(sandbox: RunningSandbox, token: string, quantity: number) {
  const reply = await call(sandbox, token, "POST", `${BASE}/fulfillmentOrders/preview`, {
    address: US_ADDRESS,
    items: [{ sellerSku: PRINT, sellerFulfillmentOrderItemId: "1", quantity }],
    shippingSpeedCategories: ["Standard"],
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  const standard = reply.body.payload.fulfillmentPreviews[0];
  return {
    fulfillable: standard.isFulfillable as boolean,
    shipments: (standard.fulfillmentPreviewShipments ?? []).length as number,
    reasons: (standard.unfulfillablePreviewItems ?? []).flatMap((i: Json) => i.itemUnfulfillableReasons ?? []),
  };
}

describe("SP-API: sellers connected through consent each have their own stock", () => {
  const clock = manualClock();
  let sandbox: RunningSandbox;
  let a: string;
  let b: string;
  before(async () => {
    sandbox = await startSandbox({ clock, throttle: false });
  });
  beforeEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
    a = await connect(sandbox, "A1STOCKSELLERA");
    b = await connect(sandbox, "A2STOCKSELLERB");
  });
  after(() => sandbox.close());

  test("A's order drains A's stock only: A's preview shows it gone, B still gets options; cancel returns to A", async () => {
    const seeded = await stockOf(sandbox);
    assert.deepEqual(seeded, { fulfillable: 2, reserved: 0 });
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), seeded, "a new seller starts from the catalog");

    const order = printOrder({ fulfillmentAction: "Hold" });
    assert.equal((await call(sandbox, a, "POST", `${BASE}/fulfillmentOrders`, order)).status, 200);
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), { fulfillable: 0, reserved: 2 });
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), seeded);
    assert.deepEqual(await stockOf(sandbox), seeded, "the default seller's stock is untouched too");

    const drained = await preview(sandbox, a, 1);
    assert.equal(drained.fulfillable, false);
    assert.deepEqual(drained.reasons, ["InventoryUnavailable"]);
    const other = await preview(sandbox, b, 2);
    assert.equal(other.fulfillable, true);
    assert.ok(other.shipments > 0, "B gets a shipment for its two prints");

    const again = await call(sandbox, a, "POST", `${BASE}/fulfillmentOrders`, printOrder());
    assert.equal(again.status, 400);
    assert.match(again.body.errors[0].message, /requested 2, available 0/);

    const cancelled = await call(
      sandbox,
      a,
      "PUT",
      `${BASE}/fulfillmentOrders/${order.sellerFulfillmentOrderId}/cancel`,
    );
    assert.equal(cancelled.status, 200);
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), seeded);
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), seeded);
    assert.equal((await preview(sandbox, a, 2)).fulfillable, true);
  });

  test("B can sell what A sold out; each seller's Hold expiry returns only its own units", async () => {
    const held = printOrder({ fulfillmentAction: "Hold" });
    assert.equal((await call(sandbox, a, "POST", `${BASE}/fulfillmentOrders`, held)).status, 200);
    assert.equal((await call(sandbox, b, "POST", `${BASE}/fulfillmentOrders`, printOrder())).status, 200);
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), { fulfillable: 0, reserved: 2 });
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), { fulfillable: 0, reserved: 2 });
    // 14 days on: A's hold has expired (stock back), B's order has shipped (stock gone).
    await fetch(`${sandbox.url}/_sandbox/clock/advance`, { method: "POST", body: JSON.stringify({ days: 15 }) });
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), { fulfillable: 2, reserved: 0 });
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), { fulfillable: 0, reserved: 0 });
  });

  test("2026-07-04 reserves and cancels from the seller's stock: A's offers are out of stock, B's are not", async () => {
    const orderId = "STOCK-2026-A";
    const created = await call(sandbox, a, "POST", `${V2026}/orders`, {
      orderId,
      destination: { deliveryAddress: US_ADDRESS },
      lineItems: [
        {
          lineItemId: "1",
          product: { productIdentifier: { amazonSku: PRINT } },
          amount: { unit: "EACHES", value: "2.0" },
        },
      ],
      fulfillmentConfiguration: {
        serviceLevel: { serviceTiers: ["STANDARD"] },
        action: "HOLD",
        policy: "FILL_OR_KILL",
        services: {
          packaging: { packingSlip: { templateAttributes: { orderId, orderTime: "2026-01-05T09:00:00Z" } } },
        },
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const offers = async (token: string) =>
      (
        await call(sandbox, token, "POST", `${V2026}/offers`, {
          origin: { countryCode: "US" },
          items: [{ productIdentifier: { amazonSku: PRINT } }],
        })
      ).body.offerResults[0];
    assert.equal((await offers(a)).constraints[0].code, "ItemQuantityNotAvailable");
    assert.ok((await offers(b)).offers.length > 0);
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), { fulfillable: 2, reserved: 0 });
    assert.equal((await call(sandbox, a, "PUT", `${V2026}/orders/${orderId}/cancel`)).status, 202);
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), { fulfillable: 2, reserved: 0 });
  });

  test("FBA Inventory operations add to the calling seller's stock; reset re-seeds every seller", async () => {
    const added = await fetch(`${sandbox.url}/fba/inventory/v1/items/inventory`, {
      method: "POST",
      headers: { "x-amz-access-token": b, "x-amzn-idempotency-token": "b-adds", "content-type": "application/json" },
      body: JSON.stringify({ inventoryItems: [{ sellerSku: PRINT, marketplaceId: US, quantity: 5 }] }),
    });
    assert.equal(added.status, 200);
    assert.equal((await call(sandbox, a, "POST", `${BASE}/fulfillmentOrders`, printOrder())).status, 200);
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), { fulfillable: 7, reserved: 0 });
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), { fulfillable: 0, reserved: 2 });
    assert.equal((await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" })).status, 200);
    assert.deepEqual(await stockOf(sandbox, "A1STOCKSELLERA"), { fulfillable: 2, reserved: 0 });
    assert.deepEqual(await stockOf(sandbox, "A2STOCKSELLERB"), { fulfillable: 2, reserved: 0 });
  });
});

describe("MWS: each seller's keys act on that seller's stock", () => {
  const PATH = "/FulfillmentOutboundShipment/2010-10-01";
  const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === "member" });
  const sellers = ["A1MWSSELLERA", "A2MWSSELLERB"].map(
    (sellerId, i): SellerCredentials => ({
      ...DEV_CREDENTIALS,
      refreshToken: `Atzr|mws-${i}`,
      sellerId,
      mws: { accessKeyId: `AKIASTOCKTEST${i}`, secretKey: `stock-test-secret-${i}` },
    }),
  );
  const clock = manualClock();
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ clock, throttle: false, credentials: sellers });
  });
  after(() => sandbox.close());

  const mws = async (seller: SellerCredentials, action: string, params: Parameters) => {
    const signed = await signParameters({
      host: new URL(sandbox.url).host,
      path: PATH,
      params: { Action: action, SellerId: seller.sellerId ?? "", ...params },
      accessKeyId: seller.mws?.accessKeyId ?? "",
      secretKey: seller.mws?.secretKey ?? "",
      timestamp: new Date(clock.now()).toISOString(),
      version: "2010-10-01",
    });
    const reply = await fetch(`${sandbox.url}${PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: encodeParameters(signed),
    });
    const text = await reply.text();
    assert.equal(reply.status, 200, text);
    return parser.parse(text) as Json;
  };
  const address = (prefix: string): Parameters => ({
    [`${prefix}.Name`]: US_ADDRESS.name,
    [`${prefix}.Line1`]: US_ADDRESS.addressLine1,
    [`${prefix}.City`]: US_ADDRESS.city,
    [`${prefix}.StateOrProvinceCode`]: US_ADDRESS.stateOrRegion,
    [`${prefix}.PostalCode`]: US_ADDRESS.postalCode,
    [`${prefix}.CountryCode`]: US_ADDRESS.countryCode,
  });
  const items = (quantity: number): Parameters => ({
    "Items.member.1.SellerSKU": PRINT,
    "Items.member.1.SellerFulfillmentOrderItemId": "1",
    "Items.member.1.Quantity": String(quantity),
  });
  const fulfillable = async (seller: SellerCredentials, quantity: number) => {
    const answer = await mws(seller, "GetFulfillmentPreview", {
      MarketplaceId: US,
      ...address("Address"),
      ...items(quantity),
      "ShippingSpeedCategories.member.1": "Standard",
    });
    return answer.GetFulfillmentPreviewResponse.GetFulfillmentPreviewResult.FulfillmentPreviews.member[0]
      .IsFulfillable as string;
  };

  test("A's MWS order drains A's stock only, B still previews; MWS cancel returns to A", async () => {
    const [a, b] = sellers as [SellerCredentials, SellerCredentials];
    assert.equal(await stockOf(sandbox).then((s) => s.fulfillable), 2, "default seller: the first configured one");
    await mws(a, "CreateFulfillmentOrder", {
      MarketplaceId: US,
      SellerFulfillmentOrderId: "MWS-STOCK-A",
      DisplayableOrderId: "MWS-STOCK-A",
      DisplayableOrderDateTime: "2026-01-05T08:00:00Z",
      DisplayableOrderComment: "Thank you",
      ShippingSpeedCategory: "Standard",
      FulfillmentAction: "Hold",
      ...address("DestinationAddress"),
      ...items(2),
    });
    assert.deepEqual(await stockOf(sandbox, "A1MWSSELLERA"), { fulfillable: 0, reserved: 2 });
    assert.deepEqual(await stockOf(sandbox), { fulfillable: 0, reserved: 2 }, "A is the default seller here");
    assert.deepEqual(await stockOf(sandbox, "A2MWSSELLERB"), { fulfillable: 2, reserved: 0 });
    assert.equal(await fulfillable(a, 1), "false");
    assert.equal(await fulfillable(b, 2), "true");
    await mws(a, "CancelFulfillmentOrder", { SellerFulfillmentOrderId: "MWS-STOCK-A" });
    assert.deepEqual(await stockOf(sandbox, "A1MWSSELLERA"), { fulfillable: 2, reserved: 0 });
    assert.deepEqual(await stockOf(sandbox, "A2MWSSELLERB"), { fulfillable: 2, reserved: 0 });
  });
});

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { DEV_MWS_KEYS, DEV_MWS_SELLER_ID, type SellerWithMws } from "../../sandbox/auth/mws.ts";
import { DEV_CREDENTIALS, type ManualClock, manualClock, type SandboxOptions } from "../../sandbox/index.ts";
import { encodeParameters, type Parameters, signParameters } from "../../spec/mws-signature-v2.ts";
import { type RunningSandbox, startSandbox } from "../helpers/sandbox-server.ts";
import { fetchToken, JP, US_ADDRESS as SP_API_US_ADDRESS, US } from "./support.ts";

const PATH = "/FulfillmentOutboundShipment/2010-10-01";
const MINUTE = 60_000;
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === "member" || name === "Error" });

interface Keys {
  sellerId: string;
  accessKeyId: string;
  secretKey: string;
}
const DEV_KEYS: Keys = { sellerId: DEV_MWS_SELLER_ID, ...DEV_MWS_KEYS };

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML, checked by assertions
  xml: any;
  text: string;
}

interface Harness {
  sandbox: RunningSandbox;
  clock: ManualClock;
  /** A signed MWS call; `tamper` changes the signed parameters before they are sent. */
  mws(
    action: string,
    params?: Parameters,
    options?: {
      keys?: Keys;
      timestamp?: string;
      verb?: "GET" | "POST";
      method?: "HmacSHA256" | "HmacSHA1";
      tamper?: (p: Parameters) => void;
    },
  ): Promise<Answer>;
  /** A 2020-07-01 call with the seller's LWA token: the other dialect on the same state. */
  spApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

async function start(options: SandboxOptions = {}): Promise<Harness> {
  const clock = manualClock();
  const sandbox = await startSandbox({ clock, tokenLifetimeSeconds: 365 * 86_400, ...options });
  const host = new URL(sandbox.url).host;
  return {
    sandbox,
    clock,
    async mws(action, params = {}, options = {}) {
      const keys = options.keys ?? DEV_KEYS;
      const signed = await signParameters({
        host,
        path: PATH,
        params: { Action: action, SellerId: keys.sellerId, ...params },
        accessKeyId: keys.accessKeyId,
        secretKey: keys.secretKey,
        timestamp: options.timestamp ?? new Date(clock.now()).toISOString(),
        version: "2010-10-01",
        ...(options.method ? { signatureMethod: options.method } : {}),
        ...(options.verb ? { verb: options.verb } : {}),
      });
      options.tamper?.(signed);
      const encoded = encodeParameters(signed);
      const response =
        options.verb === "GET"
          ? await fetch(`${sandbox.url}${PATH}?${encoded}`)
          : await fetch(`${sandbox.url}${PATH}`, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
              body: encoded,
            });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, xml: parser.parse(text) };
    },
    async spApi(method, path, body) {
      const response = await fetch(`${sandbox.url}/fba/outbound/2020-07-01${path}`, {
        method,
        headers: {
          // A fresh token each time: a reset forgets tokens.
          "x-amz-access-token": await fetchToken(sandbox.app),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    },
  };
}

function errorOf(answer: Answer): { Type: string; Code: string; Message: string }[] {
  assert.ok(answer.xml.ErrorResponse, `expected an ErrorResponse, got ${answer.text}`);
  assert.ok(answer.xml.ErrorResponse.RequestID, "the error names its RequestID");
  return answer.xml.ErrorResponse.Error;
}

function assertError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  const errors = errorOf(answer);
  assert.ok(
    errors.some((e) => e.Code === code && (!message || message.test(e.Message))),
    `expected ${code} ${message ?? ""} in ${answer.text}`,
  );
}

const US_ADDRESS: Parameters = {
  "DestinationAddress.Name": "Jane Doe",
  "DestinationAddress.Line1": "410 Terry Ave N",
  "DestinationAddress.City": "Seattle",
  "DestinationAddress.StateOrProvinceCode": "WA",
  "DestinationAddress.PostalCode": "98109",
  "DestinationAddress.CountryCode": "US",
};

function previewAddress(address: Parameters): Parameters {
  return Object.fromEntries(Object.entries(address).map(([k, v]) => [k.replace("DestinationAddress.", "Address."), v]));
}

const JP_ADDRESS: Parameters = {
  "DestinationAddress.Name": "山田 太郎",
  "DestinationAddress.Line1": "1-2-3 Shimomeguro",
  "DestinationAddress.City": "Meguro-ku",
  "DestinationAddress.StateOrProvinceCode": "Tokyo",
  "DestinationAddress.PostalCode": "153-0064",
  "DestinationAddress.CountryCode": "JP",
  "DestinationAddress.PhoneNumber": "03-1234-5678",
};

let counter = 0;
function usOrder(overrides: Parameters = {}): Parameters {
  counter += 1;
  return {
    MarketplaceId: US,
    SellerFulfillmentOrderId: `MWS-US-${counter}`,
    DisplayableOrderId: `MWS-US-${counter}`,
    DisplayableOrderDateTime: "2026-01-05T08:00:00Z",
    DisplayableOrderComment: "Thank you for your order",
    ShippingSpeedCategory: "Standard",
    ...US_ADDRESS,
    "Items.member.1.SellerSKU": "MUG-CERAMIC-BLUE",
    "Items.member.1.SellerFulfillmentOrderItemId": "1",
    "Items.member.1.Quantity": "2",
    ...overrides,
  };
}

/** A JP Scheduled Delivery preview of one mug, asking for its windows. */
function jpScheduledPreview(overrides: Parameters = {}): Parameters {
  return {
    MarketplaceId: JP,
    ...previewAddress(JP_ADDRESS),
    "Items.member.1.SellerSKU": "MUG-CERAMIC-BLUE",
    "Items.member.1.SellerFulfillmentOrderItemId": "1",
    "Items.member.1.Quantity": "1",
    "ShippingSpeedCategories.member.1": "ScheduledDelivery",
    IncludeDeliveryWindows: "true",
    ...overrides,
  };
}

/** The first Scheduled Delivery window a JP preview offers right now. */
async function firstWindow(h: Harness): Promise<{ start: string; end: string }> {
  const answer = await h.mws("GetFulfillmentPreview", jpScheduledPreview());
  assert.equal(answer.status, 200, answer.text);
  const preview = answer.xml.GetFulfillmentPreviewResponse.GetFulfillmentPreviewResult.FulfillmentPreviews.member[0];
  const window = preview.ScheduledDeliveryInfo.DeliveryWindows.member[0];
  return { start: window.StartDateTime, end: window.EndDateTime };
}

/** MWS's own CreateFulfillmentOrder example: JP, COD, ScheduledDelivery, two items, two notification e-mails. */
function mwsExampleOrder(window: { start: string; end: string }): Parameters {
  return {
    MarketplaceId: JP,
    SellerFulfillmentOrderId: "TestOrder1",
    DisplayableOrderId: "TestOrder1",
    DisplayableOrderDateTime: "2026-01-05T08:00:00Z",
    DisplayableOrderComment: "TestOrder",
    ShippingSpeedCategory: "ScheduledDelivery",
    FulfillmentAction: "Ship",
    FulfillmentPolicy: "FillOrKill",
    "DeliveryWindow.StartDateTime": window.start,
    "DeliveryWindow.EndDateTime": window.end,
    ...JP_ADDRESS,
    "CODSettings.IsCODRequired": "true",
    "CODSettings.CODCharge.CurrencyCode": "JPY",
    "CODSettings.CODCharge.Value": "10",
    "CODSettings.CODChargeTax.CurrencyCode": "JPY",
    "CODSettings.CODChargeTax.Value": "10",
    "CODSettings.ShippingCharge.CurrencyCode": "JPY",
    "CODSettings.ShippingCharge.Value": "10",
    "CODSettings.ShippingChargeTax.CurrencyCode": "JPY",
    "CODSettings.ShippingChargeTax.Value": "10",
    "Items.member.1.SellerSKU": "MUG-CERAMIC-BLUE",
    "Items.member.1.SellerFulfillmentOrderItemId": "TestOrder1-1",
    "Items.member.1.Quantity": "1",
    "Items.member.1.GiftMessage": "TestOrder",
    "Items.member.1.DisplayableComment": "TestOrder",
    "Items.member.1.PerUnitDeclaredValue.CurrencyCode": "JPY",
    "Items.member.1.PerUnitDeclaredValue.Value": "10",
    "Items.member.1.PerUnitPrice.CurrencyCode": "JPY",
    "Items.member.1.PerUnitPrice.Value": "10",
    "Items.member.1.PerUnitTax.CurrencyCode": "JPY",
    "Items.member.1.PerUnitTax.Value": "10",
    "Items.member.2.SellerSKU": "TEE-ORGANIC-M",
    "Items.member.2.SellerFulfillmentOrderItemId": "TestOrder1-2",
    "Items.member.2.Quantity": "1",
    "Items.member.2.GiftMessage": "TestOrder",
    "Items.member.2.DisplayableComment": "TestOrder",
    "Items.member.2.PerUnitDeclaredValue.CurrencyCode": "JPY",
    "Items.member.2.PerUnitDeclaredValue.Value": "10",
    "Items.member.2.PerUnitPrice.CurrencyCode": "JPY",
    "Items.member.2.PerUnitPrice.Value": "10",
    "Items.member.2.PerUnitTax.CurrencyCode": "JPY",
    "Items.member.2.PerUnitTax.Value": "10",
    "NotificationEmailList.member.1": "test1@example.com",
    "NotificationEmailList.member.2": "test2@example.com",
  };
}

describe("MWS endpoint: authentication", () => {
  let h: Harness;
  before(async () => {
    h = await start({ throttle: false });
  });
  after(() => h.sandbox.close());

  test("GetServiceStatus signed with HmacSHA256 or HmacSHA1, by form POST or GET query", async () => {
    for (const method of ["HmacSHA256", "HmacSHA1"] as const) {
      for (const verb of ["POST", "GET"] as const) {
        const answer = await h.mws("GetServiceStatus", {}, { method, verb });
        assert.equal(answer.status, 200, answer.text);
        const response = answer.xml.GetServiceStatusResponse;
        assert.equal(response.GetServiceStatusResult.Status, "GREEN");
        assert.equal(response.GetServiceStatusResult.Timestamp, new Date(h.clock.now()).toISOString());
        assert.ok(response.ResponseMetadata.RequestId);
        assert.equal(answer.headers.get("x-mws-request-id"), response.ResponseMetadata.RequestId);
        assert.match(answer.headers.get("content-type") ?? "", /xml/);
        assert.match(answer.text, /xmlns="http:\/\/mws\.amazonaws\.com\/FulfillmentOutboundShipment\/2010-10-01\/"/);
      }
    }
  });

  test("a wrong signature is SignatureDoesNotMatch", async () => {
    assertError(
      await h.mws("GetServiceStatus", {}, { keys: { ...DEV_KEYS, secretKey: "wrong" } }),
      403,
      "SignatureDoesNotMatch",
    );
    // Signed, then changed in transit.
    const tampered = await h.mws("GetServiceStatus", {}, { tamper: (p) => Object.assign(p, { Extra: "1" }) });
    assertError(tampered, 403, "SignatureDoesNotMatch");
    // Signed for POST, sent as GET.
    const signed = await signParameters({
      host: new URL(h.sandbox.url).host,
      path: PATH,
      params: { Action: "GetServiceStatus", SellerId: DEV_KEYS.sellerId },
      accessKeyId: DEV_KEYS.accessKeyId,
      secretKey: DEV_KEYS.secretKey,
      timestamp: new Date(h.clock.now()).toISOString(),
      version: "2010-10-01",
    });
    const response = await fetch(`${h.sandbox.url}${PATH}?${encodeParameters(signed)}`);
    assert.equal(response.status, 403);
    assert.match(await response.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  test("a Timestamp more than 15 minutes off is RequestExpired; within 15 minutes it passes", async () => {
    const at = (offset: number) => new Date(h.clock.now() + offset).toISOString();
    assertError(await h.mws("GetServiceStatus", {}, { timestamp: at(-16 * MINUTE) }), 400, "RequestExpired");
    assertError(await h.mws("GetServiceStatus", {}, { timestamp: at(16 * MINUTE) }), 400, "RequestExpired");
    assert.equal((await h.mws("GetServiceStatus", {}, { timestamp: at(-14 * MINUTE) })).status, 200);
    assertError(
      await h.mws("GetServiceStatus", {}, { timestamp: "yesterday" }),
      400,
      "InvalidParameterValue",
      /Timestamp/,
    );
  });

  test("an unknown access key is InvalidAccessKeyId; another seller's id is AccessDenied", async () => {
    assertError(
      await h.mws("GetServiceStatus", {}, { keys: { ...DEV_KEYS, accessKeyId: "AKIAUNKNOWN" } }),
      403,
      "InvalidAccessKeyId",
    );
    assertError(
      await h.mws("GetServiceStatus", {}, { keys: { ...DEV_KEYS, sellerId: "A2OTHER" } }),
      401,
      "AccessDenied",
    );
  });

  test("each missing authentication parameter is MissingParameter naming it; bad ones InvalidParameterValue", async () => {
    for (const name of [
      "AWSAccessKeyId",
      "SellerId",
      "SignatureMethod",
      "SignatureVersion",
      "Timestamp",
      "Version",
      "Signature",
    ]) {
      const answer = await h.mws("GetServiceStatus", {}, { tamper: (p) => delete p[name] });
      assertError(answer, 400, "MissingParameter", new RegExp(`\\b${name}\\b`));
    }
    assertError(await h.mws("", {}), 400, "MissingParameter", /\bAction\b/);
    assertError(
      await h.mws("GetServiceStatus", {}, { tamper: (p) => Object.assign(p, { Version: "2009-01-01" }) }),
      400,
      "InvalidParameterValue",
      /Version/,
    );
    assertError(
      await h.mws("GetServiceStatus", {}, { tamper: (p) => Object.assign(p, { SignatureMethod: "HmacMD5" }) }),
      400,
      "InvalidParameterValue",
      /SignatureMethod/,
    );
    assertError(await h.mws("ListInboundShipments", {}), 400, "InvalidAction", /ListInboundShipments/);
  });

  test("configured MWS keys replace the dev keys; the seller is the one SP-API knows", async () => {
    const seller: SellerWithMws = {
      ...DEV_CREDENTIALS,
      sellerId: "A3CONFIGURED",
      mws: { accessKeyId: "AKIACONFIGURED", secretKey: "configured-secret" },
    };
    const other = await start({ throttle: false, credentials: seller });
    try {
      const keys = { sellerId: "A3CONFIGURED", accessKeyId: "AKIACONFIGURED", secretKey: "configured-secret" };
      assert.equal((await other.mws("GetServiceStatus", {}, { keys })).status, 200);
      assertError(await other.mws("GetServiceStatus", {}), 403, "InvalidAccessKeyId");
    } finally {
      await other.sandbox.close();
    }
  });
});

describe("MWS endpoint: operations on the SP-API seller state", () => {
  let h: Harness;
  before(async () => {
    h = await start({ throttle: false, pageSize: 1 });
  });
  beforeEach(() => h.sandbox.app.sandbox.reset());
  after(() => h.sandbox.close());

  test("GetFulfillmentPreview: previews per speed with MWS names, fees and dates", async () => {
    const answer = await h.mws("GetFulfillmentPreview", {
      MarketplaceId: US,
      ...previewAddress(US_ADDRESS),
      "Items.member.1.SellerSKU": "MUG-CERAMIC-BLUE",
      "Items.member.1.SellerFulfillmentOrderItemId": "1",
      "Items.member.1.Quantity": "2",
      "ShippingSpeedCategories.member.1": "Standard",
      "ShippingSpeedCategories.member.2": "Priority",
    });
    assert.equal(answer.status, 200, answer.text);
    const result = answer.xml.GetFulfillmentPreviewResponse.GetFulfillmentPreviewResult;
    const previews = result.FulfillmentPreviews.member;
    assert.deepEqual(
      previews.map((p: { ShippingSpeedCategory: string }) => p.ShippingSpeedCategory),
      ["Standard", "Priority"],
    );
    const standard = previews[0];
    assert.equal(standard.IsFulfillable, "true");
    assert.equal(standard.IsCODCapable, "false");
    assert.equal(standard.MarketplaceId, US);
    assert.ok(standard.EstimatedFees.member.length > 0);
    assert.equal(standard.EstimatedFees.member[0].Amount.CurrencyCode, "USD");
    const shipment = standard.FulfillmentPreviewShipments.member[0];
    assert.ok(Date.parse(shipment.EarliestArrivalDate) > h.clock.now());
    assert.equal(shipment.FulfillmentPreviewItems.member[0].SellerSKU, "MUG-CERAMIC-BLUE");
    assert.equal(shipment.FulfillmentPreviewItems.member[0].Quantity, "2");
  });

  test("GetFulfillmentPreview in JP: COD previews and Scheduled Delivery windows as StartDateTime/EndDateTime", async () => {
    const answer = await h.mws("GetFulfillmentPreview", jpScheduledPreview({ IncludeCODFulfillmentPreview: "true" }));
    assert.equal(answer.status, 200, answer.text);
    const previews = answer.xml.GetFulfillmentPreviewResponse.GetFulfillmentPreviewResult.FulfillmentPreviews.member;
    assert.deepEqual(
      previews.map((p: { IsCODCapable: string }) => p.IsCODCapable),
      ["false", "true"],
    );
    const info = previews[0].ScheduledDeliveryInfo;
    assert.equal(info.DeliveryTimeZone, "Asia/Tokyo");
    const window = info.DeliveryWindows.member[0];
    assert.ok(Date.parse(window.EndDateTime) > Date.parse(window.StartDateTime));
    assert.doesNotMatch(answer.text, /startDate|endDate/);
  });

  test("preview parameters: missing ones are MissingParameter, bad ones InvalidParameterValue, by MWS name", async () => {
    const base: Parameters = {
      ...previewAddress(US_ADDRESS),
      "Items.member.1.SellerSKU": "MUG-CERAMIC-BLUE",
      "Items.member.1.SellerFulfillmentOrderItemId": "1",
      "Items.member.1.Quantity": "1",
    };
    const { "Address.PostalCode": _, ...noPostalCode } = base;
    assertError(await h.mws("GetFulfillmentPreview", noPostalCode), 400, "MissingParameter", /Address\.PostalCode/);
    const { "Items.member.1.Quantity": __, ...noQuantity } = base;
    assertError(
      await h.mws("GetFulfillmentPreview", noQuantity),
      400,
      "MissingParameter",
      /Items\.member\.1\.Quantity/,
    );
    assertError(
      await h.mws("GetFulfillmentPreview", { ...base, "Items.member.1.Quantity": "two" }),
      400,
      "InvalidParameterValue",
      /Items\.member\.1\.Quantity/,
    );
    assertError(
      await h.mws("GetFulfillmentPreview", { ...base, IncludeCODFulfillmentPreview: "yes" }),
      400,
      "InvalidParameterValue",
      /IncludeCODFulfillmentPreview/,
    );
    assertError(
      await h.mws("GetFulfillmentPreview", { ...base, "ShippingSpeedCategories.member.1": "Teleport" }),
      400,
      "InvalidParameterValue",
      /ShippingSpeedCategories\.member\.1/,
    );
    assertError(
      await h.mws("GetFulfillmentPreview", { ...base, "Items.member.3.SellerSKU": "X" }),
      400,
      "InvalidParameterValue",
      /Items\.member\.2/,
    );
    assertError(
      await h.mws("GetFulfillmentPreview", { ...base, IncludeDeliveryWindows: "true" }),
      400,
      "InvalidParameterValue",
      /IncludeDeliveryWindows is only supported in the JP marketplace/,
    );
  });

  test("MWS's own CreateFulfillmentOrder example (JP, COD, ScheduledDelivery, two items, two e-mails) is accepted", async () => {
    const window = await firstWindow(h);
    const created = await h.mws("CreateFulfillmentOrder", mwsExampleOrder(window));
    assert.equal(created.status, 200, created.text);
    assert.ok(created.xml.CreateFulfillmentOrderResponse.ResponseMetadata.RequestId);

    const read = await h.mws("GetFulfillmentOrder", { SellerFulfillmentOrderId: "TestOrder1" });
    assert.equal(read.status, 200, read.text);
    const result = read.xml.GetFulfillmentOrderResponse.GetFulfillmentOrderResult;
    const order = result.FulfillmentOrder;
    assert.equal(order.FulfillmentOrderStatus, "RECEIVED");
    assert.equal(order.ShippingSpeedCategory, "ScheduledDelivery");
    assert.equal(order.DeliveryWindow.StartDateTime, window.start);
    assert.equal(order.DeliveryWindow.EndDateTime, window.end);
    assert.equal(order.CODSettings.IsCODRequired, "true");
    assert.equal(order.CODSettings.CODCharge.Value, "10");
    assert.deepEqual(order.NotificationEmailList.member, ["test1@example.com", "test2@example.com"]);
    assert.equal(order.DestinationAddress.StateOrProvinceCode, "Tokyo");
    assert.equal(order.DestinationAddress.PhoneNumber, "03-1234-5678");
    assert.deepEqual(
      result.FulfillmentOrderItem.member.map((i: { SellerSKU: string }) => i.SellerSKU),
      ["MUG-CERAMIC-BLUE", "TEE-ORGANIC-M"],
    );
    assert.ok(result.FulfillmentOrderItem.member[0].EstimatedArrivalDateTime);

    // The same order, seen through SP-API 2020-07-01.
    const seen = await h.spApi("GET", "/fulfillmentOrders/TestOrder1");
    assert.equal(seen.status, 200);
    const payload = seen.body.payload as { fulfillmentOrder: { notificationEmails: string[]; codSettings: unknown } };
    assert.deepEqual(payload.fulfillmentOrder.notificationEmails, ["test1@example.com", "test2@example.com"]);
    assert.deepEqual(payload.fulfillmentOrder.codSettings, {
      isCodRequired: true,
      codCharge: { currencyCode: "JPY", value: "10" },
      codChargeTax: { currencyCode: "JPY", value: "10" },
      shippingCharge: { currencyCode: "JPY", value: "10" },
      shippingChargeTax: { currencyCode: "JPY", value: "10" },
    });

    // A retry is refused, as in SP-API.
    assertError(
      await h.mws("CreateFulfillmentOrder", mwsExampleOrder(window)),
      400,
      "InvalidParameterValue",
      /already exists/,
    );
  });

  test("CreateFulfillmentOrder enforces every rule, naming the MWS parameter", async () => {
    const cases: [Parameters, string, RegExp][] = [
      [{ SellerFulfillmentOrderId: "X".repeat(41) }, "InvalidParameterValue", /SellerFulfillmentOrderId/],
      [{ SellerFulfillmentOrderId: "" }, "MissingParameter", /SellerFulfillmentOrderId must not be empty/],
      [{ DisplayableOrderId: "D".repeat(41) }, "InvalidParameterValue", /DisplayableOrderId/],
      [
        { DisplayableOrderId: "注文123" },
        "InvalidParameterValue",
        /DisplayableOrderId must contain only alphanumeric or ISO 8859-1/,
      ],
      [
        { DisplayableOrderComment: "c".repeat(1001) },
        "InvalidParameterValue",
        /DisplayableOrderComment exceeds the maximum length of 1000/,
      ],
      [{ DisplayableOrderComment: "" }, "MissingParameter", /DisplayableOrderComment must not be empty/],
      [{ DisplayableOrderDateTime: "5 January" }, "InvalidParameterValue", /DisplayableOrderDateTime/],
      [
        { "NotificationEmailList.member.1": `${"a".repeat(60)}@example.com` },
        "InvalidParameterValue",
        /NotificationEmailList\.member\.1/,
      ],
      [{ FulfillmentAction: "Later" }, "InvalidParameterValue", /FulfillmentAction must be one of: Ship, Hold/],
      [
        { FulfillmentPolicy: "FillSome" },
        "InvalidParameterValue",
        /FulfillmentPolicy must be one of: FillOrKill, FillAll, FillAllAvailable/,
      ],
      [
        { "CODSettings.IsCODRequired": "true" },
        "InvalidParameterValue",
        /CODSettings is only supported in the JP marketplace/,
      ],
      [
        {
          "DeliveryWindow.StartDateTime": "2026-01-08T00:00:00Z",
          "DeliveryWindow.EndDateTime": "2026-01-08T03:00:00Z",
        },
        "InvalidParameterValue",
        /DeliveryWindow is only supported in the JP marketplace/,
      ],
      [{ ShippingSpeedCategory: "Teleport" }, "InvalidParameterValue", /ShippingSpeedCategory/],
      [{ "DestinationAddress.PostalCode": "ABC" }, "InvalidParameterValue", /DestinationAddress\.PostalCode/],
      [{ "Items.member.1.SellerSKU": "NO-SUCH-SKU" }, "InvalidParameterValue", /Items\.member\.1\.SellerSKU/],
    ];
    for (const [overrides, code, message] of cases) {
      const answer = await h.mws("CreateFulfillmentOrder", usOrder(overrides));
      assertError(answer, 400, code, message);
    }
    for (const name of ["DisplayableOrderDateTime", "ShippingSpeedCategory", "DestinationAddress.Line1"]) {
      const { [name]: _, ...without } = usOrder();
      assertError(
        await h.mws("CreateFulfillmentOrder", without),
        400,
        "MissingParameter",
        new RegExp(`${name} is required`),
      );
    }
    // Nothing was created by any of them.
    const list = await h.mws("ListAllFulfillmentOrders", {});
    assert.equal(list.status, 200, list.text);
    const orders = list.xml.ListAllFulfillmentOrdersResponse.ListAllFulfillmentOrdersResult.FulfillmentOrders;
    assert.deepEqual(orders?.member ?? [], []);
    assert.equal(h.sandbox.app.sandbox.orders.all(DEV_MWS_SELLER_ID).length, 0);

    // Each limit itself is allowed, and ISO 8859-1 punctuation and letters in DisplayableOrderId.
    const atLimits = usOrder({
      SellerFulfillmentOrderId: "L".repeat(40),
      DisplayableOrderId: `Bestellung Nr. 1001/ü-#${"9".repeat(17)}`,
      DisplayableOrderComment: "c".repeat(1000),
      "NotificationEmailList.member.1": `${"a".repeat(52)}@example.com`,
      "NotificationEmailList.member.2": "b@example.com",
      FulfillmentAction: "Hold",
      FulfillmentPolicy: "FillAllAvailable",
    });
    assert.equal(atLimits.DisplayableOrderId?.length, 40);
    assert.equal(atLimits["NotificationEmailList.member.1"]?.length, 64);
    const accepted = await h.mws("CreateFulfillmentOrder", atLimits);
    assert.equal(accepted.status, 200, accepted.text);
    const kept = h.sandbox.app.sandbox.orders.get(DEV_MWS_SELLER_ID, "L".repeat(40));
    assert.equal(kept?.fulfillmentPolicy, "FillAllAvailable");
    assert.equal(kept?.displayableOrderId, atLimits.DisplayableOrderId);
    assert.equal(kept?.displayableOrderComment, "c".repeat(1000), "MWS keeps all 1,000 characters (2020-07-01: 750)");
    const longer = await h.mws("UpdateFulfillmentOrder", {
      SellerFulfillmentOrderId: "L".repeat(40),
      DisplayableOrderComment: "d".repeat(900),
    });
    assert.equal(longer.status, 200, longer.text);
    assert.equal(kept?.displayableOrderComment, "d".repeat(900));
    assertError(
      await h.mws("UpdateFulfillmentOrder", {
        SellerFulfillmentOrderId: "L".repeat(40),
        DisplayableOrderComment: "e".repeat(1001),
      }),
      400,
      "InvalidParameterValue",
      /DisplayableOrderComment exceeds the maximum length of 1000/,
    );
  });

  test("Scheduled Delivery: DeliveryWindow required, and it must be one a current preview offers", async () => {
    const window = await firstWindow(h);
    const order = mwsExampleOrder(window);
    const { "DeliveryWindow.StartDateTime": _, "DeliveryWindow.EndDateTime": __, ...noWindow } = order;
    assertError(
      await h.mws("CreateFulfillmentOrder", noWindow),
      400,
      "InvalidParameterValue",
      /DeliveryWindow is required when ShippingSpeedCategory is ScheduledDelivery/,
    );
    const shifted = new Date(Date.parse(window.start) + 60_000).toISOString();
    assertError(
      await h.mws("CreateFulfillmentOrder", { ...order, "DeliveryWindow.StartDateTime": shifted }),
      400,
      "InvalidParameterValue",
      /DeliveryWindow does not match an available delivery window\. Call GetFulfillmentPreview with IncludeDeliveryWindows/,
    );
    assertError(
      await h.mws("CreateFulfillmentOrder", { ...order, "CODSettings.IsCODRequired": "maybe" }),
      400,
      "InvalidParameterValue",
      /CODSettings\.IsCODRequired/,
    );
  });

  test("Hold, then UpdateFulfillmentOrder to Ship; CancelFulfillmentOrder; the stock is SP-API's", async () => {
    const stock = () => h.sandbox.app.sandbox.inventory.get(US, "MUG-CERAMIC-BLUE")?.fulfillable ?? 0;
    const before = stock();
    const held = usOrder({ FulfillmentAction: "Hold" });
    assert.equal((await h.mws("CreateFulfillmentOrder", held)).status, 200);
    assert.equal(stock(), before - 2);
    const id = held.SellerFulfillmentOrderId as string;
    const read = async () =>
      (await h.mws("GetFulfillmentOrder", { SellerFulfillmentOrderId: id })).xml.GetFulfillmentOrderResponse
        .GetFulfillmentOrderResult.FulfillmentOrder;
    assert.equal((await read()).FulfillmentAction, "Hold");
    const shipped = await h.mws("UpdateFulfillmentOrder", { SellerFulfillmentOrderId: id, FulfillmentAction: "Ship" });
    assert.equal(shipped.status, 200, shipped.text);
    assert.ok(shipped.xml.UpdateFulfillmentOrderResponse.ResponseMetadata.RequestId);
    assert.equal((await read()).FulfillmentAction, "Ship");
    assertError(
      await h.mws("UpdateFulfillmentOrder", { FulfillmentAction: "Ship" }),
      400,
      "MissingParameter",
      /SellerFulfillmentOrderId/,
    );

    const cancelled = await h.mws("CancelFulfillmentOrder", { SellerFulfillmentOrderId: id });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal((await read()).FulfillmentOrderStatus, "CANCELLED");
    assert.equal(stock(), before);
    assertError(
      await h.mws("GetFulfillmentOrder", { SellerFulfillmentOrderId: "NOPE" }),
      400,
      "InvalidParameterValue",
      /Requested order not found/,
    );
  });

  test("ListAllFulfillmentOrders and ByNextToken page through orders of both dialects", async () => {
    assert.equal((await h.mws("CreateFulfillmentOrder", usOrder())).status, 200);
    h.clock.advance(1000);
    const spApiOrder = await h.spApi("POST", "/fulfillmentOrders", {
      marketplaceId: US,
      sellerFulfillmentOrderId: "SPAPI-1",
      displayableOrderId: "SPAPI-1",
      displayableOrderDate: "2026-01-05T08:00:00Z",
      displayableOrderComment: "Thanks",
      shippingSpeedCategory: "Standard",
      destinationAddress: SP_API_US_ADDRESS,
      items: [{ sellerSku: "TEE-ORGANIC-M", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
    });
    assert.equal(spApiOrder.status, 200);
    const first = await h.mws("ListAllFulfillmentOrders", { QueryStartDateTime: "2026-01-01T00:00:00Z" });
    assert.equal(first.status, 200, first.text);
    const page1 = first.xml.ListAllFulfillmentOrdersResponse.ListAllFulfillmentOrdersResult;
    assert.equal(page1.FulfillmentOrders.member.length, 1);
    assert.match(page1.FulfillmentOrders.member[0].SellerFulfillmentOrderId, /^MWS-US-/);
    assert.ok(page1.NextToken);
    const second = await h.mws("ListAllFulfillmentOrdersByNextToken", { NextToken: page1.NextToken });
    assert.equal(second.status, 200, second.text);
    const page2 = second.xml.ListAllFulfillmentOrdersByNextTokenResponse.ListAllFulfillmentOrdersByNextTokenResult;
    assert.equal(page2.FulfillmentOrders.member[0].SellerFulfillmentOrderId, "SPAPI-1");
    assert.equal(page2.NextToken, undefined);
    assertError(await h.mws("ListAllFulfillmentOrdersByNextToken", {}), 400, "MissingParameter", /NextToken/);
  });

  test("GetPackageTrackingDetails, ListReturnReasonCodes and CreateFulfillmentReturn once the order shipped", async () => {
    const order = usOrder();
    const id = order.SellerFulfillmentOrderId as string;
    assert.equal((await h.mws("CreateFulfillmentOrder", order)).status, 200);
    h.clock.advance(10 * 24 * 3_600_000);
    const read = await h.mws("GetFulfillmentOrder", { SellerFulfillmentOrderId: id });
    const result = read.xml.GetFulfillmentOrderResponse.GetFulfillmentOrderResult;
    assert.equal(result.FulfillmentOrder.FulfillmentOrderStatus, "COMPLETE");
    const shipment = result.FulfillmentShipment.member[0];
    assert.equal(shipment.FulfillmentShipmentStatus, "SHIPPED");
    assert.ok(shipment.ShippingDateTime);
    const packageNumber = shipment.FulfillmentShipmentPackage.member[0].PackageNumber;

    const tracking = await h.mws("GetPackageTrackingDetails", { PackageNumber: packageNumber });
    assert.equal(tracking.status, 200, tracking.text);
    const details = tracking.xml.GetPackageTrackingDetailsResponse.GetPackageTrackingDetailsResult;
    assert.equal(details.PackageNumber, packageNumber);
    assert.equal(details.CurrentStatus, "DELIVERED");
    assert.ok(details.TrackingEvents.member.length > 0);
    assertError(await h.mws("GetPackageTrackingDetails", {}), 400, "MissingParameter", /PackageNumber/);
    assertError(
      await h.mws("GetPackageTrackingDetails", { PackageNumber: "x" }),
      400,
      "InvalidParameterValue",
      /PackageNumber/,
    );

    const reasons = await h.mws("ListReturnReasonCodes", { SellerSKU: "MUG-CERAMIC-BLUE", MarketplaceId: US });
    assert.equal(reasons.status, 200, reasons.text);
    const codes = reasons.xml.ListReturnReasonCodesResponse.ListReturnReasonCodesResult.ReasonCodeDetailsList.member;
    assert.ok(codes.some((r: { ReturnReasonCode: string }) => r.ReturnReasonCode === "CR-DEFECTIVE"));

    const returned = await h.mws("CreateFulfillmentReturn", {
      SellerFulfillmentOrderId: id,
      "Items.member.1.SellerReturnItemId": "R1",
      "Items.member.1.SellerFulfillmentOrderItemId": "1",
      "Items.member.1.AmazonShipmentId": shipment.AmazonShipmentId,
      "Items.member.1.ReturnReasonCode": "CR-DEFECTIVE",
    });
    assert.equal(returned.status, 200, returned.text);
    const returnResult = returned.xml.CreateFulfillmentReturnResponse.CreateFulfillmentReturnResult;
    assert.equal(returnResult.ReturnItemList.member[0].SellerReturnItemId, "R1");
  });
});

describe("MWS endpoint: throttling", () => {
  test("quota 30 per action, restored at 2 per second, then RequestThrottled with the x-mws-quota headers", async () => {
    const h = await start();
    try {
      for (let i = 0; i < 30; i++) {
        const answer = await h.mws("GetServiceStatus");
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.headers.get("x-mws-quota-max"), "30");
        assert.equal(answer.headers.get("x-mws-quota-remaining"), String(29 - i));
      }
      const throttled = await h.mws("GetServiceStatus");
      assertError(throttled, 503, "RequestThrottled");
      assert.equal(throttled.headers.get("x-mws-quota-remaining"), "0");
      assert.equal(
        throttled.headers.get("x-mws-quota-resetsOn"),
        new Date(h.clock.now() + 15_000).toISOString(),
        "30 requests restore in 15 s",
      );
      // Another action has its own quota.
      assert.equal((await h.mws("ListAllFulfillmentOrders")).status, 200);
      h.clock.advance(1000);
      assert.equal((await h.mws("GetServiceStatus")).status, 200);
      assert.equal((await h.mws("GetServiceStatus")).status, 200);
      assertError(await h.mws("GetServiceStatus"), 503, "RequestThrottled");
    } finally {
      await h.sandbox.close();
    }
  });
});

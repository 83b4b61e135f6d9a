// The MWS dialect's pure mapping: model → MWS parameters, parsed MWS XML → model, and what does not fit.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readErrorResponse, readQuota } from "../../../proxy/dialects/mws-2010-10-01/http.ts";
import { mwsHost } from "../../../proxy/dialects/mws-2010-10-01/index.ts";
import {
  fromOrderResult,
  fromPreviewResult,
  fromTrackingResult,
  toCreateParams,
  toPreviewParams,
  WireMismatch,
} from "../../../proxy/dialects/mws-2010-10-01/wire.ts";
import { readXml } from "../../../proxy/dialects/mws-2010-10-01/xml.ts";
import { type NewOrder, UnsupportedByDialect } from "../../../proxy/fulfillment/model.ts";

const JP = "A1VC38T7YXB528";
const address = {
  name: "山田 太郎",
  line1: "1-2-3 Shimomeguro",
  line2: "Room 4",
  city: "Meguro-ku",
  stateOrRegion: "Tokyo",
  postalCode: "153-0064",
  countryCode: "jp",
  phone: "03-1234-5678",
};

const NS = 'xmlns="http://mws.amazonaws.com/FulfillmentOutboundShipment/2010-10-01/"';
const result = (action: string, inner: string) => {
  const document = readXml(
    `<?xml version="1.0"?><${action}Response ${NS}><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`,
  );
  assert.ok(document, "well-formed XML");
  return (document[`${action}Response`] as Record<string, unknown>)[`${action}Result`];
};

describe("requests as MWS parameters", () => {
  test("preview: Address.*, Items.member.N.*, speeds, COD and delivery windows", () => {
    const params = toPreviewParams({
      marketplaceId: JP,
      address,
      items: [
        { sku: "MUG", quantity: 2 },
        { sku: "TEE", quantity: 1 },
      ],
      speeds: ["Standard", "ScheduledDelivery"],
      cashOnDelivery: true,
      deliveryWindows: true,
    });
    assert.deepEqual(params, {
      MarketplaceId: JP,
      "Address.Name": "山田 太郎",
      "Address.Line1": "1-2-3 Shimomeguro",
      "Address.Line2": "Room 4",
      "Address.City": "Meguro-ku",
      "Address.StateOrProvinceCode": "Tokyo",
      "Address.CountryCode": "JP",
      "Address.PostalCode": "153-0064",
      "Address.PhoneNumber": "03-1234-5678",
      "Items.member.1.SellerSKU": "MUG",
      "Items.member.1.SellerFulfillmentOrderItemId": "1",
      "Items.member.1.Quantity": "2",
      "Items.member.2.SellerSKU": "TEE",
      "Items.member.2.SellerFulfillmentOrderItemId": "2",
      "Items.member.2.Quantity": "1",
      "ShippingSpeedCategories.member.1": "Standard",
      "ShippingSpeedCategories.member.2": "ScheduledDelivery",
      IncludeCODFulfillmentPreview: "true",
      IncludeDeliveryWindows: "true",
    });
    const plain = toPreviewParams({ marketplaceId: JP, address, items: [{ sku: "MUG", quantity: 1 }] });
    assert.equal(plain.IncludeCODFulfillmentPreview, undefined);
    assert.equal(plain["ShippingSpeedCategories.member.1"], undefined);
  });

  test("preview: a declared value has no MWS parameter: not sent, and refused in India where Amazon needs it", () => {
    const items = [
      { sku: "MUG", quantity: 1 },
      { sku: "TEE", quantity: 1, declaredValue: { amount: "10", currency: "JPY" } },
    ];
    const params = toPreviewParams({ marketplaceId: JP, address, items });
    assert.deepEqual(
      Object.keys(params).filter((name) => name.startsWith("Items.member.2.")),
      ["Items.member.2.SellerSKU", "Items.member.2.SellerFulfillmentOrderItemId", "Items.member.2.Quantity"],
    );
    assert.throws(
      () => toPreviewParams({ marketplaceId: "A21TJRUUN4KGV", address: { ...address, countryCode: "IN" }, items }),
      (error: unknown) => error instanceof UnsupportedByDialect && error.path === "items[1].declaredValue",
    );
  });

  test("create: every field of the order, DeliveryWindow.StartDateTime/EndDateTime, COD, e-mails", () => {
    const order: NewOrder = {
      orderId: "mcf-1",
      marketplaceId: JP,
      displayableOrderId: "1001",
      orderDate: "2026-01-05T08:00:00Z",
      comment: "Thanks",
      speed: "ScheduledDelivery",
      address,
      action: "Ship",
      policy: "FillOrKill",
      items: [
        {
          sku: "MUG",
          lineId: "1",
          quantity: 2,
          giftMessage: "Enjoy",
          displayableComment: "Blue",
          perUnitPrice: { amount: "1200", currency: "JPY" },
          perUnitTax: { amount: "120", currency: "JPY" },
        },
        { sku: "TEE", lineId: "2", quantity: 1 },
      ],
      deliveryWindow: { start: "2026-01-08T00:00:00Z", end: "2026-01-08T03:00:00Z" },
      notificationEmails: ["a@example.com", "b@example.com"],
      cashOnDelivery: { shippingCharge: { amount: "300", currency: "JPY" } },
    };
    assert.deepEqual(toCreateParams(order), {
      MarketplaceId: JP,
      SellerFulfillmentOrderId: "mcf-1",
      DisplayableOrderId: "1001",
      DisplayableOrderDateTime: "2026-01-05T08:00:00Z",
      DisplayableOrderComment: "Thanks",
      ShippingSpeedCategory: "ScheduledDelivery",
      FulfillmentAction: "Ship",
      FulfillmentPolicy: "FillOrKill",
      "DestinationAddress.Name": "山田 太郎",
      "DestinationAddress.Line1": "1-2-3 Shimomeguro",
      "DestinationAddress.Line2": "Room 4",
      "DestinationAddress.City": "Meguro-ku",
      "DestinationAddress.StateOrProvinceCode": "Tokyo",
      "DestinationAddress.CountryCode": "JP",
      "DestinationAddress.PostalCode": "153-0064",
      "DestinationAddress.PhoneNumber": "03-1234-5678",
      "Items.member.1.SellerSKU": "MUG",
      "Items.member.1.SellerFulfillmentOrderItemId": "1",
      "Items.member.1.Quantity": "2",
      "Items.member.1.GiftMessage": "Enjoy",
      "Items.member.1.DisplayableComment": "Blue",
      "Items.member.1.PerUnitPrice.CurrencyCode": "JPY",
      "Items.member.1.PerUnitPrice.Value": "1200",
      "Items.member.1.PerUnitTax.CurrencyCode": "JPY",
      "Items.member.1.PerUnitTax.Value": "120",
      "Items.member.2.SellerSKU": "TEE",
      "Items.member.2.SellerFulfillmentOrderItemId": "2",
      "Items.member.2.Quantity": "1",
      "DeliveryWindow.StartDateTime": "2026-01-08T00:00:00Z",
      "DeliveryWindow.EndDateTime": "2026-01-08T03:00:00Z",
      "NotificationEmailList.member.1": "a@example.com",
      "NotificationEmailList.member.2": "b@example.com",
      "CODSettings.IsCODRequired": "true",
      "CODSettings.ShippingCharge.CurrencyCode": "JPY",
      "CODSettings.ShippingCharge.Value": "300",
    });
  });

  test("hosts: the region's, or the marketplace's own", () => {
    assert.equal(mwsHost("na"), "https://mws.amazonservices.com");
    assert.equal(mwsHost("na", "ca"), "https://mws.amazonservices.ca");
    assert.equal(mwsHost("eu", "DE"), "https://mws-eu.amazonservices.com");
    assert.equal(mwsHost("fe", "JP"), "https://mws.amazonservices.jp");
    assert.equal(mwsHost("fe", "SG"), "https://mws-fe.amazonservices.com");
  });
});

const PREVIEW = `<FulfillmentPreviews>
  <member>
    <ShippingSpeedCategory>ScheduledDelivery</ShippingSpeedCategory>
    <IsFulfillable>true</IsFulfillable>
    <IsCODCapable>true</IsCODCapable>
    <MarketplaceId>${JP}</MarketplaceId>
    <EstimatedFees><member><Name>FBAPerUnitFulfillmentFee</Name><Amount><CurrencyCode>JPY</CurrencyCode><Value>318</Value></Amount></member></EstimatedFees>
    <FulfillmentPreviewShipments><member>
      <EarliestShipDate>2026-01-05T10:00:00Z</EarliestShipDate><LatestShipDate>2026-01-06T10:00:00Z</LatestShipDate>
      <EarliestArrivalDate>2026-01-07T00:00:00Z</EarliestArrivalDate><LatestArrivalDate>2026-01-08T00:00:00Z</LatestArrivalDate>
      <FulfillmentPreviewItems><member><SellerSKU>MUG</SellerSKU><Quantity>2</Quantity><SellerFulfillmentOrderItemId>1</SellerFulfillmentOrderItemId></member></FulfillmentPreviewItems>
    </member></FulfillmentPreviewShipments>
    <UnfulfillablePreviewItems><member><SellerSKU>GONE</SellerSKU><Quantity>1</Quantity><ItemUnfulfillableReasons><member>InventoryUnavailable</member></ItemUnfulfillableReasons></member></UnfulfillablePreviewItems>
    <OrderUnfulfillableReasons/>
    <ScheduledDeliveryInfo><DeliveryTimeZone>Asia/Tokyo</DeliveryTimeZone><DeliveryWindows>
      <member><StartDateTime>2026-01-08T00:00:00Z</StartDateTime><EndDateTime>2026-01-08T03:00:00Z</EndDateTime></member>
    </DeliveryWindows></ScheduledDeliveryInfo>
  </member>
  <member><ShippingSpeedCategory>Priority</ShippingSpeedCategory><IsFulfillable>false</IsFulfillable>
    <OrderUnfulfillableReasons><member>DeliverySLAUnavailable</member></OrderUnfulfillableReasons></member>
</FulfillmentPreviews>`;

describe("answers from parsed XML", () => {
  test("preview: speeds, fees, dates, windows (StartDateTime/EndDateTime), unfulfillable lines and reasons", () => {
    const { previews } = fromPreviewResult(result("GetFulfillmentPreview", PREVIEW));
    assert.deepEqual(previews, [
      {
        speed: "ScheduledDelivery",
        fulfillable: true,
        cashOnDelivery: true,
        fees: [{ name: "FBAPerUnitFulfillmentFee", amount: { amount: "318", currency: "JPY" } }],
        shipments: [
          {
            ship: { earliest: "2026-01-05T10:00:00Z", latest: "2026-01-06T10:00:00Z" },
            arrival: { earliest: "2026-01-07T00:00:00Z", latest: "2026-01-08T00:00:00Z" },
            items: [{ sku: "MUG", quantity: 2 }],
          },
        ],
        reasons: [],
        unfulfillable: [{ sku: "GONE", quantity: 1, reasons: ["InventoryUnavailable"] }],
        timeZone: "Asia/Tokyo",
        deliveryWindows: [{ start: "2026-01-08T00:00:00Z", end: "2026-01-08T03:00:00Z" }],
      },
      {
        speed: "Priority",
        fulfillable: false,
        cashOnDelivery: false,
        fees: [],
        shipments: [],
        reasons: ["DeliverySLAUnavailable"],
        unfulfillable: [],
      },
    ]);
    assert.deepEqual(fromPreviewResult(result("GetFulfillmentPreview", "<FulfillmentPreviews/>")), { previews: [] });
  });

  test("preview: what does not fit MWS's model is a WireMismatch naming the element", () => {
    const broken: [string, RegExp][] = [
      [PREVIEW.replace("<IsFulfillable>true</IsFulfillable>", "<IsFulfillable>yes</IsFulfillable>"), /IsFulfillable/],
      [
        PREVIEW.replace("<Quantity>2</Quantity>", "<Quantity>two</Quantity>"),
        /FulfillmentPreviewItems\.member\.1\.Quantity/,
      ],
      [
        PREVIEW.replace("ScheduledDelivery</ShippingSpeedCategory>", "Teleport</ShippingSpeedCategory>"),
        /ShippingSpeedCategory/,
      ],
      [PREVIEW.replace("<Value>318</Value>", "<Value>lots</Value>"), /Amount\.Value/],
      [PREVIEW.replace("<StartDateTime>2026-01-08T00:00:00Z</StartDateTime>", ""), /StartDateTime/],
    ];
    for (const [xml, what] of broken)
      assert.throws(
        () => fromPreviewResult(result("GetFulfillmentPreview", xml)),
        (e: unknown) => e instanceof WireMismatch && what.test((e as Error).message),
      );
    assert.throws(() => fromPreviewResult(undefined), WireMismatch);
  });

  const ORDER = `<FulfillmentOrder>
      <SellerFulfillmentOrderId>mcf-1</SellerFulfillmentOrderId><MarketplaceId>${JP}</MarketplaceId>
      <DisplayableOrderId>1001</DisplayableOrderId><ShippingSpeedCategory>ScheduledDelivery</ShippingSpeedCategory>
      <FulfillmentAction>Ship</FulfillmentAction><FulfillmentOrderStatus>COMPLETE_PARTIALLED</FulfillmentOrderStatus>
      <ReceivedDateTime>2026-01-05T09:00:00Z</ReceivedDateTime><StatusUpdatedDateTime>2026-01-07T09:00:00Z</StatusUpdatedDateTime>
      <DestinationAddress><Name>山田 太郎</Name><Line1>1-2-3 Shimomeguro</Line1><City>Meguro-ku</City>
        <StateOrProvinceCode>Tokyo</StateOrProvinceCode><PostalCode>153-0064</PostalCode><CountryCode>JP</CountryCode></DestinationAddress>
      <DeliveryWindow><StartDateTime>2026-01-08T00:00:00Z</StartDateTime><EndDateTime>2026-01-08T03:00:00Z</EndDateTime></DeliveryWindow>
      <CODSettings><IsCODRequired>true</IsCODRequired></CODSettings>
    </FulfillmentOrder>
    <FulfillmentOrderItem><member><SellerSKU>MUG</SellerSKU><SellerFulfillmentOrderItemId>1</SellerFulfillmentOrderItemId>
      <Quantity>2</Quantity><CancelledQuantity>0</CancelledQuantity><UnfulfillableQuantity>1</UnfulfillableQuantity>
      <EstimatedShipDateTime>2026-01-06T00:00:00Z</EstimatedShipDateTime><EstimatedArrivalDateTime>2026-01-08T00:00:00Z</EstimatedArrivalDateTime></member></FulfillmentOrderItem>
    <FulfillmentShipment><member><AmazonShipmentId>D1</AmazonShipmentId><FulfillmentCenterId>NRT1</FulfillmentCenterId>
      <FulfillmentShipmentStatus>SHIPPED</FulfillmentShipmentStatus><ShippingDateTime>2026-01-06T00:00:00Z</ShippingDateTime>
      <FulfillmentShipmentItem><member><SellerSKU>MUG</SellerSKU><SellerFulfillmentOrderItemId>1</SellerFulfillmentOrderItemId><Quantity>1</Quantity><PackageNumber>7</PackageNumber></member></FulfillmentShipmentItem>
      <FulfillmentShipmentPackage><member><PackageNumber>7</PackageNumber><CarrierCode>YAMATO</CarrierCode><TrackingNumber>T7</TrackingNumber></member></FulfillmentShipmentPackage>
    </member></FulfillmentShipment>`;

  test("order: MWS's upper-case statuses, …DateTime names, shipments and packages", () => {
    assert.deepEqual(fromOrderResult(result("GetFulfillmentOrder", ORDER)), {
      orderId: "mcf-1",
      marketplaceId: JP,
      displayableOrderId: "1001",
      speed: "ScheduledDelivery",
      action: "Ship",
      status: "CompletePartialled",
      receivedAt: "2026-01-05T09:00:00Z",
      statusUpdatedAt: "2026-01-07T09:00:00Z",
      address: {
        name: "山田 太郎",
        line1: "1-2-3 Shimomeguro",
        city: "Meguro-ku",
        stateOrRegion: "Tokyo",
        postalCode: "153-0064",
        countryCode: "JP",
      },
      deliveryWindow: { start: "2026-01-08T00:00:00Z", end: "2026-01-08T03:00:00Z" },
      cashOnDelivery: true,
      items: [
        {
          sku: "MUG",
          lineId: "1",
          quantity: 2,
          cancelledQuantity: 0,
          unfulfillableQuantity: 1,
          estimatedShipAt: "2026-01-06T00:00:00Z",
          estimatedArrivalAt: "2026-01-08T00:00:00Z",
        },
      ],
      shipments: [
        {
          id: "D1",
          status: "SHIPPED",
          shippedAt: "2026-01-06T00:00:00Z",
          items: [{ sku: "MUG", quantity: 1, packageNumber: 7 }],
          packages: [{ packageNumber: 7, carrier: "YAMATO", trackingNumber: "T7" }],
        },
      ],
    });
    for (const [mws, model] of [
      ["RECEIVED", "Received"],
      ["PLANNING", "Planning"],
      ["CANCELLED", "Cancelled"],
      ["UNFULFILLABLE", "Unfulfillable"],
    ]) {
      const order = fromOrderResult(result("GetFulfillmentOrder", ORDER.replace("COMPLETE_PARTIALLED", mws as string)));
      assert.equal(order.status, model);
    }
    assert.throws(
      () => fromOrderResult(result("GetFulfillmentOrder", ORDER.replace("COMPLETE_PARTIALLED", "LOST"))),
      /FulfillmentOrderStatus/,
    );
    assert.throws(
      () => fromOrderResult(result("GetFulfillmentOrder", ORDER.replace("<Line1>1-2-3 Shimomeguro</Line1>", ""))),
      /DestinationAddress\.Line1/,
    );
  });

  test("tracking: events with their place; a description defaults to the event code", () => {
    const tracking = fromTrackingResult(
      result(
        "GetPackageTrackingDetails",
        `<PackageNumber>7</PackageNumber><TrackingNumber>T7</TrackingNumber><CarrierCode>YAMATO</CarrierCode>
         <ShipDate>2026-01-06T00:00:00Z</ShipDate><CurrentStatus>DELIVERED</CurrentStatus><SignedForBy>Yamada</SignedForBy>
         <TrackingEvents><member><EventDate>2026-01-07T00:00:00Z</EventDate><EventCode>EVENT_301</EventCode>
           <EventAddress><City>Tokyo</City><State>Tokyo</State><Country>JP</Country></EventAddress></member></TrackingEvents>`,
      ),
    );
    assert.deepEqual(tracking, {
      packageNumber: 7,
      trackingNumber: "T7",
      carrier: "YAMATO",
      status: "DELIVERED",
      shippedAt: "2026-01-06T00:00:00Z",
      signedForBy: "Yamada",
      events: [
        {
          at: "2026-01-07T00:00:00Z",
          code: "EVENT_301",
          description: "EVENT_301",
          location: { city: "Tokyo", stateOrRegion: "Tokyo", countryCode: "JP" },
        },
      ],
    });
  });
});

describe("XML, errors and quota headers", () => {
  test("cut-off or non-XML text is no document", () => {
    assert.equal(readXml(""), undefined);
    assert.equal(readXml("{}"), undefined);
    assert.equal(readXml(`<GetFulfillmentPreviewResponse ${NS}><GetFulfillmentPreviewResult><Fulfil`), undefined);
  });

  test("ErrorResponse with RequestID or RequestId, several errors, Detail only when present", () => {
    for (const tag of ["RequestID", "RequestId"]) {
      const document = readXml(
        `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>Bad &amp; wrong</Message><Detail/></Error><Error><Type>Sender</Type><Code>MissingParameter</Code><Message>M</Message><Detail>more</Detail></Error><${tag}>req-9</${tag}></ErrorResponse>`,
      );
      assert.deepEqual(readErrorResponse(document), {
        errors: [
          { code: "InvalidParameterValue", message: "Bad & wrong" },
          { code: "MissingParameter", message: "M", details: "more" },
        ],
        requestId: "req-9",
      });
    }
    assert.deepEqual(readErrorResponse(undefined), { errors: [] });
  });

  test("x-mws-quota-* headers", () => {
    const headers = new Headers({
      "x-mws-quota-max": "30",
      "x-mws-quota-remaining": "0",
      "x-mws-quota-resetsOn": "2026-01-05T09:00:15.000Z",
    });
    assert.deepEqual(readQuota(headers), { max: 30, remaining: 0, resetsOn: "2026-01-05T09:00:15.000Z" });
    assert.deepEqual(readQuota(new Headers({ "x-mws-quota-max": "many", "x-mws-quota-resetsOn": "soon" })), {});
  });
});

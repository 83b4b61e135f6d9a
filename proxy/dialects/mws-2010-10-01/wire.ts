// The fulfillment model ↔ MWS Fulfillment Outbound Shipment 2010-10-01. Pure. Requests become MWS parameters
// (`Address.City`, lists as `Items.member.N.SellerSKU`); answers arrive as parsed XML, where every value is text and
// every list is a `member` array, and are checked on the way in: what does not fit throws WireMismatch.
import {
  type Address,
  type Money,
  type NewOrder,
  ORDER_STATUSES,
  type Order,
  type OrderStatus,
  type PackageTracking,
  type Preview,
  type PreviewRequest,
  type PreviewResult,
  type Speed,
  UnsupportedByDialect,
} from "../../fulfillment/model.ts";

export type Params = Record<string, string>;

export class WireMismatch extends Error {
  constructor(what: string) {
    super(what);
    this.name = "WireMismatch";
  }
}

// ── Requests ──────────────────────────────────────────────────────────────────────────────────────────────────────

function addressParams(prefix: string, address: Address): Params {
  const fields: [string, string | undefined][] = [
    ["Name", address.name],
    ["Line1", address.line1],
    ["Line2", address.line2],
    ["Line3", address.line3],
    ["DistrictOrCounty", address.districtOrCounty],
    ["City", address.city],
    ["StateOrProvinceCode", address.stateOrRegion],
    ["CountryCode", address.countryCode.toUpperCase()],
    ["PostalCode", address.postalCode],
    ["PhoneNumber", address.phone],
  ];
  const params: Params = {};
  for (const [name, value] of fields) if (value) params[`${prefix}.${name}`] = value;
  return params;
}

function moneyParams(prefix: string, money: Money | undefined): Params {
  return money ? { [`${prefix}.CurrencyCode`]: money.currency, [`${prefix}.Value`]: money.amount } : {};
}

function listParams(prefix: string, values: string[]): Params {
  return Object.fromEntries(values.map((value, index) => [`${prefix}.member.${index + 1}`, value]));
}

/** India MCF, where Amazon needs each line's declared value (the 2020-07-01 model says so). */
const INDIA = "A21TJRUUN4KGV";

export function toPreviewParams(request: PreviewRequest): Params {
  const params: Params = { MarketplaceId: request.marketplaceId, ...addressParams("Address", request.address) };
  request.items.forEach((item, index) => {
    // MWS preview lines carry no declared value. Amazon's estimate does not use it (it matters for customs and
    // India MCF), so elsewhere it stays with the proxy's pricing; where Amazon needs it, MWS cannot serve.
    if (item.declaredValue && request.marketplaceId === INDIA)
      throw new UnsupportedByDialect(
        `items[${index}].declaredValue`,
        "MWS 2010-10-01 previews take no declared value, which India MCF requires; use SP-API 2020-07-01.",
      );
    const prefix = `Items.member.${index + 1}`;
    params[`${prefix}.SellerSKU`] = item.sku;
    params[`${prefix}.SellerFulfillmentOrderItemId`] = `${index + 1}`;
    params[`${prefix}.Quantity`] = String(item.quantity);
  });
  if (request.speeds) Object.assign(params, listParams("ShippingSpeedCategories", request.speeds));
  if (request.cashOnDelivery) params.IncludeCODFulfillmentPreview = "true";
  if (request.deliveryWindows) params.IncludeDeliveryWindows = "true";
  return params;
}

export function toCreateParams(order: NewOrder): Params {
  const params: Params = {
    MarketplaceId: order.marketplaceId,
    SellerFulfillmentOrderId: order.orderId,
    DisplayableOrderId: order.displayableOrderId,
    DisplayableOrderDateTime: order.orderDate,
    DisplayableOrderComment: order.comment,
    ShippingSpeedCategory: order.speed,
    FulfillmentAction: order.action,
    FulfillmentPolicy: order.policy,
    ...addressParams("DestinationAddress", order.address),
  };
  order.items.forEach((item, index) => {
    const prefix = `Items.member.${index + 1}`;
    Object.assign(params, {
      [`${prefix}.SellerSKU`]: item.sku,
      [`${prefix}.SellerFulfillmentOrderItemId`]: item.lineId,
      [`${prefix}.Quantity`]: String(item.quantity),
      ...(item.giftMessage ? { [`${prefix}.GiftMessage`]: item.giftMessage } : {}),
      ...(item.displayableComment ? { [`${prefix}.DisplayableComment`]: item.displayableComment } : {}),
      ...moneyParams(`${prefix}.PerUnitPrice`, item.perUnitPrice),
      ...moneyParams(`${prefix}.PerUnitTax`, item.perUnitTax),
    });
  });
  if (order.deliveryWindow) {
    params["DeliveryWindow.StartDateTime"] = order.deliveryWindow.start;
    params["DeliveryWindow.EndDateTime"] = order.deliveryWindow.end;
  }
  if (order.notificationEmails?.length)
    Object.assign(params, listParams("NotificationEmailList", order.notificationEmails));
  if (order.cashOnDelivery) {
    params["CODSettings.IsCODRequired"] = "true";
    Object.assign(params, moneyParams("CODSettings.ShippingCharge", order.cashOnDelivery.shippingCharge));
  }
  return params;
}

// ── Answers ───────────────────────────────────────────────────────────────────────────────────────────────────────

type Xml = Record<string, unknown>;

const SPEEDS = new Set<string>(["Standard", "Expedited", "Priority", "ScheduledDelivery"]);

/** MWS spells order statuses in upper snake case: COMPLETE_PARTIALLED is the model's CompletePartialled. */
const STATUS_BY_MWS = new Map<string, OrderStatus>(
  ORDER_STATUSES.map((status) => [status.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(), status]),
);

function element(value: unknown, what: string): Xml {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new WireMismatch(`${what} is missing`);
  return value as Xml;
}
/** `<List><member>…</member>…</List>`; an empty or absent list element is no members. */
function members(value: unknown, what: string): unknown[] {
  if (value === undefined || value === "") return [];
  const list = element(value, what).member;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new WireMismatch(`${what} is not a list`);
  return list;
}
function text(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new WireMismatch(`${what} is missing`);
  return value;
}
function optionalText(value: unknown, what: string): string | undefined {
  return value === undefined || value === "" ? undefined : text(value, what);
}
function integer(value: unknown, what: string): number {
  const raw = text(value, what);
  if (!/^\d+$/.test(raw)) throw new WireMismatch(`${what} is not a whole number`);
  return Number(raw);
}
function optionalInteger(value: unknown, what: string): number | undefined {
  return value === undefined || value === "" ? undefined : integer(value, what);
}
function flag(value: unknown, what: string): boolean {
  if (value !== "true" && value !== "false") throw new WireMismatch(`${what} is not true or false`);
  return value === "true";
}
function instant(value: unknown, what: string): string {
  const raw = text(value, what);
  if (Number.isNaN(Date.parse(raw))) throw new WireMismatch(`${what} is not a date-time`);
  return raw;
}
function optionalInstant(value: unknown, what: string): string | undefined {
  return value === undefined || value === "" ? undefined : instant(value, what);
}
function speed(value: unknown, what: string): Speed {
  const raw = text(value, what);
  if (!SPEEDS.has(raw)) throw new WireMismatch(`${what} is not a shipping speed`);
  return raw as Speed;
}
function money(value: unknown, what: string): Money {
  const fields = element(value, what);
  const amount = text(fields.Value, `${what}.Value`);
  if (!/^-?\d+(\.\d+)?$/.test(amount)) throw new WireMismatch(`${what}.Value is not a decimal`);
  return { amount, currency: text(fields.CurrencyCode, `${what}.CurrencyCode`) };
}
function strings(value: unknown, what: string): string[] {
  return members(value, what).map((entry, index) => text(entry, `${what}.member.${index + 1}`));
}
/** Only the fields present, so optional members stay absent rather than undefined. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/** `GetFulfillmentPreviewResult` as the model's previews. */
export function fromPreviewResult(result: unknown): PreviewResult {
  const at = "FulfillmentPreviews";
  const list = members(element(result, "GetFulfillmentPreviewResult").FulfillmentPreviews, at);
  return {
    previews: list.map((entry, index) =>
      fromPreview(element(entry, `${at}.member.${index + 1}`), `${at}.member.${index + 1}`),
    ),
  };
}

function fromPreview(preview: Xml, at: string): Preview {
  const scheduled =
    preview.ScheduledDeliveryInfo === undefined
      ? undefined
      : element(preview.ScheduledDeliveryInfo, `${at}.ScheduledDeliveryInfo`);
  const windows = scheduled
    ? members(scheduled.DeliveryWindows, `${at}.ScheduledDeliveryInfo.DeliveryWindows`).map((entry, index) => {
        const where = `${at}.ScheduledDeliveryInfo.DeliveryWindows.member.${index + 1}`;
        const window = element(entry, where);
        // MWS names them StartDateTime and EndDateTime (SP-API: startDate, endDate).
        return {
          start: instant(window.StartDateTime, `${where}.StartDateTime`),
          end: instant(window.EndDateTime, `${where}.EndDateTime`),
        };
      })
    : [];
  const result: Preview = {
    speed: speed(preview.ShippingSpeedCategory, `${at}.ShippingSpeedCategory`),
    fulfillable: flag(preview.IsFulfillable, `${at}.IsFulfillable`),
    cashOnDelivery: preview.IsCODCapable === undefined ? false : flag(preview.IsCODCapable, `${at}.IsCODCapable`),
    fees: members(preview.EstimatedFees, `${at}.EstimatedFees`).map((entry, index) => {
      const where = `${at}.EstimatedFees.member.${index + 1}`;
      const fee = element(entry, where);
      return { name: text(fee.Name, `${where}.Name`), amount: money(fee.Amount, `${where}.Amount`) };
    }),
    shipments: members(preview.FulfillmentPreviewShipments, `${at}.FulfillmentPreviewShipments`).map((entry, index) => {
      const where = `${at}.FulfillmentPreviewShipments.member.${index + 1}`;
      const shipment = element(entry, where);
      return {
        ship: defined({
          earliest: optionalInstant(shipment.EarliestShipDate, `${where}.EarliestShipDate`),
          latest: optionalInstant(shipment.LatestShipDate, `${where}.LatestShipDate`),
        }),
        arrival: defined({
          earliest: optionalInstant(shipment.EarliestArrivalDate, `${where}.EarliestArrivalDate`),
          latest: optionalInstant(shipment.LatestArrivalDate, `${where}.LatestArrivalDate`),
        }),
        items: members(shipment.FulfillmentPreviewItems, `${where}.FulfillmentPreviewItems`).map((line, n) => {
          const item = element(line, `${where}.FulfillmentPreviewItems.member.${n + 1}`);
          return {
            sku: text(item.SellerSKU, `${where}.FulfillmentPreviewItems.member.${n + 1}.SellerSKU`),
            quantity: integer(item.Quantity, `${where}.FulfillmentPreviewItems.member.${n + 1}.Quantity`),
          };
        }),
      };
    }),
    reasons: strings(preview.OrderUnfulfillableReasons, `${at}.OrderUnfulfillableReasons`),
    unfulfillable: members(preview.UnfulfillablePreviewItems, `${at}.UnfulfillablePreviewItems`).map((entry, index) => {
      const where = `${at}.UnfulfillablePreviewItems.member.${index + 1}`;
      const item = element(entry, where);
      return {
        sku: text(item.SellerSKU, `${where}.SellerSKU`),
        quantity: integer(item.Quantity, `${where}.Quantity`),
        reasons: strings(item.ItemUnfulfillableReasons, `${where}.ItemUnfulfillableReasons`),
      };
    }),
  };
  if (scheduled) result.timeZone = text(scheduled.DeliveryTimeZone, `${at}.ScheduledDeliveryInfo.DeliveryTimeZone`);
  if (windows.length > 0) result.deliveryWindows = windows;
  return result;
}

function fromAddress(value: unknown, what: string): Address {
  const address = element(value, what);
  return defined({
    name: text(address.Name, `${what}.Name`),
    line1: text(address.Line1, `${what}.Line1`),
    line2: optionalText(address.Line2, `${what}.Line2`),
    line3: optionalText(address.Line3, `${what}.Line3`),
    city: optionalText(address.City, `${what}.City`),
    districtOrCounty: optionalText(address.DistrictOrCounty, `${what}.DistrictOrCounty`),
    stateOrRegion: optionalText(address.StateOrProvinceCode, `${what}.StateOrProvinceCode`),
    postalCode: text(address.PostalCode, `${what}.PostalCode`),
    countryCode: text(address.CountryCode, `${what}.CountryCode`),
    phone: optionalText(address.PhoneNumber, `${what}.PhoneNumber`),
  });
}

/** `GetFulfillmentOrderResult` as the model's order. */
export function fromOrderResult(result: unknown): Order {
  const body = element(result, "GetFulfillmentOrderResult");
  const order = element(body.FulfillmentOrder, "FulfillmentOrder");
  const rawStatus = text(order.FulfillmentOrderStatus, "FulfillmentOrder.FulfillmentOrderStatus");
  const status = STATUS_BY_MWS.get(rawStatus.toUpperCase());
  if (!status) throw new WireMismatch("FulfillmentOrder.FulfillmentOrderStatus is not a known status");
  const action = optionalText(order.FulfillmentAction, "FulfillmentOrder.FulfillmentAction");
  if (action !== undefined && action !== "Ship" && action !== "Hold")
    throw new WireMismatch("FulfillmentOrder.FulfillmentAction is not Ship or Hold");
  const window =
    order.DeliveryWindow === undefined ? undefined : element(order.DeliveryWindow, "FulfillmentOrder.DeliveryWindow");
  const cod = order.CODSettings === undefined ? undefined : element(order.CODSettings, "FulfillmentOrder.CODSettings");
  return defined({
    orderId: text(order.SellerFulfillmentOrderId, "FulfillmentOrder.SellerFulfillmentOrderId"),
    marketplaceId: text(order.MarketplaceId, "FulfillmentOrder.MarketplaceId"),
    displayableOrderId: text(order.DisplayableOrderId, "FulfillmentOrder.DisplayableOrderId"),
    speed: speed(order.ShippingSpeedCategory, "FulfillmentOrder.ShippingSpeedCategory"),
    action: action as Order["action"],
    status,
    receivedAt: instant(order.ReceivedDateTime, "FulfillmentOrder.ReceivedDateTime"),
    statusUpdatedAt: instant(order.StatusUpdatedDateTime, "FulfillmentOrder.StatusUpdatedDateTime"),
    address: fromAddress(order.DestinationAddress, "FulfillmentOrder.DestinationAddress"),
    deliveryWindow: window
      ? {
          start: instant(window.StartDateTime, "FulfillmentOrder.DeliveryWindow.StartDateTime"),
          end: instant(window.EndDateTime, "FulfillmentOrder.DeliveryWindow.EndDateTime"),
        }
      : undefined,
    cashOnDelivery: cod ? flag(cod.IsCODRequired, "FulfillmentOrder.CODSettings.IsCODRequired") : false,
    items: members(body.FulfillmentOrderItem, "FulfillmentOrderItem").map((entry, index) => {
      const where = `FulfillmentOrderItem.member.${index + 1}`;
      const item = element(entry, where);
      return defined({
        sku: text(item.SellerSKU, `${where}.SellerSKU`),
        lineId: text(item.SellerFulfillmentOrderItemId, `${where}.SellerFulfillmentOrderItemId`),
        quantity: integer(item.Quantity, `${where}.Quantity`),
        cancelledQuantity: optionalInteger(item.CancelledQuantity, `${where}.CancelledQuantity`) ?? 0,
        unfulfillableQuantity: optionalInteger(item.UnfulfillableQuantity, `${where}.UnfulfillableQuantity`) ?? 0,
        estimatedShipAt: optionalInstant(item.EstimatedShipDateTime, `${where}.EstimatedShipDateTime`),
        estimatedArrivalAt: optionalInstant(item.EstimatedArrivalDateTime, `${where}.EstimatedArrivalDateTime`),
      });
    }),
    shipments: members(body.FulfillmentShipment, "FulfillmentShipment").map((entry, index) => {
      const where = `FulfillmentShipment.member.${index + 1}`;
      const shipment = element(entry, where);
      return defined({
        id: text(shipment.AmazonShipmentId, `${where}.AmazonShipmentId`),
        status: text(shipment.FulfillmentShipmentStatus, `${where}.FulfillmentShipmentStatus`),
        shippedAt: optionalInstant(shipment.ShippingDateTime, `${where}.ShippingDateTime`),
        estimatedArrivalAt: optionalInstant(shipment.EstimatedArrivalDateTime, `${where}.EstimatedArrivalDateTime`),
        items: members(shipment.FulfillmentShipmentItem, `${where}.FulfillmentShipmentItem`).map((line, n) => {
          const at = `${where}.FulfillmentShipmentItem.member.${n + 1}`;
          const item = element(line, at);
          return defined({
            sku: text(item.SellerSKU, `${at}.SellerSKU`),
            quantity: integer(item.Quantity, `${at}.Quantity`),
            packageNumber: optionalInteger(item.PackageNumber, `${at}.PackageNumber`),
          });
        }),
        packages: members(shipment.FulfillmentShipmentPackage, `${where}.FulfillmentShipmentPackage`).map((line, n) => {
          const at = `${where}.FulfillmentShipmentPackage.member.${n + 1}`;
          const entry = element(line, at);
          return defined({
            packageNumber: integer(entry.PackageNumber, `${at}.PackageNumber`),
            carrier: text(entry.CarrierCode, `${at}.CarrierCode`),
            trackingNumber: optionalText(entry.TrackingNumber, `${at}.TrackingNumber`),
            estimatedArrivalAt: optionalInstant(entry.EstimatedArrivalDateTime, `${at}.EstimatedArrivalDateTime`),
          });
        }),
      });
    }),
  });
}

/** `GetPackageTrackingDetailsResult` as the model's tracking. MWS events have a code; the description is optional. */
export function fromTrackingResult(result: unknown): PackageTracking {
  const details = element(result, "GetPackageTrackingDetailsResult");
  return defined({
    packageNumber: integer(details.PackageNumber, "PackageNumber"),
    trackingNumber: optionalText(details.TrackingNumber, "TrackingNumber"),
    carrier: optionalText(details.CarrierCode, "CarrierCode"),
    carrierUrl: optionalText(details.CarrierURL, "CarrierURL"),
    status: optionalText(details.CurrentStatus, "CurrentStatus"),
    shippedAt: optionalInstant(details.ShipDate, "ShipDate"),
    estimatedArrivalAt: optionalInstant(details.EstimatedArrivalDate, "EstimatedArrivalDate"),
    signedForBy: optionalText(details.SignedForBy, "SignedForBy"),
    events: members(details.TrackingEvents, "TrackingEvents").map((entry, index) => {
      const where = `TrackingEvents.member.${index + 1}`;
      const event = element(entry, where);
      const code = text(event.EventCode, `${where}.EventCode`);
      const place = event.EventAddress === undefined ? undefined : element(event.EventAddress, `${where}.EventAddress`);
      return defined({
        at: instant(event.EventDate, `${where}.EventDate`),
        code,
        description: optionalText(event.EventDescription, `${where}.EventDescription`) ?? code,
        location: place
          ? defined({
              city: optionalText(place.City, `${where}.EventAddress.City`),
              stateOrRegion: optionalText(place.State, `${where}.EventAddress.State`),
              countryCode: optionalText(place.Country, `${where}.EventAddress.Country`),
            })
          : undefined,
      });
    }),
  });
}

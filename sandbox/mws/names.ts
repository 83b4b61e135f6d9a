// MWS 2010-10-01 and SP-API 2020-07-01 describe the same things with different names: PascalCase parameters, lists
// as `X.member.N`, and a few renamed fields. This is the one table between them, used both ways: MWS parameters
// become a 2020-07-01 request, a 2020-07-01 answer becomes MWS XML elements, and messages that name a 2020-07-01
// field name the MWS parameter instead.

/** [MWS name, 2020-07-01 name] where the names differ beyond the first letter's case. */
const RENAMED: [string, string][] = [
  ["SellerSKU", "sellerSku"],
  ["FulfillmentNetworkSKU", "fulfillmentNetworkSku"],
  ["Line1", "addressLine1"],
  ["Line2", "addressLine2"],
  ["Line3", "addressLine3"],
  ["StateOrProvinceCode", "stateOrRegion"],
  ["PhoneNumber", "phone"],
  ["StartDateTime", "startDate"],
  ["EndDateTime", "endDate"],
  ["DisplayableOrderDateTime", "displayableOrderDate"],
  ["ReceivedDateTime", "receivedDate"],
  ["StatusUpdatedDateTime", "statusUpdatedDate"],
  ["QueryStartDateTime", "queryStartDate"],
  ["NotificationEmailList", "notificationEmails"],
  ["CODSettings", "codSettings"],
  ["IsCODRequired", "isCodRequired"],
  ["CODCharge", "codCharge"],
  ["CODChargeTax", "codChargeTax"],
  ["IsCODCapable", "isCODCapable"],
  ["IncludeCODFulfillmentPreview", "includeCODFulfillmentPreview"],
  ["CarrierURL", "carrierURL"],
  ["ReturnItemList", "returnItems"],
  ["ReturnAuthorizationList", "returnAuthorizations"],
  ["InvalidReturnItemList", "invalidReturnItems"],
  ["ReasonCodeDetailsList", "reasonCodeDetails"],
  ["FulfillmentOrderItem", "fulfillmentOrderItems"],
  ["FulfillmentShipment", "fulfillmentShipments"],
];

/** Order answers name their times …DateTime where tracking keeps …Date. */
export const ORDER_TIMES: [string, string][] = [
  ["EstimatedShipDateTime", "estimatedShipDate"],
  ["EstimatedArrivalDateTime", "estimatedArrivalDate"],
  ["ShippingDateTime", "shippingDate"],
];

const TO_JSON = new Map(RENAMED);
const TO_MWS = new Map(RENAMED.map(([mws, json]) => [json, mws]));

export function jsonName(mwsName: string): string {
  return TO_JSON.get(mwsName) ?? mwsName.charAt(0).toLowerCase() + mwsName.slice(1);
}

export function mwsName(jsonName: string, extra?: Map<string, string>): string {
  return extra?.get(jsonName) ?? TO_MWS.get(jsonName) ?? jsonName.charAt(0).toUpperCase() + jsonName.slice(1);
}

/** Values that travel as text in MWS but as numbers or booleans in 2020-07-01. */
const NUMBERS = new Set(["quantity", "packageNumber"]);
const BOOLEANS = new Set(["isCodRequired", "includeCODFulfillmentPreview", "includeDeliveryWindows"]);

export class ParameterError extends Error {
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(message);
    this.parameter = parameter;
  }
}

type Json = string | number | boolean | Json[] | { [key: string]: Json };

/**
 * `Items.member.2.SellerSKU=A` and friends as the 2020-07-01 request object `{items: [, {sellerSku: "A"}]}`.
 * Numbers and booleans are converted when they look like one and left as text otherwise, so the model's own
 * validation names the field. A list must count its members from 1 without gaps.
 */
export function toRequest(params: Record<string, string>): Record<string, Json> {
  const root: Record<string, Json> = {};
  for (const [name, value] of Object.entries(params)) {
    const segments = name.split(".");
    const invalid = () => new ParameterError(name, `${name} is not a valid parameter name.`);
    // Walks down the path, creating objects and lists; `slot` reads and writes the current place.
    let container: Record<string, Json> | Json[] = root;
    let slot: string | number = jsonName(segments[0] as string);
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i] as string;
      const isList = segment === "member";
      let next: Json | undefined = (container as Record<string | number, Json>)[slot];
      if (next === undefined) {
        next = isList ? [] : {};
        (container as Record<string | number, Json>)[slot] = next;
      }
      if (typeof next !== "object" || Array.isArray(next) !== isList) throw invalid();
      container = next;
      if (isList) {
        const position = Number(segments[++i]);
        if (!Number.isInteger(position) || position < 1)
          throw new ParameterError(name, `${name}: list members count from 1.`);
        slot = position - 1;
      } else {
        slot = jsonName(segment);
      }
    }
    if ((container as Record<string | number, Json>)[slot] !== undefined) throw invalid();
    (container as Record<string | number, Json>)[slot] = typeof slot === "string" ? convert(slot, value) : value;
  }
  checkLists(root, "");
  return root;
}

function convert(key: string, value: string): Json {
  if (NUMBERS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEANS.has(key) && (value === "true" || value === "false")) return value === "true";
  return value;
}

function checkLists(node: Json, path: string): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (!(i in node)) throw new ParameterError(`${path}.member.${i + 1}`, `${path}.member.${i + 1} is missing.`);
      checkLists(node[i] as Json, `${path}.member.${i + 1}`);
    }
    return;
  }
  if (typeof node === "object")
    for (const [key, child] of Object.entries(node)) checkLists(child, path ? `${path}.${mwsName(key)}` : mwsName(key));
}

/** A 2020-07-01 field path as MWS names the parameter: items[0].sellerSku → Items.member.1.SellerSKU. */
export function mwsPath(path: string): string {
  return path
    .split(".")
    .map((segment) =>
      segment.replace(/^([A-Za-z0-9]+)((?:\[\d+\])*)$/, (_, name: string, indexes: string) => {
        const members = [...indexes.matchAll(/\[(\d+)\]/g)].map((m) => `.member.${Number(m[1]) + 1}`).join("");
        return `${mwsName(name)}${members}`;
      }),
    )
    .join(".");
}

/** Top-level 2020-07-01 fields and operation names a message may start a path with. */
const REQUEST_FIELDS = new Set([
  "sellerFulfillmentOrderId",
  "displayableOrderId",
  "displayableOrderDate",
  "displayableOrderComment",
  "shippingSpeedCategory",
  "shippingSpeedCategories",
  "destinationAddress",
  "address",
  "items",
  "notificationEmails",
  "codSettings",
  "deliveryWindow",
  "fulfillmentAction",
  "fulfillmentPolicy",
  "marketplaceId",
  "includeCODFulfillmentPreview",
  "includeDeliveryWindows",
  "featureConstraints",
  "shipFromCountryCode",
  "packageNumber",
  "sellerSku",
  "queryStartDate",
  "nextToken",
  "getFulfillmentPreview",
]);

/** Rewrites every 2020-07-01 field path in a message to the MWS parameter name. */
export function mwsMessage(message: string): string {
  return message.replace(
    /\b([a-zA-Z][A-Za-z0-9]*)((?:\[\d+\])*(?:\.[A-Za-z][A-Za-z0-9]*(?:\[\d+\])*)*)/g,
    (whole, head) => (REQUEST_FIELDS.has(head) ? mwsPath(whole) : whole),
  );
}

import type {
  Address,
  FeatureSettings,
  GetFulfillmentPreviewItem,
  Money,
  ShippingSpeedCategory,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { invalidInput, invalidInputs } from "../http/errors.ts";
import { type Marketplace, marketplaceByCountry, marketplaceById, normalizeCountry } from "../marketplaces.ts";
import { validateInventory, validateOutbound } from "./schema.ts";

/** From the models' descriptions: at most 100 lines and 250 units per order. */
export const MAX_LINES = 100;
export const MAX_UNITS = 250;

/** Throws Amazon's 400 listing every way `value` breaks the model definition. */
export function assertOutbound<T>(definition: string, value: unknown): T {
  const problems = validateOutbound(definition, value);
  if (problems.length > 0) throw invalidInputs(problems);
  return value as T;
}

export function assertInventory<T>(definition: string, value: unknown): T {
  const problems = validateInventory(definition, value);
  if (problems.length > 0) throw invalidInputs(problems);
  return value as T;
}

/** The marketplace a request is placed against: explicit, else the destination's country. */
export function requestMarketplace(
  marketplaces: Marketplace[],
  marketplaceId: string | undefined,
  countryCode: string,
): Marketplace {
  if (marketplaceId !== undefined) {
    const marketplace = marketplaceById(marketplaces, marketplaceId);
    if (!marketplace) throw invalidInput(`marketplaceId '${marketplaceId}' is not a valid marketplace identifier.`);
    return marketplace;
  }
  const marketplace = marketplaceByCountry(marketplaces, countryCode);
  if (!marketplace)
    throw invalidInput(`No marketplace found for destination country '${countryCode}'; provide marketplaceId.`);
  return marketplace;
}

/** Line and unit limits, positive quantities, unique line ids. `field` is "items". */
export function checkItems(
  items: Pick<GetFulfillmentPreviewItem, "sellerFulfillmentOrderItemId" | "quantity">[],
): void {
  const problems: string[] = [];
  if (items.length === 0) problems.push("items must contain at least one item.");
  if (items.length > MAX_LINES) problems.push(`items must contain at most ${MAX_LINES} line items.`);
  const ids = new Set<string>();
  let units = 0;
  items.forEach((item, i) => {
    if (item.quantity < 1) problems.push(`items[${i}].quantity must be at least 1.`);
    if (item.sellerFulfillmentOrderItemId.length === 0)
      problems.push(`items[${i}].sellerFulfillmentOrderItemId must not be empty.`);
    if (ids.has(item.sellerFulfillmentOrderItemId))
      problems.push(`items[${i}].sellerFulfillmentOrderItemId '${item.sellerFulfillmentOrderItemId}' is duplicated.`);
    ids.add(item.sellerFulfillmentOrderItemId);
    units += Math.max(0, item.quantity);
  });
  if (units > MAX_UNITS) problems.push(`items must total at most ${MAX_UNITS} units; the request has ${units}.`);
  if (problems.length > 0) throw invalidInputs(problems);
}

/**
 * displayableOrderId: alphanumeric or ISO 8859-1, no two spaces in a row, not blank; leading and trailing white
 * space is removed (the trimmed value is returned). The model's `maxLength: 40` applies to the value as sent and is
 * checked with the schema, before this.
 */
export function checkDisplayableOrderId(value: string, field = "displayableOrderId"): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || value.length > 40)
    throw invalidInput(`${field} must be from 1 to 40 characters long and not only white space.`);
  if (/[^\u0020-\u007e\u00a0-\u00ff]/.test(trimmed))
    throw invalidInput(`${field} must contain only alphanumeric or ISO 8859-1 characters.`);
  if (trimmed.includes("  ")) throw invalidInput(`${field} cannot contain two spaces in a row.`);
  return trimmed;
}

export function checkSellerFulfillmentOrderId(value: string, field = "sellerFulfillmentOrderId"): void {
  if (value.length === 0 || value.length > 40) throw invalidInput(`${field} must be from 1 to 40 characters long.`);
  if (!/^[\x21-\x7e]+$/.test(value))
    throw invalidInput(`${field} must contain only printable ASCII characters, no spaces.`);
}

/** Where the address cannot be delivered to by this marketplace: a reason for previews, a 400 for orders. */
export function addressProblem(
  marketplace: Marketplace,
  address: Pick<Address, "countryCode" | "postalCode">,
): string | undefined {
  if (normalizeCountry(address.countryCode) !== marketplace.countryCode)
    return `destinationAddress.countryCode '${address.countryCode}' cannot be served from marketplace ${marketplace.id} (${marketplace.countryCode}).`;
  const postalCode = address.postalCode.trim();
  if (!marketplace.postalCode.test(postalCode))
    return `destinationAddress.postalCode '${address.postalCode}' is not a valid postal code for ${marketplace.countryCode}.`;
  if (marketplace.unassignedPostalCodes?.test(postalCode))
    return `destinationAddress.postalCode '${address.postalCode}' is not an assigned postal code in ${marketplace.countryCode}.`;
  return undefined;
}

/** Parameters that only the JP marketplace accepts. */
export function checkJapanOnly(marketplace: Marketplace, used: { field: string; present: boolean }[]): void {
  if (marketplace.countryCode === "JP") return;
  const problems = used
    .filter((u) => u.present)
    .map((u) => `${u.field} is only supported in the JP marketplace (A1VC38T7YXB528).`);
  if (problems.length > 0) throw invalidInputs(problems);
}

export function speedOffered(marketplace: Marketplace, speed: ShippingSpeedCategory): boolean {
  return marketplace.speeds.includes(speed);
}

export function checkEmails(emails: string[] | undefined, field = "notificationEmails"): void {
  if (!emails) return;
  const problems: string[] = [];
  emails.forEach((email, i) => {
    if (email.length > 64 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      problems.push(`${field}[${i}] must be an email address of at most 64 characters.`);
  });
  if (problems.length > 0) throw invalidInputs(problems);
}

/** Money the seller sends: a non-negative decimal in the marketplace's currency. `fields` maps paths to values. */
export function checkMoney(marketplace: Marketplace, fields: [string, Money | undefined][]): void {
  const problems: string[] = [];
  for (const [field, money] of fields) {
    if (!money) continue;
    if (!/^\d+(\.\d+)?$/.test(money.value)) problems.push(`${field}.value must be a non-negative decimal number.`);
    if (money.currencyCode !== marketplace.currencyCode)
      problems.push(`${field}.currencyCode must be ${marketplace.currencyCode} in marketplace ${marketplace.id}.`);
  }
  if (problems.length > 0) throw invalidInputs(problems);
}

/** The money fields of request items, by path, for `checkMoney`. */
export function itemMoney(
  items: { perUnitDeclaredValue?: Money; perUnitPrice?: Money; perUnitTax?: Money }[],
): [string, Money | undefined][] {
  return items.flatMap((item, i): [string, Money | undefined][] => [
    [`items[${i}].perUnitDeclaredValue`, item.perUnitDeclaredValue],
    [`items[${i}].perUnitPrice`, item.perUnitPrice],
    [`items[${i}].perUnitTax`, item.perUnitTax],
  ]);
}

/** Feature names the model lists for `FeatureSettings.featureName`. */
export const FEATURE_NAMES = [
  "BLOCK_AMZL",
  "BLANK_BOX",
  "OVERBOX",
  "PACKING_SLIP",
  "SIGNATURE_CONFIRMATION",
  "DELIVER_TOGETHER",
] as const;

/**
 * Checks `featureConstraints` (a 400 naming each unknown feature) and returns the Required ones the marketplace does
 * not offer (`getFeatures` lists what it offers): a preview cannot be fulfilled with them, an order is refused.
 */
export function unavailableFeatures(marketplace: Marketplace, features: FeatureSettings[] | undefined): string[] {
  if (!features) return [];
  const problems = features.flatMap((feature, i) =>
    (FEATURE_NAMES as readonly string[]).includes(feature.featureName ?? "")
      ? []
      : [`featureConstraints[${i}].featureName '${feature.featureName ?? ""}' is not a valid feature name.`],
  );
  if (problems.length > 0) throw invalidInputs(problems);
  return features
    .filter((f) => f.featureFulfillmentPolicy === "Required" && !marketplace.features.includes(f.featureName ?? ""))
    .map((f) => f.featureName ?? "");
}

/** For orders: a Required feature the marketplace does not offer is a 400. */
export function checkFeatures(marketplace: Marketplace, features: FeatureSettings[] | undefined): void {
  const missing = unavailableFeatures(marketplace, features);
  if (missing.length > 0)
    throw invalidInputs(
      missing.map(
        (name) => `featureConstraints: feature ${name} is Required but not available in marketplace ${marketplace.id}.`,
      ),
    );
}

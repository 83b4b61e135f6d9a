import type { Fee, ShippingSpeedCategory } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { FeeTable, Marketplace, SizeTier } from "../marketplaces.ts";

/** Physical facts about one unit, metric. */
export interface Parcel {
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  weightGrams: number;
}

const SMALL = { longest: 38.1, median: 30.5, shortest: 1.9, grams: 454 };
const STANDARD = { longest: 45.7, median: 35.6, shortest: 20.3, grams: 9072 };
/** Carriers' volumetric divisor: cm³ per kg. */
const DIMENSIONAL_DIVISOR = 5000;

function sortedSides(p: Parcel): [number, number, number] {
  const sides = [p.lengthCm, p.widthCm, p.heightCm].sort((a, b) => b - a);
  return [sides[0] ?? 0, sides[1] ?? 0, sides[2] ?? 0];
}

export function sizeTier(p: Parcel): SizeTier {
  const [longest, median, shortest] = sortedSides(p);
  const fits = (t: typeof SMALL) =>
    longest <= t.longest && median <= t.median && shortest <= t.shortest && p.weightGrams <= t.grams;
  if (fits(SMALL)) return "Small";
  if (fits(STANDARD)) return "Standard";
  return "Oversize";
}

export interface ShippingWeight {
  grams: number;
  method: "Package" | "Dimensional";
}

/** Billable weight: the greater of the unit weight and its dimensional weight (small items always by package). */
export function shippingWeight(p: Parcel): ShippingWeight {
  const dimensionalGrams = Math.ceil(((p.lengthCm * p.widthCm * p.heightCm) / DIMENSIONAL_DIVISOR) * 1000);
  if (sizeTier(p) !== "Small" && dimensionalGrams > p.weightGrams)
    return { grams: dimensionalGrams, method: "Dimensional" };
  return { grams: p.weightGrams, method: "Package" };
}

export interface FeeLine {
  quantity: number;
  parcel: Parcel;
}

/** Fees in minor units. */
export interface FeeBreakdown {
  FBAPerUnitFulfillmentFee: number;
  FBAPerOrderFulfillmentFee: number;
  FBATransportationFee: number;
  FBAFulfillmentCODFee?: number;
}

export function unitFee(table: FeeTable, speed: ShippingSpeedCategory, parcel: Parcel): number {
  const tier = sizeTier(parcel);
  const base = table.perUnit[speed]?.[tier];
  if (base === undefined) throw new RangeError(`no ${speed} fee for size tier ${tier}`);
  const extraGrams = shippingWeight(parcel).grams - table.includedGrams[tier];
  const extraKg = extraGrams > 0 ? Math.ceil(extraGrams / 1000) : 0;
  return base + extraKg * table.perExtraKg[tier];
}

export function estimateFees(
  table: FeeTable,
  speed: ShippingSpeedCategory,
  lines: FeeLine[],
  cashOnDelivery: boolean,
  remoteSurcharge = 0,
): FeeBreakdown {
  let perUnit = 0;
  let grams = 0;
  for (const line of lines) {
    perUnit += unitFee(table, speed, line.parcel) * line.quantity;
    grams += shippingWeight(line.parcel).grams * line.quantity;
  }
  const breakdown: FeeBreakdown = {
    FBAPerUnitFulfillmentFee: perUnit,
    FBAPerOrderFulfillmentFee: table.perOrder[speed] ?? 0,
    // A remote area's surcharge is transport: it rides on the transportation fee.
    FBATransportationFee:
      lines.length === 0 ? 0 : Math.ceil(grams / 1000) * table.transportationPerKg + remoteSurcharge,
  };
  if (cashOnDelivery) {
    if (table.cashOnDelivery === undefined) throw new RangeError("cash on delivery is not offered in this marketplace");
    breakdown.FBAFulfillmentCODFee = table.cashOnDelivery;
  }
  return breakdown;
}

/** Minor units to Amazon's decimal string ("7.99", "530"). */
export function formatMoney(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, "0")}`;
}

export function feeList(
  breakdown: FeeBreakdown,
  marketplace: Pick<Marketplace, "currencyCode" | "currencyDigits">,
): Fee[] {
  return (Object.entries(breakdown) as [Fee["name"], number | undefined][])
    .filter((entry): entry is [Fee["name"], number] => entry[1] !== undefined)
    .map(([name, minor]) => ({
      name,
      amount: { currencyCode: marketplace.currencyCode, value: formatMoney(minor, marketplace.currencyDigits) },
    }));
}

/** Weight string in the marketplace's unit, two decimals. */
export function formatWeight(grams: number, unit: "KG" | "LB"): { unit: "KG" | "LB"; value: string } {
  const value = unit === "KG" ? grams / 1000 : grams / 453.59237;
  return { unit, value: value.toFixed(2) };
}

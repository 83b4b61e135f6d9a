import type { ShippingSpeedCategory } from "../spec/generated/fulfillment-outbound-2020-07-01.ts";

/** Size tiers used by the fee tables (thresholds in `fees/index.ts`). */
export type SizeTier = "Small" | "Standard" | "Oversize";

/** Business days between shipping and delivery for one speed; `handlingDays` widens the ship window. */
export interface Transit {
  handlingDays: number;
  minDays: number;
  maxDays: number;
}

/** Fee tables in the currency's minor unit (cents, yen, pence). */
export interface FeeTable {
  perUnit: Partial<Record<ShippingSpeedCategory, Record<SizeTier, number>>>;
  /** Included shipping weight per unit, then a surcharge per started extra kg. */
  includedGrams: Record<SizeTier, number>;
  perExtraKg: Record<SizeTier, number>;
  perOrder: Partial<Record<ShippingSpeedCategory, number>>;
  /** Per started kg of the whole shipment. */
  transportationPerKg: number;
  cashOnDelivery?: number;
}

/**
 * Destinations carriers reach later and charge more for (Alaska, Hawaii, Puerto Rico; Okinawa; Canada's north):
 * a per-order surcharge in minor units added to the transportation fee, and extra transit days for every speed.
 */
export interface RemoteArea {
  name: string;
  postalCode: RegExp;
  surcharge: Partial<Record<ShippingSpeedCategory, number>>;
  extraTransitDays: number;
}

export interface Marketplace {
  id: string;
  countryCode: string;
  currencyCode: string;
  /** Digits after the decimal point of the currency (JPY has none). */
  currencyDigits: number;
  timeZone: string;
  locale: string;
  weightUnit: "KG" | "LB";
  speeds: ShippingSpeedCategory[];
  /** Local hour after which an order ships on the next ship day. */
  cutoffHour: number;
  /** Weekdays (0 = Sunday) on which fulfilment centres ship and carriers deliver. */
  shipWeekdays: number[];
  deliveryWeekdays: number[];
  /** Local dates (YYYY-MM-DD) with no shipping or delivery. */
  holidays: string[];
  transit: Partial<Record<ShippingSpeedCategory, Transit>>;
  fees: FeeTable;
  cashOnDelivery: boolean;
  /** ScheduledDelivery only: how many days of windows a preview offers, and the local slots [startHour, endHour]. */
  deliveryWindows?: { days: number; slots: [number, number][] };
  postalCode: RegExp;
  /** Codes of the right form that no post office uses (US 00000, JP 000-0000): InvalidDestinationAddress. */
  unassignedPostalCodes?: RegExp;
  remoteAreas?: RemoteArea[];
  fulfillmentCenters: string[];
  carriers: Partial<
    Record<ShippingSpeedCategory, { code: string; trackingPrefix: string; phone: string; url: string }>
  >;
  features: string[];
}

const WEEKDAYS = [1, 2, 3, 4, 5];

/** Cents per order to Alaska, Hawaii and Puerto Rico. */
const US_REMOTE_SURCHARGE = { Standard: 1200, Expedited: 2400, Priority: 4500 };
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

const US_FEES: FeeTable = {
  perUnit: {
    Standard: { Small: 659, Standard: 799, Oversize: 1649 },
    Expedited: { Small: 899, Standard: 1099, Oversize: 2399 },
    Priority: { Small: 1549, Standard: 1799, Oversize: 3699 },
  },
  includedGrams: { Small: 454, Standard: 907, Oversize: 4536 },
  perExtraKg: { Small: 0, Standard: 88, Oversize: 96 },
  perOrder: { Standard: 0, Expedited: 0, Priority: 0 },
  transportationPerKg: 0,
};

const EU_FEES = (scale: number): FeeTable => ({
  perUnit: {
    Standard: { Small: Math.round(480 * scale), Standard: Math.round(620 * scale), Oversize: Math.round(1390 * scale) },
    Expedited: {
      Small: Math.round(690 * scale),
      Standard: Math.round(880 * scale),
      Oversize: Math.round(1890 * scale),
    },
    Priority: {
      Small: Math.round(1090 * scale),
      Standard: Math.round(1290 * scale),
      Oversize: Math.round(2790 * scale),
    },
  },
  includedGrams: { Small: 400, Standard: 1000, Oversize: 5000 },
  perExtraKg: { Small: 0, Standard: Math.round(45 * scale), Oversize: Math.round(60 * scale) },
  perOrder: { Standard: 0, Expedited: Math.round(50 * scale), Priority: Math.round(100 * scale) },
  transportationPerKg: Math.round(20 * scale),
});

export const MARKETPLACES: Marketplace[] = [
  {
    id: "ATVPDKIKX0DER",
    countryCode: "US",
    currencyCode: "USD",
    currencyDigits: 2,
    timeZone: "America/New_York",
    locale: "en_US",
    weightUnit: "LB",
    speeds: ["Standard", "Expedited", "Priority"],
    cutoffHour: 14,
    shipWeekdays: WEEKDAYS,
    deliveryWeekdays: [1, 2, 3, 4, 5, 6],
    holidays: ["2026-01-01", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"],
    transit: {
      Standard: { handlingDays: 1, minDays: 3, maxDays: 5 },
      Expedited: { handlingDays: 0, minDays: 2, maxDays: 2 },
      Priority: { handlingDays: 0, minDays: 1, maxDays: 1 },
    },
    fees: US_FEES,
    cashOnDelivery: false,
    postalCode: /^\d{5}(-\d{4})?$/,
    // No ZIP code is below 00501; 99999 is nobody's.
    unassignedPostalCodes: /^(00[0-4]\d\d|00500|99999)/,
    remoteAreas: [
      { name: "Alaska", postalCode: /^99[5-9]/, surcharge: US_REMOTE_SURCHARGE, extraTransitDays: 4 },
      { name: "Hawaii", postalCode: /^96[78]/, surcharge: US_REMOTE_SURCHARGE, extraTransitDays: 3 },
      { name: "Puerto Rico", postalCode: /^00[6-9]/, surcharge: US_REMOTE_SURCHARGE, extraTransitDays: 4 },
    ],
    fulfillmentCenters: ["ONT8", "PHL7", "MDW2"],
    carriers: {
      Standard: { code: "USPS", trackingPrefix: "9400", phone: "1-800-275-8777", url: "https://tools.usps.com" },
      Expedited: { code: "UPS", trackingPrefix: "1Z", phone: "1-800-742-5877", url: "https://www.ups.com" },
      Priority: { code: "AMZN_US", trackingPrefix: "TBA", phone: "1-877-252-1113", url: "https://track.amazon.com" },
    },
    features: ["BLANK_BOX", "BLOCK_AMZL", "SIGNATURE_CONFIRMATION"],
  },
  {
    id: "A2EUQ1WTGCTBG2",
    countryCode: "CA",
    currencyCode: "CAD",
    currencyDigits: 2,
    timeZone: "America/Toronto",
    locale: "en_CA",
    weightUnit: "KG",
    speeds: ["Standard", "Expedited", "Priority"],
    cutoffHour: 13,
    shipWeekdays: WEEKDAYS,
    deliveryWeekdays: WEEKDAYS,
    holidays: ["2026-01-01", "2026-07-01", "2026-12-25"],
    transit: {
      Standard: { handlingDays: 1, minDays: 3, maxDays: 7 },
      Expedited: { handlingDays: 0, minDays: 2, maxDays: 3 },
      Priority: { handlingDays: 0, minDays: 1, maxDays: 2 },
    },
    fees: EU_FEES(1.45),
    cashOnDelivery: false,
    postalCode: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
    remoteAreas: [
      {
        name: "Yukon, Northwest Territories, Nunavut",
        postalCode: /^[XY]/i,
        surcharge: { Standard: 1500, Expedited: 2500, Priority: 4000 },
        extraTransitDays: 4,
      },
    ],
    fulfillmentCenters: ["YYZ4", "YVR3"],
    carriers: {
      Standard: {
        code: "CANADA_POST",
        trackingPrefix: "7023",
        phone: "1-866-607-6301",
        url: "https://www.canadapost.ca",
      },
      Expedited: {
        code: "PUROLATOR",
        trackingPrefix: "3310",
        phone: "1-888-744-7123",
        url: "https://www.purolator.com",
      },
      Priority: { code: "AMZN_CA", trackingPrefix: "TBC", phone: "1-877-586-3230", url: "https://track.amazon.ca" },
    },
    features: ["BLANK_BOX"],
  },
  {
    id: "A1F83G8C2ARO7P",
    countryCode: "GB",
    currencyCode: "GBP",
    currencyDigits: 2,
    timeZone: "Europe/London",
    locale: "en_GB",
    weightUnit: "KG",
    speeds: ["Standard", "Expedited", "Priority"],
    cutoffHour: 14,
    shipWeekdays: WEEKDAYS,
    deliveryWeekdays: [1, 2, 3, 4, 5, 6],
    holidays: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-12-25", "2026-12-28"],
    transit: {
      Standard: { handlingDays: 1, minDays: 2, maxDays: 3 },
      Expedited: { handlingDays: 0, minDays: 1, maxDays: 2 },
      Priority: { handlingDays: 0, minDays: 1, maxDays: 1 },
    },
    fees: EU_FEES(0.86),
    cashOnDelivery: false,
    postalCode: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
    fulfillmentCenters: ["BHX4", "MAN1", "LTN4"],
    carriers: {
      Standard: { code: "ROYAL_MAIL", trackingPrefix: "RM", phone: "0345 774 0740", url: "https://www.royalmail.com" },
      Expedited: { code: "DPD_UK", trackingPrefix: "155", phone: "0121 275 0500", url: "https://www.dpd.co.uk" },
      Priority: { code: "AMZN_UK", trackingPrefix: "QA", phone: "0800 279 7234", url: "https://track.amazon.co.uk" },
    },
    features: ["BLANK_BOX", "BLOCK_AMZL"],
  },
  {
    id: "A1PA6795UKMFR9",
    countryCode: "DE",
    currencyCode: "EUR",
    currencyDigits: 2,
    timeZone: "Europe/Berlin",
    locale: "de_DE",
    weightUnit: "KG",
    speeds: ["Standard", "Expedited", "Priority"],
    cutoffHour: 13,
    shipWeekdays: WEEKDAYS,
    deliveryWeekdays: [1, 2, 3, 4, 5, 6],
    holidays: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-10-03", "2026-12-25", "2026-12-26"],
    transit: {
      Standard: { handlingDays: 1, minDays: 1, maxDays: 3 },
      Expedited: { handlingDays: 0, minDays: 1, maxDays: 2 },
      Priority: { handlingDays: 0, minDays: 1, maxDays: 1 },
    },
    fees: EU_FEES(1),
    cashOnDelivery: false,
    postalCode: /^\d{5}$/,
    // German postal codes start at 01001.
    unassignedPostalCodes: /^00/,
    fulfillmentCenters: ["LEJ1", "FRA3", "MUC3"],
    carriers: {
      Standard: { code: "DHL_DE", trackingPrefix: "00340", phone: "0228 4333112", url: "https://www.dhl.de" },
      Expedited: { code: "DPD_DE", trackingPrefix: "0150", phone: "06021 0843 0", url: "https://www.dpd.com/de" },
      Priority: { code: "AMZN_DE", trackingPrefix: "DE", phone: "0800 363 8469", url: "https://track.amazon.de" },
    },
    features: ["BLANK_BOX"],
  },
  {
    id: "A13V1IB3VIYZZH",
    countryCode: "FR",
    currencyCode: "EUR",
    currencyDigits: 2,
    timeZone: "Europe/Paris",
    locale: "fr_FR",
    weightUnit: "KG",
    speeds: ["Standard", "Expedited"],
    cutoffHour: 13,
    shipWeekdays: WEEKDAYS,
    deliveryWeekdays: [1, 2, 3, 4, 5, 6],
    holidays: ["2026-01-01", "2026-05-01", "2026-07-14", "2026-12-25"],
    transit: {
      Standard: { handlingDays: 1, minDays: 2, maxDays: 4 },
      Expedited: { handlingDays: 0, minDays: 1, maxDays: 2 },
    },
    fees: EU_FEES(1.05),
    cashOnDelivery: false,
    postalCode: /^\d{5}$/,
    fulfillmentCenters: ["ORY1", "LYS1"],
    carriers: {
      Standard: { code: "COLISSIMO", trackingPrefix: "6A", phone: "3631", url: "https://www.laposte.fr" },
      Expedited: { code: "CHRONOPOST", trackingPrefix: "XY", phone: "0969 391 391", url: "https://www.chronopost.fr" },
    },
    features: ["BLANK_BOX"],
  },
  {
    id: "A1VC38T7YXB528",
    countryCode: "JP",
    currencyCode: "JPY",
    currencyDigits: 0,
    timeZone: "Asia/Tokyo",
    locale: "ja_JP",
    weightUnit: "KG",
    speeds: ["Standard", "Expedited", "Priority", "ScheduledDelivery"],
    cutoffHour: 15,
    shipWeekdays: EVERY_DAY,
    deliveryWeekdays: EVERY_DAY,
    holidays: ["2026-01-01", "2026-01-02"],
    transit: {
      Standard: { handlingDays: 1, minDays: 2, maxDays: 4 },
      Expedited: { handlingDays: 0, minDays: 1, maxDays: 2 },
      Priority: { handlingDays: 0, minDays: 1, maxDays: 1 },
      ScheduledDelivery: { handlingDays: 0, minDays: 1, maxDays: 1 },
    },
    fees: {
      perUnit: {
        Standard: { Small: 390, Standard: 530, Oversize: 1290 },
        Expedited: { Small: 490, Standard: 640, Oversize: 1490 },
        Priority: { Small: 690, Standard: 840, Oversize: 1790 },
        ScheduledDelivery: { Small: 590, Standard: 740, Oversize: 1690 },
      },
      includedGrams: { Small: 250, Standard: 1000, Oversize: 5000 },
      perExtraKg: { Small: 0, Standard: 60, Oversize: 80 },
      perOrder: { Standard: 0, Expedited: 100, Priority: 200, ScheduledDelivery: 150 },
      transportationPerKg: 20,
      cashOnDelivery: 330,
    },
    cashOnDelivery: true,
    deliveryWindows: {
      days: 7,
      slots: [
        [8, 12],
        [14, 16],
        [16, 18],
        [18, 20],
        [19, 21],
      ],
    },
    postalCode: /^\d{3}-?\d{4}$/,
    unassignedPostalCodes: /^000-?0000$/,
    remoteAreas: [
      {
        name: "Okinawa",
        postalCode: /^90[0-7]/,
        surcharge: { Standard: 500, Expedited: 800, Priority: 1200, ScheduledDelivery: 800 },
        extraTransitDays: 2,
      },
    ],
    fulfillmentCenters: ["NRT1", "KIX2", "HND3"],
    carriers: {
      Standard: {
        code: "JAPANPOST",
        trackingPrefix: "3",
        phone: "0120-23-28-86",
        url: "https://www.post.japanpost.jp",
      },
      Expedited: { code: "SAGAWA", trackingPrefix: "5", phone: "0570-01-0500", url: "https://www.sagawa-exp.co.jp" },
      Priority: { code: "YAMATO", trackingPrefix: "4", phone: "0120-01-9625", url: "https://www.kuronekoyamato.co.jp" },
      ScheduledDelivery: {
        code: "YAMATO",
        trackingPrefix: "4",
        phone: "0120-01-9625",
        url: "https://www.kuronekoyamato.co.jp",
      },
    },
    features: ["BLANK_BOX"],
  },
  {
    id: "A39IBJ37TRP1C6",
    countryCode: "AU",
    currencyCode: "AUD",
    currencyDigits: 2,
    timeZone: "Australia/Sydney",
    locale: "en_AU",
    weightUnit: "KG",
    speeds: ["Standard", "Expedited"],
    cutoffHour: 12,
    shipWeekdays: WEEKDAYS,
    deliveryWeekdays: WEEKDAYS,
    holidays: ["2026-01-01", "2026-01-26", "2026-12-25", "2026-12-28"],
    transit: {
      Standard: { handlingDays: 1, minDays: 3, maxDays: 8 },
      Expedited: { handlingDays: 0, minDays: 1, maxDays: 3 },
    },
    fees: EU_FEES(1.6),
    cashOnDelivery: false,
    postalCode: /^\d{4}$/,
    unassignedPostalCodes: /^0000$/,
    fulfillmentCenters: ["SYD8", "MEL1"],
    carriers: {
      Standard: { code: "AUSPOST", trackingPrefix: "33", phone: "13 76 78", url: "https://auspost.com.au" },
      Expedited: { code: "STARTRACK", trackingPrefix: "ST", phone: "13 23 45", url: "https://startrack.com.au" },
    },
    features: ["BLANK_BOX"],
  },
];

/** ISO country codes Amazon spells differently: "UK" is accepted for GB, as Seller Central does. */
const COUNTRY_ALIASES: Record<string, string> = { UK: "GB" };

export function normalizeCountry(code: string): string {
  const upper = code.toUpperCase();
  return COUNTRY_ALIASES[upper] ?? upper;
}

export function marketplaceById(list: Marketplace[], id: string): Marketplace | undefined {
  return list.find((m) => m.id === id);
}

export function marketplaceByCountry(list: Marketplace[], countryCode: string): Marketplace | undefined {
  const country = normalizeCountry(countryCode);
  return list.find((m) => m.countryCode === country);
}

/** A catalog key is either a marketplace id or its country code ("US", "JP", "UK"). */
export function resolveMarketplace(list: Marketplace[], key: string): Marketplace | undefined {
  return marketplaceById(list, key) ?? marketplaceByCountry(list, key);
}

/** The remote area a postal code lies in, if any. */
export function remoteAreaOf(marketplace: Marketplace, postalCode: string): RemoteArea | undefined {
  const code = postalCode.trim();
  return marketplace.remoteAreas?.find((area) => area.postalCode.test(code));
}

// Facts per marketplace the proxy needs without asking Amazon: its region, currency and time zone.

export type Region = "na" | "eu" | "fe";

export interface Marketplace {
  id: string;
  country: string;
  region: Region;
  currency: string;
  timeZone: string;
}

const TABLE: Marketplace[] = [
  { id: "ATVPDKIKX0DER", country: "US", region: "na", currency: "USD", timeZone: "America/Los_Angeles" },
  { id: "A2EUQ1WTGCTBG2", country: "CA", region: "na", currency: "CAD", timeZone: "America/Toronto" },
  { id: "A1AM78C64UM0Y8", country: "MX", region: "na", currency: "MXN", timeZone: "America/Mexico_City" },
  { id: "A2Q3Y263D00KWC", country: "BR", region: "na", currency: "BRL", timeZone: "America/Sao_Paulo" },
  { id: "A1F83G8C2ARO7P", country: "GB", region: "eu", currency: "GBP", timeZone: "Europe/London" },
  { id: "A1PA6795UKMFR9", country: "DE", region: "eu", currency: "EUR", timeZone: "Europe/Berlin" },
  { id: "A13V1IB3VIYZZH", country: "FR", region: "eu", currency: "EUR", timeZone: "Europe/Paris" },
  { id: "APJ6JRA9NG5V4", country: "IT", region: "eu", currency: "EUR", timeZone: "Europe/Rome" },
  { id: "A1RKKUPIHCS9HS", country: "ES", region: "eu", currency: "EUR", timeZone: "Europe/Madrid" },
  { id: "A1805IZSGTT6HS", country: "NL", region: "eu", currency: "EUR", timeZone: "Europe/Amsterdam" },
  { id: "A21TJRUUN4KGV", country: "IN", region: "eu", currency: "INR", timeZone: "Asia/Kolkata" },
  { id: "A1VC38T7YXB528", country: "JP", region: "fe", currency: "JPY", timeZone: "Asia/Tokyo" },
  { id: "A39IBJ37TRP1C6", country: "AU", region: "fe", currency: "AUD", timeZone: "Australia/Sydney" },
  { id: "A19VAU5U5O7RUS", country: "SG", region: "fe", currency: "SGD", timeZone: "Asia/Singapore" },
];

const BY_ID = new Map(TABLE.map((marketplace) => [marketplace.id, marketplace]));
const BY_COUNTRY = new Map(TABLE.map((marketplace) => [marketplace.country, marketplace]));

export function findMarketplace(id: string): Marketplace | undefined {
  return BY_ID.get(id);
}

/** The marketplace of a country (2026-07-04 names an order's marketplace by its origin country). */
export function marketplaceOfCountry(countryCode: string): Marketplace | undefined {
  return BY_COUNTRY.get(countryCode.toUpperCase());
}

/** Amazon offers Scheduled Delivery (time windows) only in Japan. */
export function offersScheduledDelivery(marketplaceId: string): boolean {
  return findMarketplace(marketplaceId)?.country === "JP";
}

const PRODUCTION_HOSTS: Record<Region, string> = {
  na: "https://sellingpartnerapi-na.amazon.com",
  eu: "https://sellingpartnerapi-eu.amazon.com",
  fe: "https://sellingpartnerapi-fe.amazon.com",
};

export function amazonHost(region: Region, sandbox: boolean): string {
  const host = PRODUCTION_HOSTS[region];
  return sandbox ? host.replace("https://", "https://sandbox.") : host;
}

export const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";

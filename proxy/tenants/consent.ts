// Where a seller is sent to authorise the app: the Seller Central host of the seller's marketplace (Amazon's table)
// + /apps/authorize/consent. Pure.

/** Seller Central hosts by marketplace id (Amazon's website authorization workflow). */
export const SELLER_CENTRAL_HOSTS: Readonly<Record<string, string>> = {
  ATVPDKIKX0DER: "https://sellercentral.amazon.com", // US
  A2EUQ1WTGCTBG2: "https://sellercentral.amazon.ca", // CA
  A1AM78C64UM0Y8: "https://sellercentral.amazon.com.mx", // MX
  A2Q3Y263D00KWC: "https://sellercentral.amazon.com.br", // BR
  A1F83G8C2ARO7P: "https://sellercentral-europe.amazon.com", // UK
  A1PA6795UKMFR9: "https://sellercentral-europe.amazon.com", // DE
  A13V1IB3VIYZZH: "https://sellercentral-europe.amazon.com", // FR
  APJ6JRA9NG5V4: "https://sellercentral-europe.amazon.com", // IT
  A1RKKUPIHCS9HS: "https://sellercentral-europe.amazon.com", // ES
  A1805IZSGTT6HS: "https://sellercentral.amazon.nl", // NL
  A2NODRKZP88ZB9: "https://sellercentral.amazon.se", // SE
  A1C3SOZRARQ6R3: "https://sellercentral.amazon.pl", // PL
  A33AVAJ2PDY3EV: "https://sellercentral.amazon.com.tr", // TR
  A2VIGQ35RCS4UG: "https://sellercentral.amazon.ae", // AE
  A21TJRUUN4KGV: "https://sellercentral.amazon.in", // IN
  A19VAU5U5O7RUS: "https://sellercentral.amazon.sg", // SG
  A39IBJ37TRP1C6: "https://sellercentral.amazon.com.au", // AU
  A1VC38T7YXB528: "https://sellercentral.amazon.co.jp", // JP
};

export const CONSENT_PATH = "/apps/authorize/consent";

export interface ConsentUrlInput {
  marketplaceId: string;
  /** The app's SP-API application id (`amzn1.sellerapps.app.…`), not its LWA client id. */
  applicationId: string;
  state: string;
  /** One of the app's registered OAuth redirect URIs; Amazon uses the first registered one when absent. */
  redirectUri?: string;
  /** The app is still in Draft: Amazon wants `version=beta`. */
  draft?: boolean;
  /** Replaces the Seller Central host (the local sandbox's consent simulator). */
  sellerCentralUrl?: string;
}

export function sellerCentralHost(marketplaceId: string): string | undefined {
  return SELLER_CENTRAL_HOSTS[marketplaceId];
}

/** The consent URL; throws a TypeError naming the field for an unknown marketplace or a missing value. */
export function consentUrl(input: ConsentUrlInput): string {
  const base = input.sellerCentralUrl ?? sellerCentralHost(input.marketplaceId);
  if (!base) throw new TypeError(`marketplaceId ${input.marketplaceId} has no Seller Central host`);
  if (!input.applicationId) throw new TypeError("applicationId is required");
  if (!input.state) throw new TypeError("state is required");
  const url = new URL(CONSENT_PATH, base);
  url.searchParams.set("application_id", input.applicationId);
  url.searchParams.set("state", input.state);
  if (input.redirectUri) url.searchParams.set("redirect_uri", input.redirectUri);
  if (input.draft) url.searchParams.set("version", "beta");
  return url.href;
}

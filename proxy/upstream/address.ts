// Our address fields → Amazon's Address (line1 → addressLine1, …), leaving out what the caller did not give.
import type { Address } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";

export interface AddressInput {
  name: string;
  line1: string;
  line2?: string | undefined;
  line3?: string | undefined;
  city?: string | undefined;
  districtOrCounty?: string | undefined;
  stateOrRegion?: string | undefined;
  postalCode: string;
  countryCode: string;
  phone?: string | undefined;
}

export function toAmazonAddress(address: AddressInput): Address {
  return {
    name: address.name,
    addressLine1: address.line1,
    ...(address.line2 ? { addressLine2: address.line2 } : {}),
    ...(address.line3 ? { addressLine3: address.line3 } : {}),
    ...(address.city ? { city: address.city } : {}),
    ...(address.districtOrCounty ? { districtOrCounty: address.districtOrCounty } : {}),
    ...(address.stateOrRegion ? { stateOrRegion: address.stateOrRegion } : {}),
    postalCode: address.postalCode,
    countryCode: address.countryCode.toUpperCase(),
    ...(address.phone ? { phone: address.phone } : {}),
  };
}

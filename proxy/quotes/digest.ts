// Digests that bind a quote to its cart and destination without putting either in the token. Pure (Web Crypto).
import { sha256Base64Url } from "../shared/digest.ts";
import { createLru } from "../shared/lru.ts";

export interface DigestItem {
  sku: string;
  quantity: number;
}

export interface DigestDestination {
  countryCode: string;
  postalCode: string;
  stateOrRegion?: string | undefined;
}

/** Same cart, same digest: lines are merged per SKU and sorted, so order and splitting do not matter. */
export function canonicalItems(items: readonly DigestItem[]): string {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.sku, (totals.get(item.sku) ?? 0) + item.quantity);
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => `${JSON.stringify(sku)}:${quantity}`)
    .join(",");
}

export function normalizePostalCode(postalCode: string): string {
  return postalCode.toUpperCase().replace(/[\s\-‐-―ー－]/g, "");
}

export function normalizeRegion(region: string | undefined): string {
  return (region ?? "").normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

/** Country, postal code and (when given) region; case, spaces and hyphens do not matter. */
export function canonicalDestination(destination: DigestDestination): string {
  return [
    destination.countryCode.toUpperCase(),
    normalizePostalCode(destination.postalCode),
    normalizeRegion(destination.stateOrRegion),
  ].join("|");
}

/** Carts and destinations recur (the same carts, the same cities), so their digests are remembered (bounded). */
const memo = createLru<Promise<string>>(1024);
function memoizedDigest(text: string, bytes: number): Promise<string> {
  const key = `${bytes}|${text}`;
  let digest = memo.get(key);
  if (!digest) {
    digest = sha256Base64Url(text, bytes);
    memo.set(key, digest);
  }
  return digest;
}

export function itemsDigest(items: readonly DigestItem[]): Promise<string> {
  return memoizedDigest(`items:${canonicalItems(items)}`, 32);
}

/**
 * `country.postal.region`, each a 96-bit digest (region empty when it was not given), so a mismatch can be
 * reported field by field. Integrity comes from the quote's signature; the digests only keep the address out of it.
 */
export async function destinationDigest(destination: DigestDestination): Promise<string> {
  const region = normalizeRegion(destination.stateOrRegion);
  const parts = await Promise.all([
    memoizedDigest(`country:${destination.countryCode.toUpperCase()}`, 12),
    memoizedDigest(`postal:${normalizePostalCode(destination.postalCode)}`, 12),
    region ? memoizedDigest(`region:${region}`, 12) : "",
  ]);
  return parts.join(".");
}

export type DestinationField = "countryCode" | "postalCode" | "stateOrRegion";

/** The destination fields that differ from the ones a digest was made of. A region not bound is not checked. */
export async function destinationMismatches(
  digest: string,
  destination: DigestDestination,
): Promise<DestinationField[]> {
  const [country, postal, region] = digest.split(".");
  const actual = (await destinationDigest(destination)).split(".");
  const mismatches: DestinationField[] = [];
  if (country !== actual[0]) mismatches.push("countryCode");
  if (postal !== actual[1]) mismatches.push("postalCode");
  if (region && region !== actual[2]) mismatches.push("stateOrRegion");
  return mismatches;
}

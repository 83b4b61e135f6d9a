// The cache key of a preview: marketplace, the cart reduced to SKU → quantity (line order and split lines do not
// matter), the destination (country, postal code, region; spelling variants folded) and the request flags that
// change Amazon's answer. Street, city and name do not change a preview, so they are not part of the key.
import type { PreviewRequest } from "../fulfillment/model.ts";

const fold = (value: string | undefined) =>
  (value ?? "")
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-‐-―ー]/g, "");

export function previewKey(request: PreviewRequest): string {
  const quantities = new Map<string, number>();
  const declared = new Map<string, string>();
  for (const item of request.items) {
    quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
    if (item.declaredValue) declared.set(item.sku, `${item.declaredValue.amount} ${item.declaredValue.currency}`);
  }
  const items = [...quantities]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => [sku, quantity, declared.get(sku) ?? ""]);
  const { address } = request;
  return JSON.stringify([
    request.marketplaceId,
    items,
    fold(address.countryCode),
    fold(address.postalCode),
    fold(address.stateOrRegion),
    [...(request.speeds ?? [])].sort(),
    request.cashOnDelivery === true,
    request.deliveryWindows === true,
  ]);
}

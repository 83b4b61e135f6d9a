import type { SeedItem } from "../catalog/index.ts";
import type { Parcel } from "../fees/index.ts";

export interface StockItem {
  sku: string;
  marketplaceId: string;
  productName: string;
  asin: string;
  fnSku: string;
  parcel: Parcel;
  /** Sellable units not promised to any order. */
  fulfillable: number;
  /** Units held by open fulfillment orders (Hold included). */
  reserved: number;
  updatedAt: number;
}

/** Deterministic Amazon-looking identifiers for a SKU. */
function code(sku: string, length: number): string {
  let hash = 2166136261;
  for (const ch of sku) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    out += "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[hash % 36];
    hash = Math.imul(hash, 16777619) >>> 0 || 1;
  }
  return out;
}

/** Stock per marketplace and SKU. Reservation changes are all-or-nothing. */
export class Inventory {
  #items = new Map<string, StockItem>();

  static key(marketplaceId: string, sku: string): string {
    return `${marketplaceId}\u0000${sku}`;
  }

  seed(items: SeedItem[], now: number): void {
    for (const item of items) {
      this.#items.set(Inventory.key(item.marketplaceId, item.sku), {
        sku: item.sku,
        marketplaceId: item.marketplaceId,
        productName: item.productName,
        asin: item.asin ?? `B0${code(item.sku, 8)}`,
        fnSku: item.fnSku ?? `X00${code(`fn:${item.sku}`, 7)}`,
        parcel: item.parcel,
        fulfillable: item.quantity,
        reserved: 0,
        updatedAt: now,
      });
    }
  }

  clear(): void {
    this.#items.clear();
  }

  get(marketplaceId: string, sku: string): StockItem | undefined {
    return this.#items.get(Inventory.key(marketplaceId, sku));
  }

  has(marketplaceId: string, sku: string): boolean {
    return this.#items.has(Inventory.key(marketplaceId, sku));
  }

  list(marketplaceId: string): StockItem[] {
    return [...this.#items.values()]
      .filter((item) => item.marketplaceId === marketplaceId)
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }

  delete(marketplaceId: string, sku: string): boolean {
    return this.#items.delete(Inventory.key(marketplaceId, sku));
  }

  add(marketplaceId: string, sku: string, quantity: number, now: number): void {
    const item = this.#require(marketplaceId, sku);
    item.fulfillable += quantity;
    item.updatedAt = now;
  }

  /** Sellable units of a SKU not yet promised to an order (0 for an unknown SKU). */
  available(marketplaceId: string, sku: string): number {
    return this.get(marketplaceId, sku)?.fulfillable ?? 0;
  }

  /** Moves units from fulfillable to reserved for every line, or changes nothing and returns false. */
  reserve(marketplaceId: string, lines: { sku: string; quantity: number }[], now: number): boolean {
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
    for (const [sku, quantity] of wanted) if (this.available(marketplaceId, sku) < quantity) return false;
    for (const [sku, quantity] of wanted) {
      const item = this.#require(marketplaceId, sku);
      item.fulfillable -= quantity;
      item.reserved += quantity;
      item.updatedAt = now;
    }
    return true;
  }

  /**
   * Returns reserved units to stock (cancel, hold expiry, a lowered quantity). Freeing more than is reserved would
   * hand out other orders' units, so it throws instead.
   */
  release(marketplaceId: string, sku: string, quantity: number, now: number): void {
    if (quantity === 0) return;
    const item = this.#reserved(marketplaceId, sku, quantity);
    item.reserved -= quantity;
    item.fulfillable += quantity;
    item.updatedAt = now;
  }

  /** Reserved units leave the building (shipment); throws like `release` when they were never reserved. */
  consume(marketplaceId: string, sku: string, quantity: number, now: number): void {
    if (quantity === 0) return;
    const item = this.#reserved(marketplaceId, sku, quantity);
    item.reserved -= quantity;
    item.updatedAt = now;
  }

  #reserved(marketplaceId: string, sku: string, quantity: number): StockItem {
    const item = this.#require(marketplaceId, sku);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > item.reserved)
      throw new RangeError(
        `cannot take ${quantity} units of ${sku} in ${marketplaceId}: only ${item.reserved} reserved`,
      );
    return item;
  }

  #require(marketplaceId: string, sku: string): StockItem {
    const item = this.get(marketplaceId, sku);
    if (!item) throw new Error(`no SKU ${sku} in marketplace ${marketplaceId}`);
    return item;
  }
}

/**
 * Each seller's own stock: a seller's `Inventory` is seeded from the catalog the first time anything asks for it, with
 * the catalog's units as of the last reset, so every seller starts where the first one did. Reservations,
 * cancellations and holds of one seller never touch another's units.
 */
export class SellerInventories {
  #bySeller = new Map<string, Inventory>();
  #catalog: SeedItem[];
  #seededAt: number;

  constructor(catalog: SeedItem[], now: number) {
    this.#catalog = catalog;
    this.#seededAt = now;
  }

  /** The seller's stock, seeded on first use. */
  of(sellerId: string): Inventory {
    let inventory = this.#bySeller.get(sellerId);
    if (!inventory) {
      inventory = new Inventory();
      inventory.seed(this.#catalog, this.#seededAt);
      this.#bySeller.set(sellerId, inventory);
    }
    return inventory;
  }

  /** Every seller's stock starts again from the catalog, as of `now` (in place: held references stay live). */
  reset(now: number): void {
    this.#seededAt = now;
    for (const inventory of this.#bySeller.values()) {
      inventory.clear();
      inventory.seed(this.#catalog, now);
    }
  }
}

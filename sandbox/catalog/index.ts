import type { Parcel } from "../fees/index.ts";
import { type Marketplace, resolveMarketplace } from "../marketplaces.ts";
import demo from "./demo.json" with { type: "json" };

/** A product as a catalog file describes it. Stock is keyed by marketplace id or country code ("US", "JP", "UK"). */
export interface CatalogProduct {
  sku: string;
  name: string;
  asin?: string;
  fnSku?: string;
  dimensions?: { length: number; width: number; height: number; unit: "cm" | "in" };
  weight?: { value: number; unit: "g" | "kg" | "lb" | "oz" };
  stock: Record<string, number>;
}

export interface Catalog {
  products: CatalogProduct[];
}

export const DEMO_CATALOG: Catalog = demo as Catalog;

/** Used for SKUs created through the Inventory API, which carries no dimensions. */
export const DEFAULT_PARCEL: Parcel = { lengthCm: 20, widthCm: 15, heightCm: 5, weightGrams: 450 };

const TO_CM = { cm: 1, in: 2.54 } as const;
const TO_GRAMS = { g: 1, kg: 1000, lb: 453.59237, oz: 28.349523125 } as const;

function positive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

export interface SeedItem {
  sku: string;
  marketplaceId: string;
  productName: string;
  asin?: string;
  fnSku?: string;
  parcel: Parcel;
  quantity: number;
}

/** Validates a catalog and flattens it to one seed item per (marketplace, SKU). Throws naming the bad field. */
export function seedItems(catalog: Catalog, marketplaces: Marketplace[]): SeedItem[] {
  if (!catalog || !Array.isArray(catalog.products)) throw new TypeError("catalog.products must be an array");
  const items: SeedItem[] = [];
  const seen = new Set<string>();
  catalog.products.forEach((product, i) => {
    const at = `catalog.products[${i}]`;
    if (typeof product.sku !== "string" || product.sku.length === 0 || product.sku.length > 50)
      throw new TypeError(`${at}.sku must be a string of 1 to 50 characters`);
    if (typeof product.name !== "string" || product.name.length === 0) throw new TypeError(`${at}.name is required`);
    let parcel = DEFAULT_PARCEL;
    if (product.dimensions !== undefined) {
      const d = product.dimensions;
      const factor = TO_CM[d.unit];
      if (!factor || !positive(d.length) || !positive(d.width) || !positive(d.height))
        throw new TypeError(`${at}.dimensions needs positive length, width, height and unit "cm" or "in"`);
      parcel = { ...parcel, lengthCm: d.length * factor, widthCm: d.width * factor, heightCm: d.height * factor };
    }
    if (product.weight !== undefined) {
      const factor = TO_GRAMS[product.weight.unit];
      if (!factor || !positive(product.weight.value))
        throw new TypeError(`${at}.weight needs a positive value and unit g, kg, lb or oz`);
      parcel = { ...parcel, weightGrams: Math.round(product.weight.value * factor) };
    }
    if (!product.stock || typeof product.stock !== "object") throw new TypeError(`${at}.stock must be an object`);
    for (const [key, quantity] of Object.entries(product.stock)) {
      const marketplace = resolveMarketplace(marketplaces, key);
      if (!marketplace) throw new TypeError(`${at}.stock.${key} names no known marketplace`);
      if (!Number.isInteger(quantity) || quantity < 0)
        throw new TypeError(`${at}.stock.${key} must be a non-negative integer`);
      const id = `${marketplace.id}/${product.sku}`;
      if (seen.has(id))
        throw new TypeError(`${at} repeats SKU ${product.sku} in marketplace ${marketplace.countryCode}`);
      seen.add(id);
      items.push({
        sku: product.sku,
        marketplaceId: marketplace.id,
        productName: product.name,
        ...(product.asin ? { asin: product.asin } : {}),
        ...(product.fnSku ? { fnSku: product.fnSku } : {}),
        parcel,
        quantity,
      });
    }
  });
  return items;
}

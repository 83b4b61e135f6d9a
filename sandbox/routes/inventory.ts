import type {
  AddInventoryRequest,
  CreateInventoryItemRequest,
  InventorySummary,
} from "../../spec/generated/fba-inventory.ts";
import { DEFAULT_PARCEL } from "../catalog/index.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { isoInstant } from "../dates/index.ts";
import { invalidInput, invalidInputs, notFound } from "../http/errors.ts";
import { jsonBody, operation } from "../http/operation.ts";
import type { StockItem } from "../inventory/store.ts";
import { type Marketplace, marketplaceById } from "../marketplaces.ts";
import { assertInventory } from "../validation/rules.ts";
import { decodePageToken, page, sinceParam } from "./paging.ts";

const BASE = "/fba/inventory/v1";
const MAX_SKU_LENGTH = 50;

function knownMarketplace(ctx: SandboxContext, id: string, field: string): Marketplace {
  const marketplace = marketplaceById(ctx.marketplaces, id);
  if (!marketplace) throw invalidInput(`${field} '${id}' is not a valid marketplace identifier.`);
  return marketplace;
}

function summary(item: StockItem, details: boolean): InventorySummary {
  return {
    asin: item.asin,
    fnSku: item.fnSku,
    sellerSku: item.sku,
    condition: "NewItem",
    ...(details
      ? {
          inventoryDetails: {
            fulfillableQuantity: item.fulfillable,
            inboundWorkingQuantity: 0,
            inboundShippedQuantity: 0,
            inboundReceivingQuantity: 0,
            reservedQuantity: {
              totalReservedQuantity: item.reserved,
              pendingCustomerOrderQuantity: item.reserved,
              pendingTransshipmentQuantity: 0,
              fcProcessingQuantity: 0,
            },
            researchingQuantity: { totalResearchingQuantity: 0, researchingQuantityBreakdown: [] },
            unfulfillableQuantity: {
              totalUnfulfillableQuantity: 0,
              customerDamagedQuantity: 0,
              warehouseDamagedQuantity: 0,
              distributorDamagedQuantity: 0,
              carrierDamagedQuantity: 0,
              defectiveQuantity: 0,
              expiredQuantity: 0,
            },
          },
        }
      : {}),
    lastUpdatedTime: isoInstant(item.updatedAt),
    productName: item.productName,
    totalQuantity: item.fulfillable + item.reserved,
  };
}

export function registerInventory(app: SandboxApp, ctx: SandboxContext): void {
  app.post(`${BASE}/items`, operation(ctx, "createInventoryItem"), async (c) => {
    const body = assertInventory<CreateInventoryItemRequest>("CreateInventoryItemRequest", await jsonBody(c.req.raw));
    const marketplace = knownMarketplace(ctx, body.marketplaceId, "marketplaceId");
    if (body.sellerSku.length === 0 || body.sellerSku.length > MAX_SKU_LENGTH)
      throw invalidInput(`sellerSku must be from 1 to ${MAX_SKU_LENGTH} characters long.`);
    if (body.productName.length === 0) throw invalidInput("productName must not be empty.");
    const inventory = ctx.inventories.of(c.get("sellerId"));
    if (inventory.has(marketplace.id, body.sellerSku))
      throw invalidInput(`sellerSku '${body.sellerSku}' already exists in marketplace ${marketplace.id}.`);
    inventory.seed(
      [
        {
          sku: body.sellerSku,
          marketplaceId: marketplace.id,
          productName: body.productName,
          parcel: DEFAULT_PARCEL,
          quantity: 0,
        },
      ],
      ctx.clock.now(),
    );
    return c.json({});
  });

  app.post(`${BASE}/items/inventory`, operation(ctx, "addInventory"), async (c) => {
    const token = c.req.header("x-amzn-idempotency-token");
    if (!token) throw invalidInput("x-amzn-idempotency-token header is required.");
    const raw = await jsonBody(c.req.raw);
    const body = assertInventory<AddInventoryRequest>("AddInventoryRequest", raw);
    const fingerprint = JSON.stringify(raw);
    // Tokens are the caller's: another seller's identical token is a different request.
    const key = `${c.get("sellerId")}\u0000${token}`;
    const previous = ctx.addInventoryTokens.get(key);
    if (previous !== undefined) {
      if (previous !== fingerprint)
        throw invalidInput("x-amzn-idempotency-token was already used with a different request body.");
      return c.json({});
    }
    const inventory = ctx.inventories.of(c.get("sellerId"));
    const items = body.inventoryItems ?? [];
    if (items.length === 0) throw invalidInput("inventoryItems must contain at least one item.");
    const problems: string[] = [];
    items.forEach((item, i) => {
      if (!marketplaceById(ctx.marketplaces, item.marketplaceId))
        problems.push(
          `inventoryItems[${i}].marketplaceId '${item.marketplaceId}' is not a valid marketplace identifier.`,
        );
      else if (!inventory.has(item.marketplaceId, item.sellerSku))
        problems.push(
          `inventoryItems[${i}].sellerSku '${item.sellerSku}' does not exist; create it with createInventoryItem first.`,
        );
      if (!Number.isInteger(item.quantity) || item.quantity < 1)
        problems.push(`inventoryItems[${i}].quantity must be a positive integer.`);
    });
    if (problems.length > 0) throw invalidInputs(problems);
    const now = ctx.clock.now();
    for (const item of items) inventory.add(item.marketplaceId, item.sellerSku, item.quantity, now);
    ctx.addInventoryTokens.set(key, fingerprint);
    return c.json({});
  });

  app.delete(`${BASE}/items/:sellerSku`, operation(ctx, "deleteInventoryItem"), (c) => {
    const marketplaceId = c.req.query("marketplaceId");
    if (!marketplaceId) throw invalidInput("marketplaceId is required.");
    const marketplace = knownMarketplace(ctx, marketplaceId, "marketplaceId");
    const sku = c.req.param("sellerSku");
    const inventory = ctx.inventories.of(c.get("sellerId"));
    const item = inventory.get(marketplace.id, sku);
    if (!item) throw notFound(`sellerSku '${sku}' was not found in marketplace ${marketplace.id}.`);
    if (item.reserved > 0)
      throw invalidInput(`sellerSku '${sku}' has ${item.reserved} units reserved by open fulfillment orders.`);
    inventory.delete(marketplace.id, sku);
    return c.json({});
  });

  app.get(`${BASE}/summaries`, operation(ctx, "getInventorySummaries"), (c) => {
    const granularityType = c.req.query("granularityType");
    const granularityId = c.req.query("granularityId");
    const marketplaceIds = c.req.queries("marketplaceIds")?.flatMap((v) => v.split(",")) ?? [];
    const problems: string[] = [];
    if (!granularityType) problems.push("granularityType is required.");
    else if (granularityType !== "Marketplace") problems.push("granularityType must be Marketplace.");
    if (!granularityId) problems.push("granularityId is required.");
    if (marketplaceIds.length === 0) problems.push("marketplaceIds is required.");
    if (marketplaceIds.length > 1) problems.push("marketplaceIds accepts one marketplace.");
    if (problems.length > 0) throw invalidInputs(problems);
    const marketplace = knownMarketplace(ctx, marketplaceIds[0] ?? "", "marketplaceIds");
    if (granularityId !== marketplace.id)
      throw invalidInput("granularityId must equal the marketplace in marketplaceIds.");
    const details = c.req.query("details") === "true";
    const token = c.req.query("nextToken");
    const state = token !== undefined ? decodePageToken(token) : { offset: 0 };
    const since = state.since ?? sinceParam("startDateTime", c.req.query("startDateTime"));
    const skuList = c.req
      .queries("sellerSkus")
      ?.flatMap((v) => v.split(","))
      .filter(Boolean);
    if (skuList && skuList.length > 50) throw invalidInput("sellerSkus accepts at most 50 SKUs.");
    const single = c.req.query("sellerSku");
    let rows = ctx.inventories.of(c.get("sellerId")).list(marketplace.id);
    if (since !== undefined) rows = rows.filter((item) => item.updatedAt >= since);
    else if (skuList?.length) rows = rows.filter((item) => skuList.includes(item.sku));
    else if (single) rows = rows.filter((item) => item.sku === single);
    const result = page(rows, since === undefined ? state : { ...state, since }, ctx.pageSize);
    return c.json({
      ...(result.nextToken ? { pagination: { nextToken: result.nextToken } } : {}),
      payload: {
        granularity: { granularityType: "Marketplace", granularityId: marketplace.id },
        inventorySummaries: result.rows.map((item) => summary(item, details)),
      },
    });
  });
}

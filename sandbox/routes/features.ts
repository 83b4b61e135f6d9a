import type { Feature, FeatureSku } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { invalidInput } from "../http/errors.ts";
import { operation } from "../http/operation.ts";
import { type Marketplace, marketplaceById } from "../marketplaces.ts";
import { decodePageToken, page, sinceParam } from "./paging.ts";

const BASE = "/fba/outbound/2020-07-01";

const DESCRIPTIONS: Record<string, string> = {
  BLANK_BOX: "Ship in an unbranded box with no Amazon logo.",
  BLOCK_AMZL: "Exclude Amazon Logistics as a carrier.",
  SIGNATURE_CONFIRMATION: "Require a signature on delivery.",
};

function marketplaceParam(ctx: SandboxContext, value: string | undefined): Marketplace {
  if (!value) throw invalidInput("marketplaceId is required.");
  const marketplace = marketplaceById(ctx.marketplaces, value);
  if (!marketplace) throw invalidInput(`marketplaceId '${value}' is not a valid marketplace identifier.`);
  return marketplace;
}

function featureParam(marketplace: Marketplace, featureName: string): void {
  if (!marketplace.features.includes(featureName))
    throw invalidInput(`featureName '${featureName}' is not a feature of marketplace ${marketplace.id}.`);
}

export function registerFeatures(app: SandboxApp, ctx: SandboxContext): void {
  app.get(`${BASE}/features`, operation(ctx, "getFeatures"), (c) => {
    const marketplace = marketplaceParam(ctx, c.req.query("marketplaceId"));
    const features: Feature[] = marketplace.features.map((name) => ({
      featureName: name,
      featureDescription: DESCRIPTIONS[name] ?? name,
      sellerEligible: true,
    }));
    return c.json({ payload: { features } });
  });

  app.get(`${BASE}/features/inventory/:featureName`, operation(ctx, "getFeatureInventory"), (c) => {
    const marketplace = marketplaceParam(ctx, c.req.query("marketplaceId"));
    const featureName = c.req.param("featureName");
    featureParam(marketplace, featureName);
    const token = c.req.query("nextToken");
    const state = token !== undefined ? decodePageToken(token) : { offset: 0 };
    const since =
      state.since ?? sinceParam("queryStartDate", c.req.query("queryStartDate")) ?? Number.NEGATIVE_INFINITY;
    const rows = ctx.inventories
      .of(c.get("sellerId"))
      .list(marketplace.id)
      .filter((item) => item.fulfillable > 0 && item.updatedAt >= since);
    const result = page(rows, Number.isFinite(since) ? { ...state, since } : state, ctx.pageSize);
    const featureSkus: FeatureSku[] = result.rows.map((item) => ({
      sellerSku: item.sku,
      fnSku: item.fnSku,
      asin: item.asin,
      skuCount: item.fulfillable,
      overlappingSkus: [],
    }));
    return c.json({
      payload: {
        marketplaceId: marketplace.id,
        featureName,
        ...(result.nextToken ? { nextToken: result.nextToken } : {}),
        featureSkus,
      },
    });
  });

  app.get(`${BASE}/features/inventory/:featureName/:sellerSku`, operation(ctx, "getFeatureSKU"), (c) => {
    const marketplace = marketplaceParam(ctx, c.req.query("marketplaceId"));
    const featureName = c.req.param("featureName");
    featureParam(marketplace, featureName);
    const sellerSku = c.req.param("sellerSku");
    const item = ctx.inventories.of(c.get("sellerId")).get(marketplace.id, sellerSku);
    // The model's reasons: INVALID_SKU for a SKU it does not know, SKU_NOT_ELIGIBLE where no unit can ship.
    const reasons = !item ? ["INVALID_SKU"] : item.fulfillable === 0 ? ["SKU_NOT_ELIGIBLE"] : [];
    return c.json({
      payload: {
        marketplaceId: marketplace.id,
        featureName,
        isEligible: reasons.length === 0,
        ...(reasons.length > 0 ? { ineligibleReasons: reasons } : {}),
        sellerSku,
        ...(item ? { fnSku: item.fnSku, asin: item.asin, skuCount: item.fulfillable } : {}),
      },
    });
  });
}

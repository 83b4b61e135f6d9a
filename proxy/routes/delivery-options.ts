// POST /v1/delivery-options: the cart and the address so far → delivery options with prices and signed quotes.
import type { Hono } from "hono";
import type { GetFulfillmentPreviewRequest } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { identify } from "../auth/index.ts";
import { type AppContext, type AppEnv, readJson } from "../context.ts";
import { findMarketplace, offersScheduledDelivery } from "../marketplaces/index.ts";
import { normalizeAmount } from "../money/index.ts";
import { attachQuotes, mapPreviews, orderValue } from "../options/index.ts";
import { validationProblem } from "../problems/index.ts";
import { destinationDigest, itemsDigest } from "../quotes/digest.ts";
import { issueQuote } from "../quotes/index.ts";
import { type DeliveryOptionsRequest, deliveryOptionsRequestSchema } from "../schemas/index.ts";
import { toAmazonAddress } from "../upstream/address.ts";

/** Amazon requires a name and first line even for a preview; a shopper may not have typed them yet. */
const PREVIEW_PLACEHOLDER = "Preview";

export function previewRequest(body: DeliveryOptionsRequest, marketplaceId: string, currency: string) {
  const { address } = body;
  const request: GetFulfillmentPreviewRequest = {
    marketplaceId,
    address: toAmazonAddress({
      ...address,
      name: address.name ?? PREVIEW_PLACEHOLDER,
      line1: address.line1 ?? PREVIEW_PLACEHOLDER,
    }),
    items: body.items.map((item, index) => ({
      sellerSku: item.sku,
      quantity: item.quantity,
      sellerFulfillmentOrderItemId: `${index + 1}`,
      ...(item.declaredValue
        ? { perUnitDeclaredValue: { currencyCode: currency, value: normalizeAmount(item.declaredValue, currency) } }
        : {}),
    })),
  };
  if (body.speeds) request.shippingSpeedCategories = [...new Set(body.speeds)];
  if (body.cashOnDelivery) request.includeCODFulfillmentPreview = true;
  if (offersScheduledDelivery(marketplaceId) && (!body.speeds || body.speeds.includes("ScheduledDelivery"))) {
    request.includeDeliveryWindows = true;
  }
  return request;
}

export function deliveryOptionsRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  app.post("/v1/delivery-options", async (c) => {
    identify(ctx.config, c.req.header("authorization"));
    const body = await readJson(c, deliveryOptionsRequestSchema);
    const marketplaceId = body.marketplaceId ?? ctx.config.marketplaceIds[0]!;
    if (!ctx.config.marketplaceIds.includes(marketplaceId)) {
      throw validationProblem([
        { path: "marketplaceId", message: `must be one of ${ctx.config.marketplaceIds.join(", ")}` },
      ]);
    }
    const marketplace = findMarketplace(marketplaceId);
    const currency = marketplace?.currency ?? "USD";
    if (marketplace && !offersScheduledDelivery(marketplaceId)) {
      // Amazon offers these only in Japan; asking elsewhere is the caller's mistake, so it never reaches Amazon.
      const japanOnly = [
        ...(body.cashOnDelivery ? [{ path: "cashOnDelivery", message: "is offered only in Japan" }] : []),
        ...(body.speeds?.includes("ScheduledDelivery")
          ? [
              {
                path: `speeds[${body.speeds.indexOf("ScheduledDelivery")}]`,
                message: "ScheduledDelivery is offered only in Japan",
              },
            ]
          : []),
      ];
      if (japanOnly.length > 0) throw validationProblem(japanOnly);
    }

    const outcome = await ctx.previews.preview(previewRequest(body, marketplaceId, currency), {
      signal: c.req.raw.signal,
      // Workers end an isolate's work with the response unless told to wait for a background refresh. Hono throws
      // when there is no execution context (Node, tests), so it is looked up only when a refresh actually starts.
      waitUntil: (promise) => {
        try {
          c.executionCtx.waitUntil(promise);
        } catch {
          // No execution context: the refresh simply runs on in this process.
        }
      },
    });
    const value = orderValue(body.items, currency);
    const now = ctx.clock.now();
    const mapped = mapPreviews(outcome.result, {
      marketplaceId,
      currency,
      pricing: ctx.config.pricing,
      ...(marketplace ? { timeZone: marketplace.timeZone } : {}),
      ...(value !== undefined ? { orderValue: value } : {}),
    });
    const [items, destination] = await Promise.all([itemsDigest(body.items), destinationDigest(body.address)]);
    const options = await attachQuotes(
      mapped.options,
      { marketplaceId, itemsDigest: items, destinationDigest: destination },
      (claims) => issueQuote(ctx.config.quoteKeys, claims, now, ctx.config.quoteTtlSeconds),
    );
    return c.json({
      options,
      unfulfillable: mapped.unfulfillable,
      reasons: mapped.reasons,
      source: outcome.source,
      marketplaceId,
      ...(outcome.amznRequestId ? { amznRequestId: outcome.amznRequestId } : {}),
    });
  });
}

// POST /v1/delivery-options: the cart and the address so far → delivery options with prices and signed quotes.
import type { Hono } from "hono";
import type { GetFulfillmentPreviewRequest } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { identify } from "../auth/index.ts";
import { type AppContext, type AppEnv, readJson } from "../context.ts";
import { findMarketplace, offersScheduledDelivery } from "../marketplaces/index.ts";
import { normalizeAmount } from "../money/index.ts";
import { attachQuotes, mapPreviews, orderValue } from "../options/index.ts";
import { createSignedAnswerCache } from "../options/signed-answers.ts";
import { validationProblem } from "../problems/index.ts";
import { destinationDigest, itemsDigest } from "../quotes/digest.ts";
import { issueQuote, wasPresentedForOrder } from "../quotes/index.ts";
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

/** The mapped, signed part of an answer, serialised once (`{"options":…,"reasons":…` left open), and its quotes. */
interface SignedAnswer {
  json: string;
  quoteIds: string[];
}

export function deliveryOptionsRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  const signedAnswers = createSignedAnswerCache<SignedAnswer>({
    clock: ctx.clock,
    usable: (answer) => !answer.quoteIds.some(wasPresentedForOrder),
  });

  app.post("/v1/delivery-options", async (c) => {
    const caller = identify(ctx.config, c.req.header("authorization"));
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

    const request = previewRequest(body, marketplaceId, currency);
    const outcome = await ctx.previews.preview(request, {
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
    const sign = async () => {
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
      const quoteIds: string[] = [];
      const options = await attachQuotes(
        mapped.options,
        { marketplaceId, itemsDigest: items, destinationDigest: destination },
        async (claims) => {
          const quote = await issueQuote(ctx.config.quoteKeys, claims, now, ctx.config.quoteTtlSeconds);
          quoteIds.push(quote.id);
          return quote;
        },
      );
      const { unfulfillable, reasons } = mapped;
      return { json: JSON.stringify({ options, unfulfillable, reasons }).slice(0, -1), quoteIds };
    };
    // The answer is a function of the caller, the preview request (marketplace, whole address, items with declared
    // values, speeds, COD, windows) and the preview it was made from. Only a fresh preview's answer is reused: a
    // stale or fallback one is signed anew each time.
    const reusable = outcome.source === "live" || outcome.source === "cache";
    const signed = reusable
      ? await signedAnswers.reuse(`${caller}|${JSON.stringify(request)}`, outcome.result, sign)
      : await sign();
    const tail = JSON.stringify({
      source: outcome.source,
      marketplaceId,
      ...(outcome.amznRequestId ? { amznRequestId: outcome.amznRequestId } : {}),
    });
    return c.body(`${signed.json},${tail.slice(1)}`, 200, { "content-type": "application/json" });
  });
}

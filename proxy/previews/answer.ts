// POST /v1/delivery-options from validated body to answer, in the order it travels: the v1 request → the model's
// preview request → the preview pipeline (key, cache, coalescing, admission, upstream) → map → price → sign, the
// signed part reused for a few seconds per (request, cached preview version).
import type { Caller } from "../auth/index.ts";
import type { BrowserOrders, QuoteKey } from "../config/index.ts";
import type { DeliveryOptionsRequest } from "../contract/v1.ts";
import type { PreviewRequest } from "../fulfillment/model.ts";
import { findMarketplace, offersScheduledDelivery } from "../marketplaces/index.ts";
import { normalizeAmount } from "../money/index.ts";
import { browserFlow } from "../orders/rules.ts";
import type { PricingRules } from "../pricing/index.ts";
import { type FieldError, Problem, problemType, validationProblem } from "../problems/index.ts";
import { destinationDigest, itemsDigest } from "../quotes/digest.ts";
import { issueQuote, TokenError, verifyCartValue } from "../quotes/index.ts";
import type { Clock } from "../shared/clock.ts";
import { attachQuotes, mapPreviews } from "./options.ts";
import type { PreviewCallOptions, PreviewPipeline } from "./pipeline.ts";
import type { SignedAnswer, SignedAnswers } from "./signed-answers.ts";

/** Amazon requires a name and first line even for a preview; a shopper may not have typed them yet. */
const PREVIEW_PLACEHOLDER = "Preview";

export interface AnswerSettings {
  marketplaceIds: string[];
  pricing: PricingRules;
  quoteKeys: QuoteKey[];
  quoteTtlSeconds: number;
  browserOrders: BrowserOrders;
}

/** The v1 request → the model's preview request for `marketplaceId` (whose currency declared values are in). */
export function previewRequest(body: DeliveryOptionsRequest, marketplaceId: string, currency: string): PreviewRequest {
  const { address } = body;
  const request: PreviewRequest = {
    marketplaceId,
    address: {
      ...address,
      countryCode: address.countryCode.toUpperCase(),
      name: address.name ?? PREVIEW_PLACEHOLDER,
      line1: address.line1 ?? PREVIEW_PLACEHOLDER,
    },
    items: body.items.map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      ...(item.declaredValue
        ? { declaredValue: { amount: normalizeAmount(item.declaredValue, currency), currency } }
        : {}),
    })),
  };
  if (body.speeds) request.speeds = [...new Set(body.speeds)];
  if (body.cashOnDelivery) request.cashOnDelivery = true;
  if (offersScheduledDelivery(marketplaceId) && (!body.speeds || body.speeds.includes("ScheduledDelivery"))) {
    request.deliveryWindows = true;
  }
  return request;
}

/** What Amazon offers only in Japan, asked for elsewhere: the caller's mistake, so it never reaches Amazon. */
function japanOnly(body: DeliveryOptionsRequest): FieldError[] {
  return [
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
}

export function createAnswers(parts: {
  settings: AnswerSettings;
  pipeline: PreviewPipeline;
  signed: SignedAnswers;
  clock: Clock;
}) {
  const { settings, pipeline, signed, clock } = parts;

  /** The cart value the merchant's server signed for exactly this cart and marketplace; 422 naming it otherwise. */
  const trustedCartValue = async (body: DeliveryOptionsRequest, marketplaceId: string, currency: string) => {
    const refuse = (message: string) =>
      new Problem({
        type: problemType(422, "cart-value-invalid"),
        title: "Invalid cart value",
        status: 422,
        detail: `The cart value ${message}; ask the merchant's server for one (POST /v1/cart-values) for this cart.`,
        errors: [{ path: "cartValue", message }],
      });
    let claims: Awaited<ReturnType<typeof verifyCartValue>>;
    try {
      claims = await verifyCartValue(settings.quoteKeys, body.cartValue as string, clock.now());
    } catch (error) {
      if (error instanceof TokenError) throw refuse(error.message);
      throw error;
    }
    if (claims.mkt !== marketplaceId || claims.cur !== currency) throw refuse("is for another marketplace");
    if (claims.itm !== (await itemsDigest(body.items))) throw refuse("is for another cart");
    return claims.amt;
  };

  /** The whole answer as JSON text. */
  return async function answer(
    caller: Caller,
    body: DeliveryOptionsRequest,
    callOptions: PreviewCallOptions,
  ): Promise<string> {
    const marketplaceId = body.marketplaceId ?? settings.marketplaceIds[0]!;
    if (!settings.marketplaceIds.includes(marketplaceId)) {
      throw validationProblem([
        { path: "marketplaceId", message: `must be one of ${settings.marketplaceIds.join(", ")}` },
      ]);
    }
    const marketplace = findMarketplace(marketplaceId);
    const currency = marketplace?.currency ?? "USD";
    if (marketplace && !offersScheduledDelivery(marketplaceId)) {
      const refused = japanOnly(body);
      if (refused.length > 0) throw validationProblem(refused);
    }

    const value = body.cartValue === undefined ? undefined : await trustedCartValue(body, marketplaceId, currency);
    const request = previewRequest(body, marketplaceId, currency);
    // The answer is a function of the caller, the preview request (marketplace, whole address, items with declared
    // values, speeds, COD, windows) and the cached preview it was made from. Its stored copy is read alongside the
    // preview, so a cached answer costs one round trip to a shared store, not three.
    const answerKey = `${caller}|${value ?? ""}|${JSON.stringify(request)}`;
    const stored = signed.read(answerKey);
    const outcome = await pipeline.preview(request, callOptions);
    const sign = async (): Promise<SignedAnswer> => {
      const now = clock.now();
      const mapped = mapPreviews(outcome.entry.result, {
        marketplaceId,
        currency,
        pricing: settings.pricing,
        ...(marketplace ? { timeZone: marketplace.timeZone } : {}),
        ...(value !== undefined ? { orderValue: value } : {}),
      });
      const [items, destination] = await Promise.all([itemsDigest(body.items), destinationDigest(body.address)]);
      const quoteIds: string[] = [];
      const options = await attachQuotes(
        mapped.options,
        { marketplaceId, itemsDigest: items, destinationDigest: destination },
        async (claims) => {
          const quote = await issueQuote(settings.quoteKeys, claims, now, settings.quoteTtlSeconds);
          quoteIds.push(quote.id);
          return quote;
        },
      );
      const { unfulfillable, reasons } = mapped;
      return { json: JSON.stringify({ options, unfulfillable, reasons }).slice(0, -1), quoteIds };
    };
    // Only a fresh preview's answer is reused: a stale or fallback one is signed anew each time. What was read
    // alongside the preview serves a cached one; after a live call (which can take seconds) it is read afresh.
    const reusable = outcome.source === "live" || outcome.source === "cache";
    const made = reusable
      ? await signed.reuse(answerKey, outcome.entry.version, sign, outcome.source === "cache" ? stored : undefined)
      : await sign();
    const tail = JSON.stringify({
      source: outcome.source,
      marketplaceId,
      browserFlow: browserFlow(settings.browserOrders, marketplaceId),
      ...(outcome.entry.amznRequestId ? { amznRequestId: outcome.entry.amznRequestId } : {}),
    });
    return `${made.json},${tail.slice(1)}`;
  };
}

import type {
  DeliveryOffer,
  GetDeliveryOffersRequest,
  GetFulfillmentPreviewRequest,
  ShippingSpeedCategory,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { estimateShipping, isoInstant, shipDay } from "../dates/index.ts";
import { fromZoned } from "../dates/zoned.ts";
import { invalidInput } from "../http/errors.ts";
import { jsonBody, operation } from "../http/operation.ts";
import { type Marketplace, marketplaceByCountry } from "../marketplaces.ts";
import { buildPreviews } from "../preview/index.ts";
import {
  addressProblem,
  assertOutbound,
  checkItems,
  checkJapanOnly,
  checkMoney,
  itemMoney,
  requestMarketplace,
  unavailableFeatures,
} from "../validation/rules.ts";

const BASE = "/fba/outbound/2020-07-01";

export function registerPreview(app: SandboxApp, ctx: SandboxContext): void {
  app.post(`${BASE}/fulfillmentOrders/preview`, operation(ctx, "getFulfillmentPreview"), async (c) => {
    const body = assertOutbound<GetFulfillmentPreviewRequest>(
      "GetFulfillmentPreviewRequest",
      await jsonBody(c.req.raw),
    );
    const marketplace = requestMarketplace(ctx.marketplaces, body.marketplaceId, body.address.countryCode);
    checkItems(body.items);
    checkMoney(marketplace, itemMoney(body.items));
    const speeds = body.shippingSpeedCategories?.length
      ? [...new Set(body.shippingSpeedCategories)]
      : marketplace.speeds;
    checkJapanOnly(marketplace, [
      { field: "includeCODFulfillmentPreview", present: body.includeCODFulfillmentPreview === true },
      { field: "includeDeliveryWindows", present: body.includeDeliveryWindows === true },
      { field: "shippingSpeedCategories: ScheduledDelivery", present: speeds.includes("ScheduledDelivery") },
    ]);
    const problem = addressProblem(marketplace, body.address);
    const missingFeatures = unavailableFeatures(marketplace, body.featureConstraints);
    const fulfillmentPreviews = buildPreviews({
      marketplace,
      items: body.items,
      speeds,
      includeCOD: body.includeCODFulfillmentPreview === true && marketplace.cashOnDelivery,
      includeDeliveryWindows: body.includeDeliveryWindows === true,
      ...(problem ? { addressProblem: problem } : {}),
      destination: { postalCode: body.address.postalCode },
      ...(body.featureConstraints ? { featureConstraints: body.featureConstraints } : {}),
      unavailableFeatures: missingFeatures,
      now: ctx.clock.now(),
      stockOf: (sku) => {
        const item = ctx.inventories.of(c.get("sellerId")).get(marketplace.id, sku);
        return item ? { parcel: item.parcel, available: item.fulfillable } : undefined;
      },
    });
    return c.json({ payload: { fulfillmentPreviews } });
  });

  app.post(`${BASE}/deliveryOffers`, operation(ctx, "deliveryOffers"), async (c) => {
    const body = assertOutbound<GetDeliveryOffersRequest>("GetDeliveryOffersRequest", await jsonBody(c.req.raw));
    const { destination, origin } = body.terms;
    if (!destination.deliveryAddress && !destination.ipAddress)
      throw invalidInput("terms.destination must contain either deliveryAddress or ipAddress.");
    const marketplace = marketplaceByCountry(ctx.marketplaces, origin.countryCode);
    if (!marketplace)
      throw invalidInput(`terms.origin.countryCode '${origin.countryCode}' is not a supported country.`);
    const sku = body.product.productIdentifier.merchantSku;
    const item = ctx.inventories.of(c.get("sellerId")).get(marketplace.id, sku);
    if (!item)
      throw invalidInput(
        `product.productIdentifier.merchantSku '${sku}' was not found in marketplace ${marketplace.id}.`,
      );
    const quantity = body.product.amount ? Number(body.product.amount.value) : 1;
    if (!Number.isInteger(quantity) || quantity < 1)
      throw invalidInput("product.amount.value must be a whole number of at least 1.");
    if (destination.deliveryAddress) {
      const problem = addressProblem(marketplace, destination.deliveryAddress);
      if (problem) throw invalidInput(problem.replace("destinationAddress", "terms.destination.deliveryAddress"));
    }
    const now = ctx.clock.now();
    const deliveryOffers: DeliveryOffer[] =
      item.fulfillable < quantity
        ? []
        : marketplace.speeds
            .filter((speed) => speed !== "ScheduledDelivery")
            .map((speed) => offer(marketplace, speed, now))
            .sort((a, b) => Date.parse(a.dateRange?.earliest ?? "") - Date.parse(b.dateRange?.earliest ?? ""));
    return c.json({ payload: { deliveryOffers } });
  });
}

const MESSAGES: Record<string, (range: string) => string> = {
  en: (range) => `Get it ${range}`,
  de: (range) => `Lieferung ${range}`,
  fr: (range) => `Livraison ${range}`,
  ja: (range) => `${range}にお届け`,
};

function offer(marketplace: Marketplace, speed: ShippingSpeedCategory, now: number): DeliveryOffer {
  const transit = marketplace.transit[speed];
  if (!transit) throw new Error(`no transit for ${speed}`);
  const estimate = estimateShipping(now, marketplace, transit);
  const locale = marketplace.locale.replace("_", "-");
  const format = new Intl.DateTimeFormat(locale, {
    timeZone: marketplace.timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
  });
  const from = format.format(estimate.earliestArrivalDate);
  const to = format.format(estimate.latestArrivalDate);
  const language = locale.slice(0, 2);
  const message = (MESSAGES[language] ?? MESSAGES.en ?? String)(from === to ? from : `${from} – ${to}`);
  // The promise holds until the next order cut-off moves the ship day.
  const day = shipDay(now, marketplace);
  const expiresAt = fromZoned(day, marketplace.cutoffHour, 0, marketplace.timeZone);
  return {
    expiresAt: isoInstant(expiresAt > now ? expiresAt : now + 3_600_000),
    dateRange: { earliest: isoInstant(estimate.earliestArrivalDate), latest: isoInstant(estimate.latestArrivalDate) },
    policy: { message: { text: message, locale: marketplace.locale } },
  };
}

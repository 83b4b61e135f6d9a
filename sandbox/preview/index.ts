import type {
  FeatureSettings,
  FulfillmentPreview,
  FulfillmentPreviewItem,
  GetFulfillmentPreviewItem,
  ShippingSpeedCategory,
  UnfulfillablePreviewItem,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { deliveryWindows, estimateShipping, isoInstant } from "../dates/index.ts";
import { estimateFees, feeList, formatWeight, type Parcel, shippingWeight } from "../fees/index.ts";
import { type Marketplace, remoteAreaOf, type Transit } from "../marketplaces.ts";

export interface StockView {
  parcel: Parcel;
  available: number;
}

export interface PreviewInput {
  marketplace: Marketplace;
  items: GetFulfillmentPreviewItem[];
  speeds: ShippingSpeedCategory[];
  includeCOD: boolean;
  includeDeliveryWindows: boolean;
  /** Why the destination cannot be served, if it cannot. */
  addressProblem?: string;
  /** Where the parcel goes: a remote area's postal code costs more and takes longer. */
  destination?: { postalCode: string };
  featureConstraints?: FeatureSettings[];
  /** Required features the marketplace does not offer. */
  unavailableFeatures?: string[];
  now: number;
  stockOf: (sku: string) => StockView | undefined;
}

/** Order-level reason when a Required feature is not offered in the marketplace (the model names none for it). */
export const FEATURE_UNAVAILABLE = "FeatureUnavailable";

interface Allocation {
  fulfillable: { item: GetFulfillmentPreviewItem; parcel: Parcel }[];
  unfulfillable: UnfulfillablePreviewItem[];
}

/** Splits lines into what stock covers and what it does not; lines of one SKU draw on the same stock in order. */
export function allocate(items: GetFulfillmentPreviewItem[], stockOf: PreviewInput["stockOf"]): Allocation {
  const left = new Map<string, number>();
  const result: Allocation = { fulfillable: [], unfulfillable: [] };
  for (const item of items) {
    const stock = stockOf(item.sellerSku);
    if (!stock) {
      result.unfulfillable.push({ ...lineId(item), itemUnfulfillableReasons: ["InvalidSKU"] });
      continue;
    }
    const available = left.get(item.sellerSku) ?? stock.available;
    if (available < item.quantity) {
      result.unfulfillable.push({ ...lineId(item), itemUnfulfillableReasons: ["InventoryUnavailable"] });
      continue;
    }
    left.set(item.sellerSku, available - item.quantity);
    result.fulfillable.push({ item, parcel: stock.parcel });
  }
  return result;
}

function lineId(item: GetFulfillmentPreviewItem) {
  return {
    sellerSku: item.sellerSku,
    quantity: item.quantity,
    sellerFulfillmentOrderItemId: item.sellerFulfillmentOrderItemId,
  };
}

/** One preview per requested speed (and per COD choice when asked), as getFulfillmentPreview returns them. */
export function buildPreviews(input: PreviewInput): FulfillmentPreview[] {
  const { marketplace, now } = input;
  const allocation = allocate(input.items, input.stockOf);
  const remote = input.destination && remoteAreaOf(marketplace, input.destination.postalCode);
  const previews: FulfillmentPreview[] = [];
  const codChoices = input.includeCOD ? [false, true] : [false];
  for (const speed of input.speeds) {
    for (const cod of codChoices) {
      const base = {
        shippingSpeedCategory: speed,
        isCODCapable: cod,
        marketplaceId: marketplace.id,
        ...(input.featureConstraints ? { featureConstraints: input.featureConstraints } : {}),
      };
      const transit = withExtraDays(marketplace.transit[speed], remote?.extraTransitDays ?? 0);
      if (!marketplace.speeds.includes(speed) || !transit) {
        previews.push({ ...base, isFulfillable: false, orderUnfulfillableReasons: ["DeliverySLAUnavailable"] });
        continue;
      }
      const reasons = [
        ...(input.addressProblem ? ["InvalidDestinationAddress"] : []),
        ...(input.unavailableFeatures?.length ? [FEATURE_UNAVAILABLE] : []),
      ];
      if (reasons.length > 0) {
        previews.push({ ...base, isFulfillable: false, orderUnfulfillableReasons: reasons });
        continue;
      }
      const lines = allocation.fulfillable.map(({ item, parcel }) => ({ quantity: item.quantity, parcel }));
      const fees = estimateFees(marketplace.fees, speed, lines, cod, remote?.surcharge[speed] ?? 0);
      const grams = lines.reduce((sum, line) => sum + shippingWeight(line.parcel).grams * line.quantity, 0);
      const estimate = estimateShipping(now, marketplace, transit);
      const previewItems: FulfillmentPreviewItem[] = allocation.fulfillable.map(({ item, parcel }) => {
        const weight = shippingWeight(parcel);
        return {
          ...lineId(item),
          estimatedShippingWeight: formatWeight(weight.grams * item.quantity, marketplace.weightUnit),
          shippingWeightCalculationMethod: weight.method,
        };
      });
      const preview: FulfillmentPreview = {
        ...base,
        isFulfillable: allocation.unfulfillable.length === 0,
        // Nothing to ship, nothing to weigh or charge.
        ...(lines.length > 0
          ? {
              estimatedShippingWeight: formatWeight(grams, marketplace.weightUnit),
              estimatedFees: feeList(fees, marketplace),
            }
          : {}),
        fulfillmentPreviewShipments:
          previewItems.length === 0
            ? []
            : [
                {
                  earliestShipDate: isoInstant(estimate.earliestShipDate),
                  latestShipDate: isoInstant(estimate.latestShipDate),
                  earliestArrivalDate: isoInstant(estimate.earliestArrivalDate),
                  latestArrivalDate: isoInstant(estimate.latestArrivalDate),
                  shippingNotes: [],
                  fulfillmentPreviewItems: previewItems,
                },
              ],
        unfulfillablePreviewItems: allocation.unfulfillable,
        orderUnfulfillableReasons: [],
      };
      if (speed === "ScheduledDelivery" && input.includeDeliveryWindows && marketplace.deliveryWindows) {
        preview.scheduledDeliveryInfo = {
          deliveryTimeZone: marketplace.timeZone,
          deliveryWindows: deliveryWindows(now, marketplace, transit, marketplace.deliveryWindows).map((w) => ({
            startDate: isoInstant(w.start),
            endDate: isoInstant(w.end),
          })),
        };
      }
      previews.push(preview);
    }
  }
  return previews;
}

/** A speed's transit, `days` business days longer at both ends (remote areas); none stays none. */
export function withExtraDays(transit: Transit | undefined, days: number): Transit | undefined {
  return transit && days ? { ...transit, minDays: transit.minDays + days, maxDays: transit.maxDays + days } : transit;
}

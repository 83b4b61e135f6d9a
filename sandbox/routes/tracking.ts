import type { PackageTrackingDetails, TrackingAddress } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { isoInstant } from "../dates/index.ts";
import { invalidInput } from "../http/errors.ts";
import { operation } from "../http/operation.ts";
import { EVENT_DESCRIPTIONS, trackingStatus, trackingSteps } from "../orders/lifecycle.ts";
import type { Order } from "../orders/store.ts";

const BASE = "/fba/outbound/2020-07-01";

function placeOf(order: Order, where: "origin" | "hub" | "destination"): TrackingAddress {
  const country = order.marketplace.countryCode;
  if (where === "destination") {
    const a = order.destinationAddress;
    return {
      city: (a.city ?? a.districtOrCounty ?? "").slice(0, 150),
      state: (a.stateOrRegion ?? "").slice(0, 150),
      country,
    };
  }
  const label = where === "origin" ? order.fulfillmentCenterId : `${order.fulfillmentCenterId} sort centre`;
  return { city: label, state: "", country };
}

export function registerTracking(app: SandboxApp, ctx: SandboxContext): void {
  app.get(`${BASE}/tracking`, operation(ctx, "getPackageTrackingDetails"), (c) => {
    const raw = c.req.query("packageNumber");
    if (raw === undefined || raw === "") throw invalidInput("packageNumber is required.");
    const packageNumber = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(packageNumber) || packageNumber > 2 ** 31 - 1)
      throw invalidInput("packageNumber must be an integer.");
    const order = ctx.orders.findPackage(c.get("sellerId"), packageNumber);
    if (!order || order.shippedAt === undefined || order.deliverAt === undefined)
      throw invalidInput(`Package ${packageNumber} was not found.`);
    const now = ctx.clock.now();
    const steps = trackingSteps(order.shippedAt, order.deliverAt, now);
    const current = trackingStatus(steps);
    const carrier = order.marketplace.carriers[order.shippingSpeedCategory];
    const destination = placeOf(order, "destination");
    const payload: PackageTrackingDetails = {
      packageNumber,
      ...(order.trackingNumber ? { trackingNumber: order.trackingNumber } : {}),
      ...(carrier
        ? {
            carrierCode: carrier.code,
            carrierPhoneNumber: carrier.phone,
            carrierURL: carrier.url,
            customerTrackingLink: `${carrier.url}/track?tracking=${order.trackingNumber ?? ""}`,
          }
        : {}),
      shipDate: isoInstant(order.shippedAt),
      estimatedArrivalDate: isoInstant(order.deliverAt),
      shipToAddress: destination,
      ...(order.deliveryWindow
        ? { deliveryWindow: { earliest: order.deliveryWindow.startDate, latest: order.deliveryWindow.endDate } }
        : {}),
      currentStatus: current.status,
      currentStatusDescription: current.description,
      ...(current.status === "DELIVERED"
        ? { signedForBy: order.destinationAddress.name.slice(0, 50), additionalLocationInfo: "FRONT_DOOR" as const }
        : {}),
      trackingEvents: steps
        .map((step) => ({
          eventDate: isoInstant(step.at),
          eventAddress: placeOf(order, step.where),
          eventCode: step.code,
          eventDescription: EVENT_DESCRIPTIONS[step.code] ?? step.code,
        }))
        .reverse(),
    };
    return c.json({ payload });
  });
}

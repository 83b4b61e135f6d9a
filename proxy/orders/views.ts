// The model's orders and tracking → the v1 answers callers read. Pure.
import type { Caller } from "../auth/index.ts";
import type { OrderPackage, OrderView, PackageTrackingView } from "../contract/v1.ts";
import type { Order, PackageTracking } from "../fulfillment/model.ts";
import { findMarketplace } from "../marketplaces/index.ts";

export function orderView(order: Order, caller: Caller): OrderView {
  const packages: OrderPackage[] = order.shipments.flatMap((shipment) =>
    shipment.packages.map((entry) => ({
      packageNumber: entry.packageNumber,
      carrierCode: entry.carrier,
      ...(entry.trackingNumber ? { trackingNumber: entry.trackingNumber } : {}),
      ...(entry.amazonTrackingNumber ? { amazonTrackingNumber: entry.amazonTrackingNumber } : {}),
      ...(entry.estimatedArrivalAt ? { estimatedArrivalDate: entry.estimatedArrivalAt } : {}),
      shipmentId: shipment.id,
    })),
  );
  const view: OrderView = {
    orderId: order.orderId,
    status: order.status,
    speed: order.speed,
    marketplaceId: order.marketplaceId,
    displayableOrderId: order.displayableOrderId,
    receivedDate: order.receivedAt,
    statusUpdatedDate: order.statusUpdatedAt,
    items: order.items.map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      cancelledQuantity: item.cancelledQuantity,
      unfulfillableQuantity: item.unfulfillableQuantity,
      ...(item.estimatedShipAt ? { estimatedShipDate: item.estimatedShipAt } : {}),
      ...(item.estimatedArrivalAt ? { estimatedArrivalDate: item.estimatedArrivalAt } : {}),
    })),
    shipments: order.shipments.map((shipment) => ({
      id: shipment.id,
      status: shipment.status,
      ...(shipment.shippedAt ? { shippingDate: shipment.shippedAt } : {}),
      ...(shipment.estimatedArrivalAt ? { estimatedArrivalDate: shipment.estimatedArrivalAt } : {}),
      items: shipment.items.map((item) => ({
        sku: item.sku,
        quantity: item.quantity,
        ...(item.packageNumber !== undefined ? { packageNumber: item.packageNumber } : {}),
      })),
      packageNumbers: shipment.packages.map((entry) => entry.packageNumber),
    })),
    packages,
    trackingNumbers: [
      ...new Set(
        packages.flatMap((entry) => [entry.trackingNumber, entry.amazonTrackingNumber].filter((n) => n !== undefined)),
      ),
    ],
  };
  const timeZone = findMarketplace(order.marketplaceId)?.timeZone;
  if (timeZone) view.timeZone = timeZone;
  if (order.action) view.action = order.action;
  if (order.deliveryWindow) view.deliveryWindow = { start: order.deliveryWindow.start, end: order.deliveryWindow.end };
  if (caller === "server") view.address = order.address;
  return view;
}

export function trackingView(orderId: string, details: PackageTracking): PackageTrackingView {
  return {
    orderId,
    packageNumber: details.packageNumber,
    ...(details.trackingNumber ? { trackingNumber: details.trackingNumber } : {}),
    ...(details.carrier ? { carrierCode: details.carrier } : {}),
    ...(details.carrierUrl ? { carrierUrl: details.carrierUrl } : {}),
    ...(details.trackingUrl ? { trackingUrl: details.trackingUrl } : {}),
    ...(details.status ? { status: details.status } : {}),
    ...(details.statusDescription ? { statusDescription: details.statusDescription } : {}),
    ...(details.shippedAt ? { shipDate: details.shippedAt } : {}),
    ...(details.estimatedArrivalAt ? { estimatedArrivalDate: details.estimatedArrivalAt } : {}),
    ...(details.deliveryWindow
      ? { deliveryWindow: { startDate: details.deliveryWindow.start, endDate: details.deliveryWindow.end } }
      : {}),
    ...(details.signedForBy ? { signedForBy: details.signedForBy } : {}),
    events: details.events.map((event) => ({
      date: event.at,
      code: event.code,
      description: event.description,
      ...(event.location ? { location: event.location } : {}),
    })),
    ...(details.eventsUnavailable ? { eventsUnavailable: details.eventsUnavailable } : {}),
  };
}

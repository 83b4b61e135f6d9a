// Remote areas (Alaska, Hawaii, Puerto Rico, Okinawa, Canada's north) cost more and take longer; unassigned postal
// codes are refused. Pure logic: previews built directly, no HTTP.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MARKETPLACES, type Marketplace, remoteAreaOf } from "../../../sandbox/marketplaces.ts";
import { buildPreviews, withExtraDays } from "../../../sandbox/preview/index.ts";
import { addressProblem } from "../../../sandbox/validation/rules.ts";

const market = (country: string) => MARKETPLACES.find((m) => m.countryCode === country) as Marketplace;
const US = market("US");
const JP = market("JP");
const mug = { lengthCm: 12, widthCm: 9, heightCm: 10, weightGrams: 380 };
// Tuesday 10 March 2026, 10:00 in Los Angeles / 03:00 Wednesday in Tokyo: before every cut-off.
const NOW = Date.parse("2026-03-10T17:00:00Z");

function previewsTo(marketplace: Marketplace, postalCode: string) {
  return buildPreviews({
    marketplace,
    items: [{ sellerSku: "MUG", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
    speeds: marketplace.speeds,
    includeCOD: false,
    includeDeliveryWindows: true,
    destination: { postalCode },
    now: NOW,
    stockOf: () => ({ parcel: mug, available: 10 }),
  });
}

const transportFee = (preview: ReturnType<typeof previewsTo>[number]) =>
  Number(preview.estimatedFees?.find((fee) => fee.name === "FBATransportationFee")?.amount.value);
const arrival = (preview: ReturnType<typeof previewsTo>[number]) =>
  Date.parse(preview.fulfillmentPreviewShipments?.[0]?.latestArrivalDate ?? "");

test("each remote area is found by its postal code; the mainland is not remote", () => {
  assert.equal(remoteAreaOf(US, "99501")?.name, "Alaska");
  assert.equal(remoteAreaOf(US, "96813")?.name, "Hawaii");
  assert.equal(remoteAreaOf(US, "00901")?.name, "Puerto Rico");
  assert.equal(remoteAreaOf(US, " 99701 ")?.name, "Alaska", "surrounding spaces do not matter");
  assert.equal(remoteAreaOf(US, "10001"), undefined, "Manhattan");
  assert.equal(remoteAreaOf(US, "98101"), undefined);
  assert.equal(remoteAreaOf(JP, "900-0001")?.name, "Okinawa");
  assert.equal(remoteAreaOf(JP, "9070001")?.name, "Okinawa");
  assert.equal(remoteAreaOf(JP, "100-0001"), undefined);
  assert.equal(remoteAreaOf(market("CA"), "X1A 2P7")?.name, "Yukon, Northwest Territories, Nunavut");
  assert.equal(remoteAreaOf(market("DE"), "10115"), undefined, "a marketplace without remote areas");
});

test("a remote area adds its surcharge to the transportation fee and its days to every speed", () => {
  for (const [marketplace, mainland, remote] of [
    [US, "10001", "99501"],
    [US, "10001", "96813"],
    [US, "10001", "00901"],
    [JP, "100-0001", "900-0001"],
  ] as const) {
    const area = remoteAreaOf(marketplace, remote)!;
    const near = previewsTo(marketplace, mainland);
    const far = previewsTo(marketplace, remote);
    for (const [index, preview] of far.entries()) {
      const speed = preview.shippingSpeedCategory;
      const surcharge = (area.surcharge[speed] ?? 0) / 10 ** marketplace.currencyDigits;
      assert.ok(surcharge > 0, `${area.name} ${speed} has a surcharge`);
      assert.equal(transportFee(preview), transportFee(near[index]!) + surcharge, `${area.name} ${speed} fee`);
      assert.ok(arrival(preview) > arrival(near[index]!), `${area.name} ${speed} arrives later`);
    }
  }
});

test("Priority to Alaska or Okinawa is not next-day", () => {
  for (const [marketplace, postalCode] of [
    [US, "99501"],
    [JP, "900-0001"],
  ] as const) {
    const priority = previewsTo(marketplace, postalCode).find((p) => p.shippingSpeedCategory === "Priority")!;
    const earliest = Date.parse(priority.fulfillmentPreviewShipments?.[0]?.earliestArrivalDate ?? "");
    assert.ok(earliest - NOW > 2 * 86_400_000, `${postalCode}: ${new Date(earliest).toISOString()}`);
  }
});

test("Scheduled Delivery windows to Okinawa start later than to Tokyo", () => {
  const first = (postalCode: string) =>
    Date.parse(
      previewsTo(JP, postalCode).find((p) => p.shippingSpeedCategory === "ScheduledDelivery")!.scheduledDeliveryInfo!
        .deliveryWindows![0]!.startDate,
    );
  assert.ok(first("900-0001") > first("100-0001"));
});

test("extra transit days lengthen both ends; none leaves the transit as it was", () => {
  const transit = { handlingDays: 1, minDays: 1, maxDays: 2 };
  assert.deepEqual(withExtraDays(transit, 3), { handlingDays: 1, minDays: 4, maxDays: 5 });
  assert.equal(withExtraDays(transit, 0), transit);
  assert.equal(withExtraDays(undefined, 3), undefined);
});

test("postal codes no post office uses are refused; their neighbours are not", () => {
  const refused = (marketplace: Marketplace, postalCode: string) =>
    addressProblem(marketplace, { countryCode: marketplace.countryCode, postalCode });
  for (const code of ["00000", "00123", "00500", "99999", "00000-1234"]) {
    assert.match(refused(US, code) ?? "", /not an assigned postal code/, code);
  }
  for (const code of ["00501", "00601", "10001", "99501", "99950"]) assert.equal(refused(US, code), undefined, code);
  assert.match(refused(JP, "000-0000") ?? "", /not an assigned/);
  assert.equal(refused(JP, "100-0001"), undefined);
  assert.match(refused(market("DE"), "00999") ?? "", /not an assigned/);
  assert.equal(refused(market("DE"), "01067"), undefined);
  assert.match(refused(market("AU"), "0000") ?? "", /not an assigned/);
  assert.match(refused(US, "2050") ?? "", /not a valid postal code/, "the wrong form says so first");
});

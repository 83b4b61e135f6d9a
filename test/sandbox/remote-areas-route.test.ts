// Remote destinations through the preview operations themselves (the pure rules are in logic/remote-areas.test.ts):
// Alaska costs more and arrives later than Seattle (2026-07-04 passes the destination to the same preview rules).
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, harness, US, US_ADDRESS } from "./support.ts";

const mug = [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "1", quantity: 1 }];
const ALASKA = { ...US_ADDRESS, city: "Anchorage", stateOrRegion: "AK", postalCode: "99501" };

type Preview = {
  shippingSpeedCategory: string;
  estimatedFees: { amount: { value: string } }[];
  fulfillmentPreviewShipments: { latestArrivalDate: string }[];
};
const total = (p: Preview) => p.estimatedFees.reduce((sum, fee) => sum + Number(fee.amount.value), 0);

test("a remote-area destination gets a surcharge and a later arrival (2020-07-01)", async () => {
  const h = await harness();
  const ask = async (address: object) => {
    const r = await h.call("POST", `${BASE}/fulfillmentOrders/preview`, { marketplaceId: US, address, items: mug });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.payload.fulfillmentPreviews as Preview[]).find((p) => p.shippingSpeedCategory === "Standard")!;
  };
  const [seattle, alaska] = [await ask(US_ADDRESS), await ask(ALASKA)];
  assert.ok(total(alaska) > total(seattle), `${total(alaska)} > ${total(seattle)}`);
  assert.ok(
    Date.parse(alaska.fulfillmentPreviewShipments[0]!.latestArrivalDate) >
      Date.parse(seattle.fulfillmentPreviewShipments[0]!.latestArrivalDate),
  );
});

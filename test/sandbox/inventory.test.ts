import assert from "node:assert/strict";
import { test } from "node:test";
import { createSandbox, DEV_CREDENTIALS } from "../../sandbox/index.ts";
import { BASE, DE, fetchToken, harness, orderBody, US } from "./support.ts";

const INV = "/fba/inventory/v1";

test("seed a SKU through the Inventory sandbox API, then preview and order it", async () => {
  const h = await harness();
  const created = await h.call("POST", `${INV}/items`, {
    sellerSku: "NEW-SKU-1",
    marketplaceId: US,
    productName: "New thing",
  });
  assert.equal(created.status, 200);
  const dup = await h.call("POST", `${INV}/items`, {
    sellerSku: "NEW-SKU-1",
    marketplaceId: US,
    productName: "New thing",
  });
  assert.equal(dup.status, 400);
  const add = (token: string, quantity: number) =>
    h.call(
      "POST",
      `${INV}/items/inventory`,
      { inventoryItems: [{ sellerSku: "NEW-SKU-1", marketplaceId: US, quantity }] },
      { "x-amzn-idempotency-token": token },
    );
  assert.equal((await add("t-1", 5)).status, 200);
  assert.equal((await add("t-1", 5)).status, 200, "same token, same body: applied once");
  assert.equal((await add("t-1", 6)).status, 400, "same token, different body");
  const noToken = await h.call("POST", `${INV}/items/inventory`, {
    inventoryItems: [{ sellerSku: "NEW-SKU-1", marketplaceId: US, quantity: 1 }],
  });
  assert.match(noToken.body.errors[0].message, /x-amzn-idempotency-token/);
  const unknownSku = await h.call(
    "POST",
    `${INV}/items/inventory`,
    {
      inventoryItems: [
        { sellerSku: "NEW-SKU-1", marketplaceId: US, quantity: 1 },
        { sellerSku: "GHOST", marketplaceId: US, quantity: 1 },
      ],
    },
    { "x-amzn-idempotency-token": "t-2" },
  );
  assert.equal(unknownSku.status, 400);
  assert.match(unknownSku.body.errors[0].message, /inventoryItems\[1\]\.sellerSku 'GHOST'/);

  const summary = await h.call(
    "GET",
    `${INV}/summaries?details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&sellerSkus=NEW-SKU-1`,
  );
  assert.equal(summary.status, 200);
  const [item] = summary.body.payload.inventorySummaries;
  assert.equal(item.inventoryDetails.fulfillableQuantity, 5, "nothing half-added by the failed request");
  assert.equal(item.productName, "New thing");

  const body = orderBody({ items: [{ sellerSku: "NEW-SKU-1", sellerFulfillmentOrderItemId: "1", quantity: 3 }] });
  assert.equal((await h.call("POST", `${BASE}/fulfillmentOrders`, body)).status, 200);
  const after = await h.call(
    "GET",
    `${INV}/summaries?details=true&granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&sellerSku=NEW-SKU-1`,
  );
  const details = after.body.payload.inventorySummaries[0].inventoryDetails;
  assert.equal(details.fulfillableQuantity, 2);
  assert.equal(details.reservedQuantity.totalReservedQuantity, 3);
  assert.equal(after.body.payload.inventorySummaries[0].totalQuantity, 5);

  const blocked = await h.call("DELETE", `${INV}/items/NEW-SKU-1?marketplaceId=${US}`);
  assert.equal(blocked.status, 400, "reserved units block deletion");
  await h.call("PUT", `${BASE}/fulfillmentOrders/${body.sellerFulfillmentOrderId}/cancel`);
  assert.equal((await h.call("DELETE", `${INV}/items/NEW-SKU-1?marketplaceId=${US}`)).status, 200);
  assert.equal((await h.call("DELETE", `${INV}/items/NEW-SKU-1?marketplaceId=${US}`)).status, 404);
});

test("inventory is per marketplace", async () => {
  const h = await harness();
  await h.call("POST", `${INV}/items`, { sellerSku: "ONLY-DE", marketplaceId: DE, productName: "Nur DE" });
  const us = await h.call(
    "GET",
    `${INV}/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&sellerSku=ONLY-DE`,
  );
  assert.deepEqual(us.body.payload.inventorySummaries, []);
  const de = await h.call(
    "GET",
    `${INV}/summaries?granularityType=Marketplace&granularityId=${DE}&marketplaceIds=${DE}&sellerSku=ONLY-DE`,
  );
  assert.equal(de.body.payload.inventorySummaries.length, 1);
});

test("summaries page with nextToken and validate their parameters", async () => {
  const h = await harness({ pageSize: 3 });
  const skus: string[] = [];
  let token: string | undefined;
  do {
    const r = await h.call(
      "GET",
      `${INV}/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`,
    );
    skus.push(...r.body.payload.inventorySummaries.map((s: { sellerSku: string }) => s.sellerSku));
    token = r.body.pagination?.nextToken;
  } while (token);
  assert.equal(skus.length, 8);
  const missing = await h.call("GET", `${INV}/summaries?marketplaceIds=${US}`);
  assert.equal(missing.status, 400);
  assert.deepEqual(
    missing.body.errors.map((e: { message: string }) => e.message),
    ["granularityType is required.", "granularityId is required."],
  );
});

test("a catalog seeds dimensions and stock; bad catalogs are refused naming the field", async () => {
  const catalog = {
    products: [
      {
        sku: "BIG",
        name: "Big box",
        dimensions: { length: 120, width: 60, height: 60, unit: "cm" as const },
        weight: { value: 25, unit: "kg" as const },
        stock: { US: 3, JP: 1 },
      },
    ],
  };
  const h = await harness({ catalog });
  assert.equal(h.app.sandbox.inventory.get(US, "BIG")?.fulfillable, 3);
  assert.equal(h.app.sandbox.inventory.get(US, "MUG-CERAMIC-BLUE"), undefined);
  const { createSandbox } = await import("../../sandbox/index.ts");
  assert.throws(
    () => createSandbox({ catalog: { products: [{ sku: "X", name: "x", stock: { MARS: 1 } }] } }),
    /catalog\.products\[0\]\.stock\.MARS/,
  );
  assert.throws(
    () => createSandbox({ catalog: { products: [{ sku: "X", name: "x", stock: { US: -1 } }] } }),
    /non-negative integer/,
  );
});

test("addInventory idempotency tokens belong to the seller that sent them", async () => {
  const other = {
    clientId: "amzn1.application-oa2-client.b",
    clientSecret: "b",
    refreshToken: "Atzr|b",
    sellerId: "B",
  };
  const app = createSandbox({ credentials: [DEV_CREDENTIALS, other], throttle: false });
  const add = async (credentials: typeof DEV_CREDENTIALS, quantity: number) =>
    (
      await app.request(`${INV}/items/inventory`, {
        method: "POST",
        headers: {
          "x-amz-access-token": await fetchToken(app, credentials),
          "x-amzn-idempotency-token": "same-token",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          inventoryItems: [{ sellerSku: "MUG-CERAMIC-BLUE", marketplaceId: US, quantity }],
        }),
      })
    ).status;
  // Each seller adds to its own stock.
  const mine = () => app.sandbox.inventory.available(US, "MUG-CERAMIC-BLUE");
  const theirs = () => app.sandbox.inventories.of("B").available(US, "MUG-CERAMIC-BLUE");
  const before = mine();
  assert.equal(theirs(), before);
  assert.equal(await add(DEV_CREDENTIALS, 5), 200);
  assert.equal(await add(other, 7), 200, "not a reuse of the first seller's token");
  assert.deepEqual([mine(), theirs()], [before + 5, before + 7]);
  assert.equal(await add(other, 7), 200, "a retry applies once");
  assert.deepEqual([mine(), theirs()], [before + 5, before + 7]);
  assert.equal(await add(other, 8), 400, "same token, another body");
});

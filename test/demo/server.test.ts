import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProxyOrder } from "../../demo/pages/order.ts";
import { type MerchantClient, merchantClient, ProxyProblem } from "../../demo/proxy-client.ts";
import { route } from "../../demo/routing.ts";
import { createDemoApp, orderRequest } from "../../demo/server.ts";
import { connectedStore, newOrderNumber, STORES, type StoreId, speedName } from "../../demo/stores.ts";
import { SPEEDS } from "../../proxy/contract/v1.ts";
import { formatWindow } from "../../widget/format.ts";
import { stringsFor } from "../../widget/strings.ts";

interface Call {
  method: string;
  args: unknown[];
}

/** A merchant client that records calls and answers from a script; no network. */
function fakeClient(answers: Partial<Record<keyof MerchantClient, (...args: never[]) => unknown>> = {}) {
  const calls: Call[] = [];
  const client = {} as MerchantClient;
  const methods = ["cartValue", "createOrder", "shipOrder", "cancelOrder", "getOrder", "getPackage"] as const;
  for (const method of methods) {
    (client as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      calls.push({ method, args });
      const answer = answers[method as keyof MerchantClient] as ((...a: unknown[]) => unknown) | undefined;
      return answer ? answer(...args) : method === "cartValue" ? "signed-cart-value" : {};
    };
  }
  return { client, calls };
}

function demoWith(client: MerchantClient, advanceSandbox?: (hours: number) => Promise<void>) {
  const stores = Object.fromEntries(
    (["us", "jp", "eu"] as StoreId[]).map((id) => [
      id,
      { endpointPath: `/proxy/${id}`, client, ...(id === "us" ? { freeShippingOver: "50.00" } : {}) },
    ]),
  ) as Record<StoreId, { endpointPath: string; client: MerchantClient }>;
  let n = 0;
  return createDemoApp({
    publishableKey: "pk_test_0123456789abcdef",
    stores,
    newKey: () => `key-${++n}`,
    ...(advanceSandbox ? { advanceSandbox } : {}),
  });
}

const form = (fields: Record<string, string>) =>
  new Request("http://shop.test/us/orders", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

const US_ADDRESS = STORES.us.sampleAddress as Record<string, string>;

/** The browser that placed the order: it holds the order's token in the cookie the demo set. */
const OWNER = { headers: { cookie: "order_token=ot-1" } };

/** The demo's session for an order: its token, httpOnly and SameSite=Lax, for that order's pages only. */
function assertOrderCookie(response: Response, orderId: string, token: string) {
  const cookie = response.headers.get("set-cookie") ?? "";
  assert.match(cookie, new RegExp(`^order_token=${token};`));
  assert.match(cookie, new RegExp(`Path=/orders/${orderId}(;|$)`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
}

describe("checkout pages", () => {
  it("bind the element to the address form, in each store's locale and marketplace, with its proxy endpoint", async () => {
    const app = demoWith(fakeClient().client);
    for (const id of ["us", "jp", "eu"] as StoreId[]) {
      const page = await (await app.request(`http://shop.test/${id}`)).text();
      const store = STORES[id];
      assert.match(page, new RegExp(`<html lang="${store.lang}">`));
      assert.match(page, /<mcf-delivery-options[^>]*address-form="#checkout"/);
      assert.match(page, new RegExp(`locale="${store.locale}"`));
      assert.match(page, new RegExp(`marketplace-id="${store.marketplaceId}"`));
      assert.match(page, new RegExp(`endpoint="http://shop.test/proxy/${id}"`));
      assert.match(page, /publishable-key="pk_test_0123456789abcdef"/);
      assert.match(page, /<script type="module" src="\/widget.js"><\/script>/);
      for (const token of [
        "shipping country",
        "shipping postal-code",
        "shipping address-level1",
        "shipping address-level2",
        "shipping address-line1",
        "shipping name",
        "tel",
        "email",
      ]) {
        assert.ok(page.includes(`autocomplete="${token}"`), `${id} has autocomplete="${token}"`);
      }
      for (const line of store.cart) assert.ok(page.includes(`"sku":"${line.sku}"`), `${id} cart carries ${line.sku}`);
    }
  });

  it("announce free shipping only where the store's pricing gives it", async () => {
    const app = demoWith(fakeClient().client);
    assert.match(
      await (await app.request("http://shop.test/us")).text(),
      /Free Standard shipping on orders over \$50.00/,
    );
    assert.doesNotMatch(await (await app.request("http://shop.test/eu")).text(), /class="banner"/);
  });

  it("word the free-shipping banner with Standard's name from the elements' table", async () => {
    const stores = Object.fromEntries(
      (["us", "jp", "eu"] as StoreId[]).map((id) => [id, { client: fakeClient().client, freeShippingOver: "39" }]),
    ) as Record<StoreId, { client: MerchantClient; freeShippingOver: string }>;
    const app = createDemoApp({ publishableKey: "pk_test_0123456789abcdef", stores });
    const banner = async (id: StoreId) =>
      /class="banner">([^<]*)</
        .exec(await (await app.request(`http://shop.test/${id}`)).text())?.[1]
        ?.replace(/\s/g, " ");
    assert.equal(await banner("us"), "Free Standard shipping on orders over $39.00");
    assert.equal(await banner("jp"), "￥39以上のご注文で通常配送無料");
    assert.equal(await banner("eu"), "Versandart „Standard“ kostenlos ab 39,00 €");
  });

  it("have one name per speed per language (en, ja, de, fr, es), the checkout element's", () => {
    for (const locale of ["en-US", "ja-JP", "de-DE", "fr-FR", "es-ES"]) {
      const store = { ...STORES.us, locale };
      const names = SPEEDS.map((speed) => speedName(store, speed));
      assert.deepEqual(
        names,
        SPEEDS.map((speed) => stringsFor(locale)[speed]),
      );
      assert.equal(new Set(names).size, SPEEDS.length, `${locale}: ${names.join(", ")}`);
    }
  });

  it("the Japanese store offers cash on delivery; the others do not", async () => {
    const app = demoWith(fakeClient().client);
    assert.match(await (await app.request("http://shop.test/jp")).text(), /value="cod"/);
    assert.doesNotMatch(await (await app.request("http://shop.test/us")).text(), /value="cod"/);
    // The browser flow cannot order cash on delivery (only the store's server states item prices): not offered.
    assert.doesNotMatch(await (await app.request("http://shop.test/jp?flow=browser")).text(), /value="cod"/);
  });

  it("swaps in a named cart and ignores unknown ones", async () => {
    const app = demoWith(fakeClient().client);
    assert.match(await (await app.request("http://shop.test/us?cart=soldout")).text(), /SOLDOUT-SNEAKER-42/);
    assert.doesNotMatch(await (await app.request("http://shop.test/us?cart=nope")).text(), /SOLDOUT-SNEAKER-42/);
  });

  it("give each rendering its own idempotency key and order number", async () => {
    const app = demoWith(fakeClient().client);
    const first = await (await app.request("http://shop.test/us")).text();
    const second = await (await app.request("http://shop.test/us")).text();
    const field = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1];
    assert.match(field(first, "orderNumber") ?? "", /^CL-\d{6}$/);
    assert.notEqual(field(first, "idempotencyKey"), field(second, "idempotencyKey"));
  });

  it("marks the browser flow on the form", async () => {
    const app = demoWith(fakeClient().client);
    assert.match(await (await app.request("http://shop.test/us?flow=browser")).text(), /data-flow="browser"/);
    assert.match(await (await app.request("http://shop.test/us")).text(), /data-flow="server"/);
  });

  it("answers 404 for an unknown store", async () => {
    const app = demoWith(fakeClient().client);
    assert.equal((await app.request("http://shop.test/xx")).status, 404);
  });

  it("escapes the cart JSON inside its script tag", async () => {
    const app = demoWith(fakeClient().client);
    const page = await (await app.request("http://shop.test/eu")).text();
    const json = /<script type="application\/json" id="cart-items">([\s\S]*?)<\/script>/.exec(page)?.[1];
    assert.ok(json);
    assert.deepEqual(
      JSON.parse(json).map((item: { sku: string }) => item.sku),
      STORES.eu.cart.map((line) => line.sku),
    );
  });
});

describe("server flow: POST /:store/orders", () => {
  it("places the order with the form's quote and idempotency key, then redirects to the order page", async () => {
    const { client, calls } = fakeClient({
      createOrder: () => ({ orderId: "ord-1", status: "Received", orderToken: "ot-1" }),
    });
    const response = await demoWith(client).request(
      form({ ...US_ADDRESS, quote: "q.token", idempotencyKey: "idem-1", orderNumber: "CL-123456", cart: "" }),
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/orders/ord-1?store=us");
    assertOrderCookie(response, "ord-1", "ot-1");
    const orders = calls.filter((call) => call.method === "createOrder");
    assert.equal(orders.length, 1);
    const [body, key] = orders[0]!.args as [Record<string, unknown>, string];
    assert.equal(key, "idem-1");
    assert.equal(body.quote, "q.token");
    assert.equal(body.displayableOrderId, "CL-123456");
    const { email, ...address } = US_ADDRESS;
    assert.deepEqual(body.address, address);
    assert.deepEqual(body.notificationEmails, [email]);
    assert.deepEqual(
      body.items,
      STORES.us.cart.map((line) => ({
        sku: line.sku,
        quantity: line.quantity,
        perUnitPrice: line.unitPrice,
      })),
    );
  });

  it("without a quote, shows the form again with the shopper's values and calls nothing", async () => {
    const { client, calls } = fakeClient();
    const response = await demoWith(client).request(form({ ...US_ADDRESS, idempotencyKey: "idem-1" }));
    assert.equal(response.status, 422);
    const page = await response.text();
    assert.match(page, /Please choose a delivery option/);
    assert.match(page, /value="410 Terry Ave N"/);
    assert.deepEqual(
      calls.filter((call) => call.method !== "cartValue"),
      [],
      "no order, no other proxy call (the page shown again only has its cart valued)",
    );
  });

  it("shows the proxy's problem, naming the field, and issues a fresh idempotency key", async () => {
    const { client } = fakeClient({
      createOrder: () => {
        throw new ProxyProblem({
          title: "Quote does not match",
          status: 422,
          detail: "The quote was issued for another destination.",
          errors: [{ path: "address.postalCode", message: "differs from the quote" }],
        });
      },
    });
    const response = await demoWith(client).request(form({ ...US_ADDRESS, quote: "q", idempotencyKey: "idem-1" }));
    assert.equal(response.status, 422);
    const page = await response.text();
    assert.match(page, /The order could not be placed/);
    assert.match(page, /address.postalCode: differs from the quote/);
    assert.match(page, /name="idempotencyKey" value="key-\d+"/);
  });
});

describe("browser flow: POST /:store/orders/:id/pay", () => {
  it("checks the shopper holds the order's token, then releases the hold with the secret key", async () => {
    const { client, calls } = fakeClient();
    const response = await demoWith(client).request("http://shop.test/us/orders/ord-9/pay", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderToken: "ot-1" }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { orderId: "ord-9", released: true, orderPage: "/orders/ord-9?store=us" });
    assertOrderCookie(response, "ord-9", "ot-1");
    assert.deepEqual(
      calls.map((call) => [call.method, ...call.args]),
      [
        ["getOrder", "ord-9", "ot-1"],
        ["shipOrder", "ord-9"],
      ],
    );
  });

  it("refuses without an order token and releases nothing", async () => {
    const { client, calls } = fakeClient();
    const response = await demoWith(client).request("http://shop.test/us/orders/ord-9/pay", {
      method: "POST",
      body: "{}",
    });
    assert.equal(response.status, 400);
    assert.equal(calls.length, 0);
  });

  it("does not release an order whose token the proxy rejects", async () => {
    const { client, calls } = fakeClient({
      getOrder: () => {
        throw new ProxyProblem({ title: "Forbidden", status: 403 });
      },
    });
    const response = await demoWith(client).request("http://shop.test/us/orders/ord-9/pay", {
      method: "POST",
      body: JSON.stringify({ orderToken: "wrong" }),
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("set-cookie"), null);
    assert.deepEqual(
      calls.map((call) => call.method),
      ["getOrder"],
    );
  });
});

const order: ProxyOrder = {
  orderId: "ord-1",
  status: "Processing",
  speed: "Expedited",
  marketplaceId: "ATVPDKIKX0DER",
  displayableOrderId: "ord-1",
  receivedDate: "2026-01-05T09:00:00Z",
  statusUpdatedDate: "2026-01-05T11:00:00Z",
  items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2, cancelledQuantity: 0, unfulfillableQuantity: 0 }],
  shipments: [
    {
      id: "S1",
      status: "SHIPPED",
      items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2, packageNumber: 7 }],
      packageNumbers: [7],
    },
  ],
  packages: [{ packageNumber: 7, carrierCode: "AMZL", trackingNumber: "TBA000007", shipmentId: "S1" }],
  trackingNumbers: ["TBA000007"],
};
describe("order page", () => {
  it("shows the order read with the secret key, and <mcf-order-status> with its token and the store's proxy", async () => {
    const { client, calls } = fakeClient({ getOrder: () => order });
    const page = await (await demoWith(client).request("http://shop.test/orders/ord-1?store=us", OWNER)).text();
    assert.match(page, /id="order-speed" data-speed="Expedited">Expedited</);
    assert.match(page, /<mcf-order-status\s[^>]*order-id="ord-1"/);
    assert.match(page, /<mcf-order-status\s[^>]*order-token="ot-1"/);
    assert.match(page, /<mcf-order-status\s[^>]*endpoint="http:\/\/shop\.test\/proxy\/us"/);
    assert.match(page, /<mcf-order-status\s[^>]*publishable-key="pk_test_0123456789abcdef"/);
    assert.match(page, /<script type="module" src="\/order-status\.js">/);
    assert.deepEqual(
      calls.map((call) => [call.method, ...call.args]),
      [
        ["getOrder", "ord-1", "ot-1"],
        ["getOrder", "ord-1"],
      ],
    );
  });

  it("words the Scheduled Delivery slot as <mcf-order-status> does: the day, then the hours, in Tokyo", async () => {
    const scheduled: ProxyOrder = {
      ...order,
      speed: "ScheduledDelivery",
      marketplaceId: STORES.jp.marketplaceId,
      timeZone: "Asia/Tokyo",
      deliveryWindow: { start: "2026-12-04T10:00:00Z", end: "2026-12-04T12:00:00Z" },
    };
    const { client } = fakeClient({ getOrder: () => scheduled });
    const page = await (await demoWith(client).request("http://shop.test/orders/ord-1?store=jp", OWNER)).text();
    assert.match(page, /id="order-speed" data-speed="ScheduledDelivery">お届け日時指定便</);
    const slot = /id="order-window"[^>]*>\s*([^<]*?)\s*</.exec(page)?.[1];
    assert.equal(slot, "12月4日(金) 19時～21時");
    assert.equal(slot, formatWindow(scheduled.deliveryWindow!, "ja-JP", "Asia/Tokyo"), "the element's formatter");
  });

  it("names each speed as the checkout element does, in each store's language", async () => {
    for (const id of ["us", "jp", "eu"] as StoreId[]) {
      for (const speed of SPEEDS) {
        const { client } = fakeClient({ getOrder: () => ({ ...order, speed }) });
        const page = await (await demoWith(client).request(`http://shop.test/orders/ord-1?store=${id}`, OWNER)).text();
        const name = stringsFor(STORES[id].locale)[speed];
        assert.ok(page.includes(`data-speed="${speed}">${name}</dd>`), `${id} ${speed}: ${name}`);
      }
    }
    const { client } = fakeClient({ getOrder: () => order });
    const page = await (await demoWith(client).request("http://shop.test/orders/ord-1?store=eu", OWNER)).text();
    assert.match(page, /data-speed="Expedited">Express</, "German Expedited is Express, at checkout and here");
  });

  it("shows what the shopper pays: the shipping price recorded when the order was placed, the total, and COD", async () => {
    const { client } = fakeClient({
      createOrder: () => ({
        orderId: "ord-1",
        status: "Received",
        orderToken: "ot-1",
        price: { amount: "12.99", currency: "USD" },
      }),
      getOrder: () => ({ ...order, items: STORES.us.cart.map((line) => ({ sku: line.sku, quantity: line.quantity })) }),
    });
    const app = demoWith(client);
    await app.request(form({ ...US_ADDRESS, quote: "q.token", idempotencyKey: "idem-1", payment: "cod" }));
    const page = await (await app.request("http://shop.test/orders/ord-1?store=us", OWNER)).text();
    const goods = Number(
      STORES.us.cart.reduce((sum, line) => sum + Number(line.unitPrice) * line.quantity, 0).toFixed(2),
    );
    const usd = (amount: number) => `$${amount.toFixed(2)}`;
    assert.match(page, new RegExp(`id="order-subtotal">\\${usd(goods)}<`));
    assert.match(page, /id="order-shipping">\$12\.99</);
    assert.match(page, new RegExp(`id="order-total">\\${usd(goods + 12.99)}<`));
    assert.match(page, new RegExp(`id="order-cod">Cash on delivery: \\${usd(goods + 12.99)} due`));
  });

  it("the browser flow's payment route records the price the shopper saw; a malformed one is left out", async () => {
    const { client } = fakeClient({ getOrder: () => order });
    const app = demoWith(client);
    const pay = (price: unknown) =>
      app.request("http://shop.test/us/orders/ord-1/pay", {
        method: "POST",
        body: JSON.stringify({ orderToken: "ot-1", price, payment: "card" }),
      });
    await pay({ amount: "<b>1</b>", currency: "USD" });
    let page = await (await app.request("http://shop.test/orders/ord-1?store=us", OWNER)).text();
    assert.doesNotMatch(page, /order-shipping/);
    await pay({ amount: "0.00", currency: "USD" });
    page = await (await app.request("http://shop.test/orders/ord-1?store=us", OWNER)).text();
    assert.match(page, /id="order-shipping">Free</);
    assert.doesNotMatch(page, /order-cod/);
  });

  it("serves the order-status bundle, and says how to build it when missing", async () => {
    const { client } = fakeClient();
    const stores = Object.fromEntries(
      (["us", "jp", "eu"] as StoreId[]).map((id) => [id, { endpointPath: `/proxy/${id}`, client }]),
    ) as Record<StoreId, { endpointPath: string; client: MerchantClient }>;
    const built = createDemoApp({ publishableKey: "pk", stores, orderStatusScript: async () => "export {};" });
    const response = await built.request("http://shop.test/order-status.js");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /javascript/);
    assert.equal(await response.text(), "export {};");
    const missing = createDemoApp({ publishableKey: "pk", stores, orderStatusScript: async () => null });
    const absent = await missing.request("http://shop.test/order-status.js");
    assert.equal(absent.status, 404);
    assert.match(await absent.text(), /npm run build/);
  });

  it("answers 404 for an unknown order", async () => {
    const { client } = fakeClient({
      getOrder: () => {
        throw new ProxyProblem({ title: "Not Found", status: 404, detail: "No order ord-x" });
      },
    });
    const response = await demoWith(client).request("http://shop.test/orders/ord-x?store=eu", OWNER);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /Bestellung nicht gefunden/);
  });

  it("shows nothing to a browser without the order's cookie, and reads nothing", async () => {
    const { client, calls } = fakeClient({ getOrder: () => order });
    const app = demoWith(client);
    for (const path of ["/orders/ord-1?store=us", "/orders/ord-1?store=jp"]) {
      const response = await app.request(`http://shop.test${path}`);
      assert.equal(response.status, 404, path);
      const text = await response.text();
      assert.doesNotMatch(text, /MUG-CERAMIC-BLUE|data-status/, path);
    }
    assert.deepEqual(calls, []);
  });

  it("shows nothing when the proxy rejects the cookie's token, and never reads with the secret key", async () => {
    const { client, calls } = fakeClient({
      getOrder: (_orderId: never, token: never) => {
        if (token) throw new ProxyProblem({ title: "Forbidden", status: 403 });
        return order;
      },
    });
    const response = await demoWith(client).request("http://shop.test/orders/ord-1?store=us", {
      headers: { cookie: "order_token=stolen-or-stale" },
    });
    assert.equal(response.status, 404);
    assert.doesNotMatch(await response.text(), /data-status/);
    assert.deepEqual(
      calls.map((call) => [call.method, ...call.args]),
      [["getOrder", "ord-1", "stolen-or-stale"]],
    );
  });
});

describe("stores connected through /connect", () => {
  const tenant = { id: "tn_abc", name: "Fourth Street Goods", region: "na", marketplaceIds: ["ATVPDKIKX0DER"] };
  function connectedDemo(client: MerchantClient) {
    const shop = { store: connectedStore(tenant), wiring: { publishableKey: "pk_tenant_0123456789", client } };
    const stores = Object.fromEntries(
      (["us", "jp", "eu"] as StoreId[]).map((id) => [id, { publishableKey: `pk_${id}_0123456789`, client }]),
    ) as Record<StoreId, { publishableKey: string; client: MerchantClient }>;
    return createDemoApp({
      stores,
      connected: { get: (id) => (id === tenant.id ? shop : undefined), list: () => [shop] },
      connectPath: "/connect",
      newKey: () => "key-1",
    });
  }

  it("each demo store's page carries its own publishable key; the landing page lists them, the connected one and /connect", async () => {
    const app = connectedDemo(fakeClient().client);
    for (const id of ["us", "jp", "eu"] as StoreId[]) {
      assert.match(
        await (await app.request(`http://shop.test/${id}`)).text(),
        new RegExp(`publishable-key="pk_${id}_`),
      );
    }
    const home = await (await app.request("http://shop.test/")).text();
    assert.match(home, /href="\/stores\/tn_abc">Fourth Street Goods</);
    assert.match(home, /pk_tenant_0123456789/);
    assert.match(home, /href="\/connect"/);
  });

  it("renders /stores/{tenantId}: the tenant's name, key and marketplace, the root proxy, its own order routes", async () => {
    const app = connectedDemo(fakeClient().client);
    const page = await (await app.request("http://shop.test/stores/tn_abc?flow=browser")).text();
    assert.match(page, /<span class="brand-name">Fourth Street Goods<\/span>/);
    assert.match(page, /publishable-key="pk_tenant_0123456789"/);
    assert.match(page, /marketplace-id="ATVPDKIKX0DER"/);
    assert.doesNotMatch(page, /endpoint=/, "the element calls where /widget.js came from: the connector");
    assert.match(page, /action="\/stores\/tn_abc\/orders"/);
    assert.match(page, /data-path="\/stores\/tn_abc"/);
    assert.match(page, /href="\/stores\/tn_abc\?flow=server"/);
    assert.equal((await app.request("http://shop.test/stores/tn_other")).status, 404);
    assert.equal((await app.request("http://shop.test/stores/us")).status, 404, "demo stores live at /us");
  });

  it("gives /stores/{tenantId} its own identity: a tagline with its name and order numbers from its initials", async () => {
    const app = connectedDemo(fakeClient().client);
    const page = await (await app.request("http://shop.test/stores/tn_abc")).text();
    assert.match(page, /<span class="tagline">Welcome to Fourth Street Goods<\/span>/);
    assert.doesNotMatch(page, new RegExp(STORES.us.tagline), "not the US demo store's tagline");
    assert.match(page, /name="orderNumber" value="FSG-\d{6}"/);
    assert.doesNotMatch(page, /value="CL-/, "not the US demo store's order numbers");
    const home = await (await app.request("http://shop.test/")).text();
    assert.match(home, /Fourth Street Goods<\/a><\/h2>\s*<p>Welcome to Fourth Street Goods<\/p>/);
    for (const [name, region, marketplaceIds, tagline, prefix] of [
      ["Kissa Hoshi", "fe", ["A1VC38T7YXB528"], "Kissa Hoshiへようこそ", "KH"],
      ["星の喫茶", "fe", ["A1VC38T7YXB528"], "星の喫茶へようこそ", "SHOP"],
      ["Röstwerk", "eu", ["A1PA6795UKMFR9"], "Willkommen bei Röstwerk", "ROS"],
      ["the A&B 2 Co. store", "na", ["ATVPDKIKX0DER"], "Welcome to the A&B 2 Co. store", "TAB2"],
    ] as const) {
      const store = connectedStore({ id: "tn_x", name, region, marketplaceIds });
      assert.equal(store.tagline, tagline, name);
      assert.equal(store.orderPrefix, prefix, name);
      assert.match(newOrderNumber(store), /^[A-Z0-9]+-\d{6}$/, "what Amazon's displayableOrderId takes");
    }
  });

  it("places its orders with its own client, and the order page reads them as this store's", async () => {
    const { client, calls } = fakeClient({
      createOrder: () => ({ orderId: "ord-7", status: "Received", orderToken: "ot-1" }),
      getOrder: () => ({ ...order, status: "Received" }),
    });
    const app = connectedDemo(client);
    const response = await app.request(
      new Request("http://shop.test/stores/tn_abc/orders", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...US_ADDRESS, quote: "q.token", idempotencyKey: "idem-1" }),
      }),
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/orders/ord-7?store=tn_abc");
    assert.equal(calls.filter((call) => call.method === "createOrder").length, 1);
    const released = await app.request("http://shop.test/stores/tn_abc/orders/ord-7/pay", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderToken: "ot-1" }),
    });
    assert.equal(((await released.json()) as { orderPage: string }).orderPage, "/orders/ord-7?store=tn_abc");
    const orderView = await (await app.request("http://shop.test/orders/ord-7?store=tn_abc", OWNER)).text();
    assert.match(orderView, /Fourth Street Goods/);
    assert.match(orderView, /href="\/stores\/tn_abc">/);
    assert.match(orderView, /<mcf-order-status[^>]*publishable-key="pk_tenant_0123456789"/);
  });
});

describe("merchantClient", () => {
  it("sends the secret key, and with an order token the publishable key instead (as the shopper's browser does)", async () => {
    const sent: (string | null)[] = [];
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      sent.push(`${headers.get("authorization")} ${headers.get("x-order-token")}`);
      return Response.json({});
    }) as typeof fetch;
    await merchantClient("http://proxy.test", "sk_1", fetchImpl, "pk_1").getOrder("o-1");
    await merchantClient("http://proxy.test", "sk_1", fetchImpl, "pk_1").getOrder("o-1", "ot-1");
    await merchantClient("http://proxy.test", "sk_1", fetchImpl).getOrder("o-1", "ot-1");
    assert.deepEqual(sent, ["Bearer sk_1 null", "Bearer pk_1 ot-1", "null ot-1"]);
  });
});

describe("orderRequest", () => {
  it("drops empty address fields and the email when absent", () => {
    const body = orderRequest("q", { name: "山田 花子", postalCode: "150-0041", countryCode: "JP" }, [], "KUMO-100000");
    assert.deepEqual(body.address, { name: "山田 花子", postalCode: "150-0041", countryCode: "JP" });
    assert.equal(body.notificationEmails, undefined);
  });
});

describe("route", () => {
  const seen: string[] = [];
  const handler = (name: string) => async (request: Request) => {
    seen.push(`${name} ${request.method} ${new URL(request.url).pathname} ${request.body ? await request.text() : ""}`);
    return new Response(name);
  };
  const dispatch = route({ us: handler("us"), jp: handler("jp"), eu: handler("eu") }, handler("storefront"));

  it("sends /proxy/{store}/… to that store's proxy without the prefix, body intact", async () => {
    seen.length = 0;
    await dispatch(new Request("http://x/proxy/jp/v1/delivery-options", { method: "POST", body: '{"a":1}' }));
    await dispatch(new Request("http://x/proxy/eu/widget.js"));
    assert.deepEqual(seen, ['jp POST /v1/delivery-options {"a":1}', "eu GET /widget.js "]);
  });

  it("sends the root proxy paths to the US proxy and the rest to the storefront", async () => {
    seen.length = 0;
    for (const path of ["/v1/health", "/widget.js", "/openapi.json", "/", "/us", "/orders/1", "/v1"]) {
      await dispatch(new Request(`http://x${path}`));
    }
    assert.deepEqual(
      seen.map((line) => line.split(" ")[0]),
      ["us", "us", "us", "storefront", "storefront", "storefront", "storefront"],
    );
  });

  it("sends /connect and its pages to the root proxy given (the connector)", async () => {
    seen.length = 0;
    const connector = route(
      { us: handler("us"), jp: handler("jp"), eu: handler("eu") },
      handler("storefront"),
      handler("connector"),
    );
    for (const path of [
      "/connect",
      "/connect/amazon/callback",
      "/v1/health",
      "/proxy/jp/v1/health",
      "/connected",
      "/stores/tn_1",
    ]) {
      await connector(new Request(`http://x${path}`));
    }
    assert.deepEqual(
      seen.map((line) => line.split(" ")[0]),
      ["connector", "connector", "connector", "jp", "storefront", "storefront"],
    );
  });

  it("answers 404 for an unknown store's proxy", async () => {
    assert.equal((await dispatch(new Request("http://x/proxy/constructor/v1/health"))).status, 404);
  });
});

describe("sandbox skip-ahead", () => {
  const post = (body: unknown) =>
    new Request("http://shop.test/sandbox/advance", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("moves the sandbox clock by whole hours within two weeks", async () => {
    const moved: number[] = [];
    const app = demoWith(fakeClient().client, async (hours) => {
      moved.push(hours);
    });
    assert.equal((await app.request(post({ hours: 6 }))).status, 200);
    assert.equal((await app.request(post({ hours: 0 }))).status, 400);
    assert.equal((await app.request(post({ hours: 400 }))).status, 400);
    assert.equal((await app.request(post({ hours: "x" }))).status, 400);
    assert.deepEqual(moved, [6]);
  });

  it("does not exist without a sandbox to move, and the order page then has no buttons", async () => {
    const { client } = fakeClient({ getOrder: () => ({ ...order, status: "Received" }) });
    const app = demoWith(client);
    assert.equal((await app.request(post({ hours: 1 }))).status, 404);
    const page = async (demo: typeof app) => (await demo.request("http://shop.test/orders/ord-1", OWNER)).text();
    assert.doesNotMatch(await page(app), /data-advance-hours/);
    assert.match(await page(demoWith(client, async () => {})), /data-advance-hours="6"/);
  });
});

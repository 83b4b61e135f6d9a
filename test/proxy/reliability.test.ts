// What the proxy tells a client under Amazon faults and hostile input, over real HTTP against the sandbox (issue 17):
// an order whose outcome is unknown is a retryable 503, never a 4xx; a malformed Amazon answer is never cached; one
// signed quote spelled another way makes no second order; claims are checked after the signature; a secret key sent
// from a page is refused.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bodyDigest } from "../../proxy/orders/rules.ts";
import { destinationDigest, itemsDigest } from "../../proxy/quotes/digest.ts";
import { issueQuote } from "../../proxy/quotes/index.ts";
import { DEFAULT_MERCHANT, merchantKey } from "../../proxy/stores/keys.ts";
import { createMemoryStore } from "../../proxy/stores/memory.ts";
import { US_ADDRESS as ADDRESS, SECRETS, US } from "./fixtures.ts";
import { type Harness, type Json, startHarness } from "./harness.ts";

const CART = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];
const PREVIEW = { items: CART, address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" } };
const CREATE = "POST /fba/outbound/2020-07-01/fulfillmentOrders";

async function faults(h: Harness, plan: object) {
  const response = await fetch(`${h.sandboxUrl}/_sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(plan),
  });
  assert.equal(response.status, 200, await response.text());
}

async function quoteFor(h: Harness): Promise<string> {
  const seen = await h.request("/v1/delivery-options", { json: PREVIEW, key: "publishable" });
  assert.equal(seen.status, 200, seen.text);
  return seen.body.options.find((option: Json) => option.speed === "Standard").quote;
}

describe("an order whose outcome is unknown", () => {
  let h: Harness;
  before(async () => {
    // Short attempts, so the create "times out" while Amazon still completes it.
    h = await startHarness(
      {},
      {
        deps: {
          resilience: {
            policies: { createOrder: { timeoutMs: 300, maxRetries: 1 }, getOrder: { timeoutMs: 300, maxRetries: 0 } },
            backoff: { baseMs: 10, maxMs: 20 },
          },
        },
      },
    );
  });
  after(async () => {
    await faults(h, {});
    await h.close();
  });

  test("is a retryable 503 naming the order id, never a 4xx; the retry gets the same order", async () => {
    const quote = await quoteFor(h);
    await faults(h, { createFulfillmentOrder: { latencyMs: 600, count: 2 }, getFulfillmentOrder: { errorRate: 1 } });
    const body = { quote, items: CART, address: ADDRESS };
    const first = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "unknown-1" } });
    assert.equal(first.status, 503, first.text);
    assert.equal(first.body.type, "https://mcf-checkout.dev/problems/order-outcome-unknown");
    assert.ok(first.headers["retry-after"], "retry-after");
    const orderId = first.body.errors[0].message.split(" ")[0];
    assert.match(orderId, /^mcf-[0-9a-f]{32}$/);
    // Amazon finished it meanwhile; once it can be read, the same request answers 201 with that very order.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await faults(h, {});
    const retry = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "unknown-1" } });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.orderId, orderId);
  });
});

describe("a malformed Amazon answer", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await faults(h, {});
    await h.close();
  });

  test("is never cached: the next preview asks Amazon again and answers live", async () => {
    // Both attempts of the first preview (it is retried once) get a truncated body.
    await faults(h, { getFulfillmentPreview: { malformedRate: 1, count: 2 } });
    const first = await h.request("/v1/delivery-options", { json: PREVIEW, key: "publishable" });
    assert.ok(first.status === 502 || first.status === 200, first.text);
    if (first.status === 200) assert.notEqual(first.body.source, "live");
    const previews = h.countOf("/fulfillmentOrders/preview");
    const again = await h.request("/v1/delivery-options", { json: PREVIEW, key: "publishable" });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.source, "live");
    assert.equal(h.countOf("/fulfillmentOrders/preview"), previews + 1);
  });

  test("of an order read is a 502 problem, not a 500", async () => {
    const quote = await quoteFor(h);
    const created = await h.request("/v1/orders", { json: { quote, items: CART, address: ADDRESS } });
    assert.equal(created.status, 201, created.text);
    await faults(h, { getFulfillmentOrder: { malformedRate: 1, count: 3 } });
    const read = await h.request(`/v1/orders/${created.body.orderId}`);
    assert.equal(read.status, 502, read.text);
    assert.equal(read.headers["content-type"], "application/problem+json");
  });
});

describe("quotes", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("another spelling of one signed quote is refused and makes no second order", async () => {
    const quote = await quoteFor(h);
    const body = { items: CART, address: ADDRESS };
    const created = await h.request("/v1/orders", { json: { ...body, quote } });
    assert.equal(created.status, 201, created.text);
    const orders = h.countOf(CREATE);
    // The last base64url character carries 2 unused low bits: these spell the same signature bytes.
    const last = quote.at(-1) as string;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const group = Math.floor(alphabet.indexOf(last) / 4) * 4;
    const spellings = [...alphabet.slice(group, group + 4)]
      .filter((c) => c !== last)
      .map((c) => quote.slice(0, -1) + c);
    spellings.push(quote.replace(/-/g, "+").replace(/_/g, "/"));
    for (const spelling of spellings.filter((s) => s !== quote)) {
      const seen = await h.request("/v1/orders", { json: { ...body, quote: spelling } });
      assert.equal(seen.status, 422, `${spelling.slice(-6)}: ${seen.text}`);
      assert.deepEqual(
        seen.body.errors.map((e: Json) => e.path),
        ["quote"],
      );
    }
    assert.equal(h.countOf(CREATE), orders, "no second order");
  });

  test("claims are checked after the signature: a bad amount, a negative one or another currency is refused", async () => {
    const keys = [{ kid: "k1", secret: SECRETS.quoteSecret.replace(/^k1:/, "") }];
    const binding = {
      opt: "Standard",
      mkt: US,
      spd: "Standard" as const,
      itm: await itemsDigest(CART),
      dst: await destinationDigest(ADDRESS),
    };
    for (const [amt, cur] of [
      ["abc", "USD"],
      ["-1.00", "USD"],
      ["5.99", "JPY"],
    ] as const) {
      const { token } = await issueQuote(keys, { ...binding, amt, cur }, Date.now(), 900);
      const seen = await h.request("/v1/orders", { json: { quote: token, items: CART, address: ADDRESS } });
      assert.equal(seen.status, 422, `${amt} ${cur}: ${seen.text}`);
      assert.ok(
        seen.body.errors.some((e: Json) => e.path === "quote"),
        seen.text,
      );
    }
  });
});

describe("a secret key sent from a page", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ MCF_ALLOWED_ORIGINS: "https://shop.example" });
  });
  after(() => h.close());

  test("is refused as leaked, before any work", async () => {
    const quote = await quoteFor(h);
    const before = h.calls.length;
    const seen = await h.request("/v1/orders", {
      json: { quote, items: CART, address: ADDRESS },
      key: "secret",
      headers: { origin: "https://shop.example" },
    });
    assert.equal(seen.status, 403, seen.text);
    assert.equal(seen.body.type, "https://mcf-checkout.dev/problems/secret-key-in-browser");
    assert.equal(seen.headers["access-control-allow-origin"], "https://shop.example");
    assert.equal(h.calls.length, before);
  });
});

describe("browser Hold orders", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("one quote makes a bounded number of browser orders; a retry counts once", async () => {
    const quote = await quoteFor(h);
    const shopper = (n: number) => ({ quote, items: CART, address: { ...ADDRESS, name: `Shopper ${n}` } });
    const first = await h.request("/v1/orders", { key: "publishable", json: shopper(1) });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.action, "Hold");
    const retry = await h.request("/v1/orders", { key: "publishable", json: shopper(1) });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.orderId, first.body.orderId);
    for (const n of [2, 3]) {
      const seen = await h.request("/v1/orders", { key: "publishable", json: shopper(n) });
      assert.equal(seen.status, 201, seen.text);
    }
    const orders = h.countOf(CREATE);
    const fourth = await h.request("/v1/orders", { key: "publishable", json: shopper(4) });
    assert.equal(fourth.status, 409, fourth.text);
    assert.equal(fourth.body.type, "https://mcf-checkout.dev/problems/quote-already-ordered");
    assert.equal(h.countOf(CREATE), orders, "nothing more reached Amazon");
    // The merchant's server may still order what it means to with the same quote.
    const server = await h.request("/v1/orders", { json: shopper(4) });
    assert.equal(server.status, 201, server.text);
  });
});

describe("stale browser holds", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ MCF_HOLD_TTL_MINUTES: "1" });
  });
  after(() => h.close());

  test("are cancelled once older than MCF_HOLD_TTL_MINUTES, so their stock comes back; released ones are not", async () => {
    const place = async (name: string) => {
      const quote = await quoteFor(h);
      const seen = await h.request("/v1/orders", {
        key: "publishable",
        json: { quote, items: CART, address: { ...ADDRESS, name } },
      });
      assert.equal(seen.status, 201, seen.text);
      return seen.body.orderId as string;
    };
    const stale = await place("Never Paid");
    const released = await place("Paid");
    assert.equal((await h.request(`/v1/orders/${released}/ship`, { json: {} })).status, 200);
    h.clock.advance(61_000);
    // Any order request after the TTL starts the sweep in the background.
    await place("Later Shopper");
    let status = "";
    for (let poll = 0; poll < 40 && status !== "Cancelled"; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await h.request(`/v1/orders/${stale}`)).body.status;
    }
    assert.equal(status, "Cancelled");
    const kept = await h.request(`/v1/orders/${released}`);
    assert.notEqual(kept.body.status, "Cancelled");
    assert.equal(kept.body.action, "Ship");
  });
});

describe("an Idempotency-Key whose first request died with its process", () => {
  const idempotency = createMemoryStore({ maxEntries: 100 });
  let h: Harness;
  before(async () => {
    h = await startHarness({}, { deps: { stores: { idempotency } } });
  });
  after(() => h.close());

  test("is taken over once its owner stops renewing the lease, instead of blocking retries for minutes", async () => {
    const quote = await quoteFor(h);
    const body = { quote, items: CART, address: ADDRESS };
    // What a proxy killed mid-create leaves behind: an in-flight marker nobody renews any more.
    const scope = merchantKey(DEFAULT_MERCHANT, "idempotency", "server", "died-1");
    const dead = {
      state: "in-flight",
      digest: await bodyDigest(body),
      owner: "gone",
      renewedAt: h.clock.now() - 11_000,
    };
    await idempotency.set(scope, dead, 120_000);
    const started = Date.now();
    const retry = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "died-1" } });
    assert.equal(retry.status, 201, retry.text);
    assert.ok(Date.now() - started < 5_000, "not held until the marker expires");
    // The finished answer is then replayed under the key.
    const replay = await h.request("/v1/orders", { json: body, headers: { "idempotency-key": "died-1" } });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers["idempotent-replayed"], "true");
    assert.equal(replay.body.orderId, retry.body.orderId);
  });
});

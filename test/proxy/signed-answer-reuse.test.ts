// Reusing a signed delivery-options answer for identical requests: the signed answers on their own (injectable clock,
// in-memory stores), two apps in one process, then over real HTTP against the sandbox, including what orders placed
// with a shared quote become.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeJwt } from "jose";
import { proxyEnv } from "../../bench/lib/env.ts";
import { createApp } from "../../proxy/app.ts";
import { createSignedAnswers, SIGNED_ANSWER_REUSE_MS } from "../../proxy/previews/signed-answers.ts";
import { merchantKey } from "../../proxy/stores/keys.ts";
import { createMemoryStore } from "../../proxy/stores/memory.ts";
import { CONTROL_PREFIX, DEV_CREDENTIALS } from "../../sandbox/index.ts";
import { startProxy } from "../helpers/proxy-server.ts";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { fakeDialect, manualClock, ONE_SPEED_PREVIEW, SECRETS, testConfig } from "./fixtures.ts";
import { type Harness, type Json, startHarness } from "./harness.ts";

/** A signer that counts its calls and answers `answer-1` (quote `q1`), `answer-2` (quote `q2`), … */
function countingSigner() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    sign: async () => {
      const n = ++calls;
      return { json: `answer-${n}`, quoteIds: [`q${n}`] };
    },
  };
}

/** Signed answers over fresh in-memory stores, all on one manual clock. */
function signedAnswers(options: { answersBound?: number } = {}) {
  const clock = manualClock();
  const answers = createMemoryStore({ maxEntries: options.answersBound ?? 16, clock });
  const quotes = createMemoryStore({ maxEntries: 16, clock });
  const signed = createSignedAnswers({ answers, quotes, clock, merchant: "default" });
  const reuse = async (key: string, version: string, sign: ReturnType<typeof countingSigner>["sign"]) =>
    (await signed.reuse(key, version, sign)).json;
  return { clock, answers, quotes, signed, reuse };
}

describe("signed answers", () => {
  test("the same key and preview version within the window reuse one signing, concurrent requests included", async () => {
    const { clock, reuse } = signedAnswers();
    const signer = countingSigner();
    const together = await Promise.all([1, 2, 3].map(() => reuse("k", "v1", signer.sign)));
    assert.deepEqual(together, ["answer-1", "answer-1", "answer-1"]);
    clock.advance(SIGNED_ANSWER_REUSE_MS - 1);
    assert.equal(await reuse("k", "v1", signer.sign), "answer-1");
    assert.equal(signer.calls, 1);
  });

  test("the window ends at SIGNED_ANSWER_REUSE_MS after signing, however often the answer was reused", async () => {
    const { clock, reuse } = signedAnswers();
    const signer = countingSigner();
    await reuse("k", "v1", signer.sign);
    clock.advance(SIGNED_ANSWER_REUSE_MS / 2);
    assert.equal(await reuse("k", "v1", signer.sign), "answer-1");
    clock.advance(SIGNED_ANSWER_REUSE_MS / 2);
    assert.equal(await reuse("k", "v1", signer.sign), "answer-2");
  });

  test("a clock that went back signs anew", async () => {
    const { clock, reuse } = signedAnswers();
    const signer = countingSigner();
    await reuse("k", "v1", signer.sign);
    clock.advance(-1);
    assert.equal(await reuse("k", "v1", signer.sign), "answer-2");
  });

  test("another preview version (a refresh replaced the cache entry) or another key signs anew", async () => {
    const { reuse } = signedAnswers();
    const signer = countingSigner();
    await reuse("k", "v1", signer.sign);
    assert.equal(await reuse("k", "v2", signer.sign), "answer-2");
    assert.equal(await reuse("other", "v2", signer.sign), "answer-3");
  });

  test("reuse is keyed by the entry's version, not by object identity: another instance on the same store reuses it", async () => {
    const { clock, answers, quotes, reuse } = signedAnswers();
    const elsewhere = createSignedAnswers({ answers, quotes, clock, merchant: "default" });
    const signer = countingSigner();
    await reuse("k", "v1", signer.sign);
    assert.equal((await elsewhere.reuse("k", "v1", signer.sign)).json, "answer-1");
    assert.equal((await elsewhere.reuse("k", "v2", signer.sign)).json, "answer-2");
    assert.equal(signer.calls, 2);
    // Another merchant never sees this merchant's answers, though the store is shared.
    const other = createSignedAnswers({ answers, quotes, clock, merchant: "other" });
    assert.equal((await other.reuse("k", "v2", signer.sign)).json, "answer-3");
  });

  test("an answer one of whose quotes was presented for an order is signed anew", async () => {
    const { signed, reuse } = signedAnswers();
    const signer = countingSigner();
    await reuse("k", "v1", signer.sign);
    await signed.markPresented("q1", 60_000);
    assert.equal(await reuse("k", "v1", signer.sign), "answer-2");
    assert.equal(await reuse("k", "v1", signer.sign), "answer-2");
  });

  test("presented quotes live in each app's quotes store: another app's order does not end this app's reuse", async () => {
    const first = signedAnswers();
    const second = signedAnswers();
    const signer = countingSigner();
    await first.reuse("k", "v1", signer.sign);
    await second.signed.markPresented("q1", 60_000);
    assert.equal(await first.reuse("k", "v1", signer.sign), "answer-1");
    assert.equal(await first.quotes.get(merchantKey("default", "presented", "q1")), undefined);
    await first.signed.markPresented("q1", 60_000);
    assert.equal(await first.reuse("k", "v1", signer.sign), "answer-2");
  });

  test("a failed signing is not remembered", async () => {
    const { answers, signed } = signedAnswers();
    await assert.rejects(
      signed.reuse("k", "v1", async () => {
        throw new Error("no key");
      }),
      /no key/,
    );
    assert.equal(answers.size, 0);
    assert.equal((await signed.reuse("k", "v1", async () => ({ json: "signed", quoteIds: [] }))).json, "signed");
  });

  test("memory is bounded by the answers store: the least recently used answer goes first", async () => {
    const { answers, reuse } = signedAnswers({ answersBound: 2 });
    const signer = countingSigner();
    await reuse("a", "v1", signer.sign); // answer-1
    await reuse("b", "v1", signer.sign); // answer-2
    assert.equal(await reuse("a", "v1", signer.sign), "answer-1");
    await reuse("c", "v1", signer.sign); // answer-3, drops b
    assert.equal(answers.size, 2);
    assert.equal(await reuse("a", "v1", signer.sign), "answer-1");
    assert.equal(await reuse("b", "v1", signer.sign), "answer-4");
  });
});

describe("two apps in one process", () => {
  test("each keeps its own presented quotes: an order at one app does not end the other's reuse", async () => {
    const config = testConfig();
    const clock = manualClock();
    const build = () =>
      createApp(config, {
        clock,
        logger: { log() {} },
        dialect: fakeDialect({
          preview: async () => ({ data: ONE_SPEED_PREVIEW, meta: { status: 200 } }),
          createOrder: async () => ({ data: { confirmed: true }, meta: { status: 200 } }),
        }),
      });
    const [shop, other] = [build(), build()];
    const headers = { "content-type": "application/json", authorization: `Bearer ${SECRETS.secretKey}` };
    const items = [{ sku: "A", quantity: 1 }];
    const quoteOf = async (app: ReturnType<typeof build>) => {
      const response = await app.request("/v1/delivery-options", {
        method: "POST",
        headers,
        body: JSON.stringify({ items, address: { countryCode: "US", postalCode: "98101" } }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      return ((await response.json()) as { options: { quote: string }[] }).options[0]!.quote;
    };
    const order = async (app: ReturnType<typeof build>, quote: string) => {
      const response = await app.request("/v1/orders", {
        method: "POST",
        headers,
        body: JSON.stringify({
          quote,
          items,
          address: { name: "Jo", line1: "1 Main", city: "Seattle", postalCode: "98101", countryCode: "US" },
        }),
      });
      assert.equal(response.status, 201, await response.clone().text());
    };

    const quote = await quoteOf(shop);
    assert.equal(await quoteOf(shop), quote, "reused within the window");
    await order(other, quote);
    assert.equal(await quoteOf(shop), quote, "the other app's order is not this app's business");
    await order(shop, quote);
    const fresh = await quoteOf(shop);
    assert.notEqual(fresh, quote, "this app's own order ends the reuse");
    assert.equal(await quoteOf(shop), fresh);
  });
});

const CART = [
  { sku: "MUG-CERAMIC-BLUE", quantity: 2 },
  { sku: "TEE-ORGANIC-M", quantity: 1 },
];
const DESTINATION = { countryCode: "US", postalCode: "98101", stateOrRegion: "WA", city: "Seattle" };
const PREVIEW = { items: CART, address: DESTINATION };
const ADDRESS = { name: "Jo Doe", line1: "1 Pike St", ...DESTINATION };

describe("delivery options reuse a signed answer over HTTP", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const options = async (body: object = PREVIEW, key: "secret" | "publishable" = "publishable") => {
    const seen = await h.request("/v1/delivery-options", { json: body, key });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.headers["content-type"], "application/json");
    return seen.body as { options: Json[]; source: string; marketplaceId: string };
  };
  const quotesOf = (answer: { options: Json[] }) =>
    answer.options.filter((option) => option.fulfillable).map((option) => option.quote as string);

  test("an identical request within the window gets the same quotes and the expiry they were signed with", async () => {
    const first = await options();
    h.clock.advance(SIGNED_ANSWER_REUSE_MS - 1);
    const again = await options();
    assert.ok(quotesOf(first).length > 0);
    assert.deepEqual(again.options, first.options);
    assert.equal(again.source, "cache");
    assert.equal(again.marketplaceId, first.marketplaceId);
    for (const option of again.options.filter((each) => each.fulfillable)) {
      assert.equal(Date.parse(option.expiresAt), (decodeJwt(option.quote).exp ?? 0) * 1000);
    }
  });

  test("another address field, cart, declared value, speed list or caller gets other quotes", async () => {
    const base = quotesOf(await options());
    const variants: [string, object, ("secret" | "publishable")?][] = [
      ["postal code", { ...PREVIEW, address: { ...DESTINATION, postalCode: "98102" } }],
      ["region", { ...PREVIEW, address: { ...DESTINATION, stateOrRegion: "OR" } }],
      ["city", { ...PREVIEW, address: { ...DESTINATION, city: "Tacoma" } }],
      ["quantity", { ...PREVIEW, items: [{ ...CART[0], quantity: 3 }, CART[1]] }],
      ["declared value", { ...PREVIEW, items: CART.map((item) => ({ ...item, declaredValue: "12.00" })) }],
      ["speeds", { ...PREVIEW, speeds: ["Standard", "Expedited"] }],
      ["caller", PREVIEW, "secret"],
    ];
    for (const [what, body, key] of variants) {
      const quotes = quotesOf(await options(body, key));
      assert.ok(quotes.length > 0, what);
      for (const quote of quotes) assert.ok(!base.includes(quote), `${what}: a quote was shared`);
    }
  });

  test("after the window new quotes are signed, with a later expiry", async () => {
    const first = await options();
    h.clock.advance(SIGNED_ANSWER_REUSE_MS);
    const later = await options();
    assert.equal(later.source, "cache", "the same cached preview, signed anew");
    const [a] = first.options.filter((option) => option.fulfillable);
    const [b] = later.options.filter((option) => option.fulfillable);
    assert.notEqual(b.quote, a.quote);
    assert.ok(Date.parse(b.expiresAt) > Date.parse(a.expiresAt));
  });

  test("two shoppers with one shared quote get two orders; identical bodies get one", async () => {
    h.clock.advance(SIGNED_ANSWER_REUSE_MS);
    const [quote] = quotesOf(await options());
    const [shared] = quotesOf(await options());
    assert.equal(shared, quote);
    const order = (name: string) =>
      h.request("/v1/orders", { key: "publishable", json: { quote, items: CART, address: { ...ADDRESS, name } } });
    const jo = await order("Jo Doe");
    const sam = await order("Sam Roe");
    const joAgain = await order("Jo Doe");
    for (const seen of [jo, sam, joAgain]) assert.equal(seen.status, 201, seen.text);
    assert.notEqual(sam.body.orderId, jo.body.orderId);
    assert.equal(joAgain.body.orderId, jo.body.orderId);
  });

  test("once one of its quotes is ordered, the next identical request gets fresh quotes", async () => {
    h.clock.advance(SIGNED_ANSWER_REUSE_MS);
    const [quote] = quotesOf(await options());
    const ordered = await h.request("/v1/orders", {
      key: "publishable",
      json: { quote, items: CART, address: ADDRESS },
    });
    assert.equal(ordered.status, 201, ordered.text);
    const [next] = quotesOf(await options());
    assert.notEqual(next, quote);
    assert.equal(quotesOf(await options())[0], next, "and those are shared again");
  });
});

describe("stale and fallback answers are signed anew each time", () => {
  test("while Amazon is down, identical requests get different quotes", async () => {
    const sandbox = await startSandbox();
    const proxy = await startProxy(
      proxyEnv(sandbox.url, DEV_CREDENTIALS, {
        MCF_CACHE_TTL_SECONDS: "0",
        MCF_STALE_TTL_SECONDS: "600",
        MCF_FALLBACK_RATES: JSON.stringify([
          { speed: "Standard", amount: "6.99", currency: "USD", shipDays: 1, arrivalDays: 5 },
        ]),
      }),
      { logger: { log: () => {} } },
    );
    try {
      const ask = async (sku: string) => {
        const response = await fetch(`${proxy.url}/v1/delivery-options`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ items: [{ sku, quantity: 1 }], address: { countryCode: "US", postalCode: "98101" } }),
        });
        assert.equal(response.status, 200, await response.clone().text());
        const answer = (await response.json()) as { source: string; options: Json[] };
        return { source: answer.source, quote: answer.options.find((option) => option.fulfillable)?.quote as string };
      };
      const live = await ask("MUG-CERAMIC-BLUE");
      assert.equal(live.source, "live");
      const down = await fetch(`${sandbox.url}${CONTROL_PREFIX}/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ getFulfillmentPreview: { unavailableRate: 1 } }),
      });
      assert.equal(down.status, 200);
      // The stale answer is the very preview the live answer was made from: only its source keeps it from reuse.
      const stale = [await ask("MUG-CERAMIC-BLUE"), await ask("MUG-CERAMIC-BLUE")];
      const fallback = [await ask("TEE-ORGANIC-M"), await ask("TEE-ORGANIC-M")];
      assert.deepEqual(
        [...stale, ...fallback].map((answer) => answer.source),
        ["stale", "stale", "fallback", "fallback"],
      );
      const quotes = [live, ...stale, ...fallback].map((answer) => answer.quote);
      assert.ok(quotes.every(Boolean));
      assert.equal(new Set(quotes).size, quotes.length);
    } finally {
      await proxy.close();
      await sandbox.close();
    }
  });
});

// The reads of a signed answer's reuse: the stored answer, and the presented marks of its quotes, issued together with
// each other and with the preview read (one round trip to a shared store), with the same outcome as reading them one
// after another. Structural checks only: which calls were issued before any of them answered.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createApp } from "../../../proxy/app.ts";
import { createSignedAnswers, type SignedAnswer } from "../../../proxy/previews/signed-answers.ts";
import { createMemoryStore } from "../../../proxy/stores/memory.ts";
import type { KeyValueStore } from "../../../proxy/stores/types.ts";
import { fakeDialect, manualClock, ONE_SPEED_PREVIEW, SECRETS, testConfig } from "../fixtures.ts";

/** A signer answering `answer-1` (quote `q1`), `answer-2` (quote `q2`), … */
function signer() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    sign: async (): Promise<SignedAnswer> => {
      const n = ++calls;
      return { json: `answer-${n}`, quoteIds: [`q${n}`] };
    },
  };
}

/**
 * A store whose reads wait until `release()` while `held`, recording each one as `<name>.get` when issued: what was
 * issued before the first of them answered went out together.
 */
function gatedStore(name: string, inner: KeyValueStore, issued: string[]) {
  let held = false;
  let waiting: (() => void)[] = [];
  const store: KeyValueStore = {
    ...inner,
    async get<T>(key: string) {
      issued.push(`${name}.get`);
      if (held) await new Promise<void>((resolve) => waiting.push(resolve));
      return inner.get<T>(key);
    },
  };
  return {
    store,
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const resolve of waiting) resolve();
      waiting = [];
    },
    get pending() {
      return waiting.length;
    },
  };
}

function twoInstances() {
  const clock = manualClock();
  const answers = createMemoryStore({ maxEntries: 16, clock });
  const quotes = createMemoryStore({ maxEntries: 16, clock });
  const instance = () => createSignedAnswers({ answers, quotes, clock, merchant: "default" });
  return { clock, answers, quotes, a: instance(), b: instance() };
}

describe("signed answers read ahead", () => {
  test("an answer read ahead is reused like one read in reuse", async () => {
    const { a } = twoInstances();
    const sign = signer();
    await a.reuse("k", "v1", sign.sign);
    assert.equal((await a.reuse("k", "v1", sign.sign, a.read("k"))).json, "answer-1");
    assert.equal(sign.calls, 1);
  });

  test("an answer read ahead whose quote was presented is signed anew", async () => {
    const { a } = twoInstances();
    const sign = signer();
    await a.reuse("k", "v1", sign.sign);
    await a.markPresented("q1", 60_000);
    assert.equal((await a.reuse("k", "v1", sign.sign, a.read("k"))).json, "answer-2");
  });

  test("the marks checked are those of the answer found, when another instance replaced the one this one knew", async () => {
    const { a, b } = twoInstances();
    const sign = signer();
    await a.reuse("k", "v1", sign.sign); // a knows q1 under k
    await b.reuse("k", "v2", sign.sign); // b replaces it: answer-2 with q2 (a refresh changed the preview)
    await a.markPresented("q2", 60_000);
    assert.equal((await a.reuse("k", "v2", sign.sign, a.read("k"))).json, "answer-3");
    // And an unpresented replacement is reused once its own marks were read.
    assert.equal((await b.reuse("k", "v2", sign.sign, b.read("k"))).json, "answer-3");
    assert.equal((await a.reuse("k", "v2", sign.sign, a.read("k"))).json, "answer-3");
    assert.equal(sign.calls, 3);
  });

  test("a failing quotes store costs only the reuse", async () => {
    const { clock, answers } = twoInstances();
    const failing: KeyValueStore = {
      ...createMemoryStore({ maxEntries: 4, clock }),
      get: async () => {
        throw new Error("quotes store down");
      },
    };
    const signed = createSignedAnswers({ answers, quotes: failing, clock, merchant: "default" });
    const sign = signer();
    await signed.reuse("k", "v1", sign.sign);
    assert.equal((await signed.reuse("k", "v1", sign.sign, signed.read("k"))).json, "answer-2");
  });

  test("once an answer's quote ids are known, the answer and their presented marks are read together", async () => {
    const { clock, answers, quotes } = twoInstances();
    const issued: string[] = [];
    const gatedAnswers = gatedStore("answers", answers, issued);
    const gatedQuotes = gatedStore("quotes", quotes, issued);
    const signed = createSignedAnswers({
      answers: gatedAnswers.store,
      quotes: gatedQuotes.store,
      clock,
      merchant: "default",
    });
    const sign = signer();
    await signed.reuse("k", "v1", sign.sign);
    issued.length = 0;
    gatedAnswers.hold();
    gatedQuotes.hold();
    const read = signed.read("k");
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(issued, ["quotes.get", "answers.get"]);
    assert.equal(gatedAnswers.pending + gatedQuotes.pending, 2);
    gatedAnswers.release();
    gatedQuotes.release();
    assert.equal((await signed.reuse("k", "v1", sign.sign, read)).json, "answer-1");
    assert.deepEqual(issued, ["quotes.get", "answers.get"]);
  });

  test("a cached preview's answer: the preview, the answer and its quotes' marks are read together", async () => {
    const clock = manualClock();
    const issued: string[] = [];
    const gates = ["previews", "answers", "quotes"].map((name) =>
      gatedStore(name, createMemoryStore({ maxEntries: 64, clock }), issued),
    );
    const [previews, answers, quotes] = gates.map((gate) => gate.store) as [
      KeyValueStore,
      KeyValueStore,
      KeyValueStore,
    ];
    const app = createApp(testConfig(), {
      clock,
      logger: { log() {} },
      stores: { previews, answers, quotes },
      dialect: fakeDialect({ preview: async () => ({ data: ONE_SPEED_PREVIEW, meta: { status: 200 } }) }),
    });
    const ask = async () => {
      const response = await app.request("/v1/delivery-options", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${SECRETS.secretKey}` },
        body: JSON.stringify({
          items: [{ sku: "A", quantity: 1 }],
          address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA" },
        }),
      });
      assert.equal(response.status, 200);
      return (await response.json()) as { source: string; options: { quote: string }[] };
    };
    const live = await ask();
    assert.equal(live.source, "live");
    issued.length = 0;
    for (const gate of gates) gate.hold();
    const cached = ask();
    // Everything the cached path reads is issued before any of it answers.
    const pending = () => gates.reduce((sum, gate) => sum + gate.pending, 0);
    for (let turn = 0; turn < 50 && (issued.length === 0 || pending() < issued.length); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const quoteReads = live.options.length;
    assert.equal(issued.length, 2 + quoteReads, issued.join(", "));
    assert.deepEqual(new Set(issued), new Set(["previews.get", "answers.get", "quotes.get"]));
    for (const gate of gates) gate.release();
    const answer = await cached;
    assert.equal(answer.source, "cache");
    assert.deepEqual(
      answer.options.map((option) => option.quote),
      live.options.map((option) => option.quote),
    );
    assert.equal(issued.length, 2 + quoteReads, "nothing more is read after them");
  });
});

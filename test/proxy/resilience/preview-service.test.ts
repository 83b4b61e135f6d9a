import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createPreviewService,
  type FallbackRate,
  type PreviewCacheStore,
  type ResilienceEvent,
  type ResilienceOptions,
  withResilience,
} from "../../../proxy/resilience/index.ts";
import { UpstreamError } from "../../../proxy/upstream/types.ts";
import {
  fakeUpstream,
  feeOf,
  type Handler,
  ok,
  previewRequest,
  previewResult,
  seededRandom,
  virtualTime,
} from "./fakes.ts";

const MINUTE = 60_000;
const fallbackRates: FallbackRate[] = [
  { speed: "Standard", amount: "6.50", currency: "USD", shipDays: 1, arrivalDays: 5, countries: ["US"] },
];
const down = () =>
  new UpstreamError({ operation: "getFulfillmentPreview", status: 503, message: "Service Unavailable" });

function setup(handler: Handler, options: ResilienceOptions = {}) {
  const time = virtualTime();
  const events: ResilienceEvent[] = [];
  const upstream = fakeUpstream(handler);
  const service = createPreviewService(upstream, {
    clock: time.clock,
    sleep: time.sleep,
    random: seededRandom(3),
    cacheTtlMs: 5 * MINUTE,
    refreshAfterMs: 2 * MINUTE,
    staleTtlMs: 60 * MINUTE,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const preview = (request = previewRequest(), waitUntil?: (p: Promise<unknown>) => void) =>
    time.settle(service.preview(request, { waitUntil }));
  return { time, events, upstream, service, preview };
}

/** An upstream answering "1.00", "2.00", … so each live answer is recognisable. */
const counting = () => {
  let n = 0;
  return async () => ok(previewResult(`${++n}.00`), { amznRequestId: `req-${n}` });
};

describe("createPreviewService", () => {
  it("answers live, then from the cache until the TTL", async () => {
    const { preview, time, upstream } = setup(counting());
    const first = await preview();
    assert.equal(first.source, "live");
    assert.equal(first.amznRequestId, "req-1");
    await time.advance(MINUTE);
    const second = await preview();
    assert.equal(second.source, "cache");
    assert.equal(feeOf(second.result), "1.00");
    assert.equal(upstream.calls.length, 1);
    await time.advance(4 * MINUTE);
    const third = await preview();
    assert.equal(third.source, "live", "past the TTL the preview is fetched again");
    assert.equal(feeOf(third.result), "2.00");
  });

  it("serves the same cart in another spelling from the cache", async () => {
    const { preview, upstream } = setup(counting());
    await preview();
    const sameCart = previewRequest({
      address: {
        name: "Other",
        addressLine1: "2 Pine St",
        countryCode: "us",
        postalCode: "98101",
        stateOrRegion: "wa",
      },
    });
    assert.equal((await preview(sameCart)).source, "cache");
    assert.equal(upstream.calls.length, 1);
  });

  it("revalidates in the background once older than refreshAfterMs (stale-while-revalidate)", async () => {
    const { preview, time, upstream } = setup(counting());
    await preview();
    await time.advance(3 * MINUTE);
    const background: Promise<unknown>[] = [];
    const served = await preview(undefined, (p) => background.push(p));
    assert.equal(served.source, "cache");
    assert.equal(feeOf(served.result), "1.00", "the shopper is not kept waiting for the refresh");
    assert.equal(background.length, 1, "the refresh is handed to waitUntil");
    await time.settle(Promise.all(background));
    assert.equal(upstream.calls.length, 2);
    await time.advance(3 * MINUTE);
    const refreshed = await preview();
    assert.equal(feeOf(refreshed.result), "2.00");
    assert.equal(refreshed.source, "cache", "the refresh restarted the TTL");
  });

  it("skips background refreshes while shoppers need the tokens", async () => {
    const { preview, service, time, upstream, events } = setup(counting(), {
      ratePlans: { getFulfillmentPreview: { ratePerSecond: 2, burst: 4 } },
      burstHeadroom: 0,
      refreshMinTokens: 2,
    });
    await preview();
    await time.advance(3 * MINUTE);
    // Two other carts leave 1 token: below the 2 a refresh must leave behind.
    const cart = (sku: string) =>
      previewRequest({ items: [{ sellerSku: sku, quantity: 1, sellerFulfillmentOrderItemId: "1" }] });
    await preview(cart("A"));
    await preview(cart("B"));
    const background: Promise<unknown>[] = [];
    assert.equal(
      (await time.settle(service.preview(previewRequest(), { waitUntil: (p) => background.push(p) }))).source,
      "cache",
    );
    await time.settle(Promise.all(background));
    assert.equal(upstream.calls.length, 3, "no refresh was sent");
    assert.equal(events.filter((e) => e.type === "refresh-skipped").length, 1);
    assert.equal(events.filter((e) => e.type === "rejected").length, 0, "a skipped refresh is not a warning");
  });

  it("coalesces identical concurrent requests into one upstream call", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { service, time, upstream, events } = setup(async () => {
      await gate;
      return ok(previewResult("4.20"));
    });
    const shoppers = Array.from({ length: 25 }, () => service.preview(previewRequest()));
    await time.advance(0);
    release();
    const answers = await time.settle(Promise.all(shoppers));
    assert.equal(upstream.calls.length, 1);
    assert.ok(answers.every((a) => a.source === "live" && feeOf(a.result) === "4.20"));
    assert.equal(events.filter((e) => e.type === "preview" && e.coalesced).length, 24);
  });

  it("lets one shopper give up without cancelling the call others share", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { service, time, upstream } = setup(async () => {
      await gate;
      return ok(previewResult());
    });
    const leaving = new AbortController();
    const first = service.preview(previewRequest(), { signal: leaving.signal });
    const second = service.preview(previewRequest());
    await time.advance(0);
    leaving.abort(new Error("navigated away"));
    await assert.rejects(first, /navigated away/);
    release();
    assert.equal((await time.settle(second)).source, "live");
    assert.equal(upstream.calls.length, 1);
  });

  it("answers a stale preview when Amazon fails after the TTL", async () => {
    let healthy = true;
    const { preview, time } = setup(async () => {
      if (!healthy) throw down();
      return ok(previewResult("1.00"));
    });
    await preview();
    healthy = false;
    await time.advance(30 * MINUTE);
    const answer = await preview();
    assert.equal(answer.source, "stale");
    assert.equal(feeOf(answer.result), "1.00");
  });

  it("answers stale when the bucket is empty instead of queueing past the bound", async () => {
    const { preview, service, time, upstream } = setup(counting(), {
      ratePlans: { getFulfillmentPreview: { ratePerSecond: 2, burst: 1 } },
      policies: { getFulfillmentPreview: { maxWaitMs: 0 } },
    });
    await preview(previewRequest());
    await time.advance(6 * MINUTE);
    // Another cart takes the only token; the expired cart cannot get one without waiting.
    const other = previewRequest({ items: [{ sellerSku: "TEE-01", quantity: 1, sellerFulfillmentOrderItemId: "1" }] });
    const [otherAnswer, expired] = await time.settle(
      Promise.all([service.preview(other), service.preview(previewRequest())]),
    );
    assert.equal(otherAnswer.source, "live");
    assert.equal(expired.source, "stale");
    assert.equal(upstream.calls.length, 2);
  });

  it("answers from the merchant's fallback rates when nothing is cached and Amazon fails", async () => {
    const { preview } = setup(
      async () => {
        throw down();
      },
      { fallbackRates },
    );
    const answer = await preview();
    assert.equal(answer.source, "fallback");
    assert.equal(feeOf(answer.result), "6.50");
    assert.equal(answer.result.fulfillmentPreviews?.[0]?.shippingSpeedCategory, "Standard");
  });

  it("answers fallback while the circuit is open, without calling Amazon", async () => {
    const { preview, upstream } = setup(
      async () => {
        throw down();
      },
      { fallbackRates, breaker: { failureThreshold: 1, openMs: MINUTE } },
    );
    await preview();
    const calls = upstream.calls.length;
    const other = previewRequest({ items: [{ sellerSku: "TEE-01", quantity: 2, sellerFulfillmentOrderItemId: "1" }] });
    assert.equal((await preview(other)).source, "fallback");
    assert.equal(upstream.calls.length, calls);
  });

  it("still fails when neither a stale preview nor a fallback rate covers the request", async () => {
    const { preview } = setup(
      async () => {
        throw down();
      },
      { fallbackRates },
    );
    const canada = previewRequest({
      address: { name: "n", addressLine1: "l", countryCode: "CA", postalCode: "K1A0B1" },
    });
    await assert.rejects(preview(canada), { status: 503 });
  });

  it("does not hide Amazon rejecting the request itself (4xx) behind a degraded answer", async () => {
    const invalid = new UpstreamError({ operation: "getFulfillmentPreview", status: 400, message: "Invalid SKU" });
    const { preview } = setup(
      async () => {
        throw invalid;
      },
      { fallbackRates },
    );
    await assert.rejects(preview(), invalid);
  });

  it("bounds memory: the least recently used previews are evicted", async () => {
    const { preview, upstream } = setup(counting(), { cacheMaxEntries: 3 });
    const cart = (sku: string) =>
      previewRequest({ items: [{ sellerSku: sku, quantity: 1, sellerFulfillmentOrderItemId: "1" }] });
    for (const sku of ["A", "B", "C", "D"]) await preview(cart(sku));
    assert.equal((await preview(cart("D"))).source, "cache");
    assert.equal((await preview(cart("A"))).source, "live", "A was evicted");
    assert.equal(upstream.calls.length, 5);
  });

  it("keeps answering when a shared cache store fails", async () => {
    const broken: PreviewCacheStore = {
      get: () => Promise.reject(new Error("redis down")),
      set: () => Promise.reject(new Error("redis down")),
    };
    const { preview, events } = setup(counting(), { stores: { previewCache: broken } });
    assert.equal((await preview()).source, "live");
    assert.equal(events.filter((e) => e.type === "cache-error").length, 2);
  });

  it("fails closed when a shared rate limiter fails: no call to Amazon, a degraded answer", async () => {
    const broken = {
      reserve: () => Promise.reject(new Error("durable object unreachable")),
      setRate: () => {},
      drain: () => {},
    };
    const { preview, upstream } = setup(counting(), { stores: { rateLimiter: broken }, fallbackRates });
    assert.equal((await preview()).source, "fallback");
    assert.equal(upstream.calls.length, 0);
  });

  it("shares the bucket with a resilient upstream it is given", async () => {
    const time = virtualTime();
    const upstream = fakeUpstream(counting());
    const options: ResilienceOptions = {
      clock: time.clock,
      sleep: time.sleep,
      ratePlans: { getFulfillmentPreview: { ratePerSecond: 1, burst: 1 } },
      policies: { getFulfillmentPreview: { maxWaitMs: 0 } },
      fallbackRates,
    };
    const resilient = withResilience(upstream, options);
    await time.settle(resilient.getFulfillmentPreview(previewRequest()));
    const service = createPreviewService(resilient, options);
    assert.equal((await time.settle(service.preview(previewRequest()))).source, "fallback", "the token was spent");
  });
});

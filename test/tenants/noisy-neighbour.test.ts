// Issue 13, "Done when": A's 429 storm doesn't slow B. Two tenants on two sellers of one sandbox whose preview quota
// is smaller than the proxy assumes (burst 8 where Amazon's published plan is 30), so A's rush of uncached previews
// really meets Amazon's 429s. In the same window B's previews are served live, every one of B's calls reaching
// Amazon succeeds, and no admission event of the proxy names B. Asserts on sources and statuses, not on timings.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Json, PREVIEW_CALL, seller, startLiveConnector } from "./live-connector.ts";

const SELLER_A = seller("A2TENANTSELLERA");
const SELLER_B = seller("A3TENANTSELLERB");
const STORM_LOOPS = 16;
const STORM_LIMIT_MS = 20_000;

/** The n-th cart nobody has asked for yet (quantity and postal code vary), so every preview is uncached. */
const uncached = (n: number) => ({
  items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 + (n % 200) }],
  address: { countryCode: "US", postalCode: String(98001 + Math.floor(n / 200)), stateOrRegion: "WA" },
});

test("A's 429 storm: A is throttled by Amazon and degrades; B's previews in the same window stay live", async () => {
  const h = await startLiveConnector([SELLER_A, SELLER_B], {
    sandbox: { throttle: { getFulfillmentPreview: { rate: 2, burst: 8 } } },
  });
  let stop = false;
  const storm: Promise<void>[] = [];
  try {
    const a = await h.createTenant("Alpha", SELLER_A);
    const b = await h.createTenant("Beta", SELLER_B);
    // B's merchant built and its LWA token fetched before the window, so B's calls in it are previews. A starts
    // cold: its first flight of 16 goes out at once into a bucket of 8 at Amazon.
    await h.previewFor(b, 250);

    const aSources: string[] = [];
    let next = 0;
    const started = performance.now();
    const loop = async () => {
      while (!stop && performance.now() - started < STORM_LIMIT_MS) {
        const seen = await h.request("/v1/delivery-options", { key: a.secretKey, json: uncached(next++) });
        aSources.push(seen.status === 200 ? (seen.body as Json).source : String(seen.status));
      }
    };
    for (let i = 0; i < STORM_LOOPS; i++) storm.push(loop());

    const a429 = () => h.callsOf(SELLER_A.sellerId, PREVIEW_CALL).filter((c) => c.status === 429).length;
    const aDegraded = () => aSources.filter((source) => source !== "live" && source !== "cache");
    const stormy = await waitFor(() => a429() >= 1 && aDegraded().length >= 3, 10_000);
    assert.ok(
      stormy,
      `A's storm did not happen: Amazon answered ${JSON.stringify(h.callsOf(SELLER_A.sellerId, PREVIEW_CALL).map((c) => c.status))}, A got ${JSON.stringify(count(aSources))}`,
    );

    // B, while A is being throttled: one shopper's uncached previews, one after another.
    const bPreviewsBefore = h.callsOf(SELLER_B.sellerId, PREVIEW_CALL).length;
    const bSources: string[] = [];
    for (let i = 0; i < 4; i++) {
      const seen = await h.request("/v1/delivery-options", { key: b.secretKey, json: uncached(10_000 + i) });
      assert.equal(seen.status, 200, seen.text);
      bSources.push(seen.body.source);
    }
    const aAnswersWhileB = aSources.length;
    const aStillRunning = !stop && performance.now() - started < STORM_LIMIT_MS;
    stop = true;
    await Promise.all(storm);

    assert.deepEqual(bSources, ["live", "live", "live", "live"], "B was served from estimates during A's storm");
    const bCalls = h.callsOf(SELLER_B.sellerId, PREVIEW_CALL).slice(bPreviewsBefore);
    assert.deepEqual(
      bCalls.map((c) => c.status),
      [200, 200, 200, 200],
      "B's previews reached Amazon exactly once each, and succeeded",
    );
    assert.ok(aStillRunning, "the storm ended before B's previews did: not the same window");

    // A did meet its quota: Amazon's 429s, and answers that were not live (estimates, or refusals).
    assert.ok(a429() >= 1);
    assert.ok(aDegraded().length >= 3, `A was never degraded: ${JSON.stringify(count(aSources))}`);
    assert.ok(aAnswersWhileB > 0);
    // The proxy's admission events (throttled, rejected, circuit) are A's only.
    const events = h.logs.map((line) => JSON.parse(line)).filter((e) => String(e.message).startsWith("upstream "));
    assert.ok(
      events.some((e) => e.merchant === a.id),
      `no admission event for A: ${JSON.stringify(events.slice(0, 3))}`,
    );
    assert.deepEqual(
      events.filter((e) => e.merchant === b.id),
      [],
      "an admission event named B",
    );
    // Amazon never throttled B at all.
    assert.equal(h.callsOf(SELLER_B.sellerId, PREVIEW_CALL).filter((c) => c.status === 429).length, 0);
  } finally {
    stop = true;
    await Promise.allSettled(storm);
    await h.close();
  }
});

function count(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

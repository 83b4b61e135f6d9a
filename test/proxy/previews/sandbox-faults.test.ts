// Admission and the preview pipeline over real HTTP: the proxy and its 2020-07-01 dialect against the sandbox with
// injected faults.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { proxyEnv } from "../../../bench/lib/env.ts";
import { createGuard, guardOrders } from "../../../proxy/admission/guard.ts";
import { resolveOptions } from "../../../proxy/admission/options.ts";
import { parseConfig } from "../../../proxy/config/index.ts";
import { createDialect } from "../../../proxy/dialects/index.ts";
import { type NewOrder, UpstreamError } from "../../../proxy/fulfillment/model.ts";
import { DEFAULT_MERCHANT } from "../../../proxy/stores/keys.ts";
import { createMemoryRateLimiterStore } from "../../../proxy/stores/memory.ts";
import { CONTROL_PREFIX, DEV_CREDENTIALS } from "../../../sandbox/index.ts";
import { type RunningProxy, startProxy } from "../../helpers/proxy-server.ts";
import { type RunningSandbox, startSandbox } from "../../helpers/sandbox-server.ts";

const FALLBACK_RATES = [{ speed: "Standard", amount: "6.99", currency: "USD", shipDays: 1, arrivalDays: 5 }];

function env(sandboxUrl: string): Record<string, string> {
  return proxyEnv(sandboxUrl, DEV_CREDENTIALS, {
    // Every preview goes to Amazon (no fresh cache), but a failed one may fall back to the last answer.
    MCF_CACHE_TTL_SECONDS: "0",
    MCF_STALE_TTL_SECONDS: "600",
    MCF_FALLBACK_RATES: JSON.stringify(FALLBACK_RATES),
  });
}

const silent = { log: () => {} };

describe("resilience against the sandbox over HTTP", () => {
  let sandbox: RunningSandbox;
  let proxy: RunningProxy;
  const previewCalls: number[] = [];

  const setFaults = async (plan: unknown) => {
    const response = await fetch(`${sandbox.url}${CONTROL_PREFIX}/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(plan),
    });
    assert.equal(response.status, 200, await response.text());
  };

  const deliveryOptions = async (sku: string) => {
    const response = await fetch(`${proxy.url}/v1/delivery-options`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: [{ sku, quantity: 1 }], address: { countryCode: "US", postalCode: "98101" } }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { source: string; options: { speed: string; price: { amount: string } }[] };
  };

  before(async () => {
    sandbox = await startSandbox();
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input instanceof Request ? input.url : input).endsWith("/fulfillmentOrders/preview")) {
        previewCalls.push(response.status);
      }
      return response;
    };
    proxy = await startProxy(env(sandbox.url), { fetch: countingFetch, logger: silent });
  });

  after(async () => {
    await proxy.close();
    await sandbox.close();
  });

  it("answers stale, then fallback, while Amazon is down, and live again once it is back", async () => {
    assert.equal((await deliveryOptions("MUG-CERAMIC-BLUE")).source, "live");
    await setFaults({ getFulfillmentPreview: { unavailableRate: 1 } });
    const stale = await deliveryOptions("MUG-CERAMIC-BLUE");
    assert.equal(stale.source, "stale");
    assert.ok(stale.options.length > 0);
    const fallback = await deliveryOptions("TEE-ORGANIC-M");
    assert.equal(fallback.source, "fallback");
    assert.deepEqual(
      fallback.options.map((option) => option.speed),
      ["Standard"],
    );
    await setFaults({});
    assert.equal((await deliveryOptions("TEE-ORGANIC-M")).source, "live");
  });

  it("retries Amazon's 429 and still answers live", async () => {
    previewCalls.length = 0;
    await setFaults({ getFulfillmentPreview: { throttleRate: 1, count: 1 } });
    assert.equal((await deliveryOptions("KETTLE-STEEL-1L")).source, "live");
    assert.deepEqual(previewCalls, [429, 200]);
  });

  it("creates an order exactly once through throttling and outages", async () => {
    const config = parseConfig(env(sandbox.url));
    const dialect = createDialect(config);
    const options = resolveOptions({ ...config.resilience, backoff: { baseMs: 20, maxMs: 100 } }, dialect.ratePlans);
    const orders = guardOrders(dialect, createGuard(options, createMemoryRateLimiterStore(), DEFAULT_MERCHANT));
    const order = (orderId: string): NewOrder => ({
      orderId,
      marketplaceId: "ATVPDKIKX0DER",
      displayableOrderId: orderId,
      orderDate: new Date().toISOString(),
      comment: "Thank you",
      speed: "Standard",
      action: "Ship",
      policy: "FillOrKill",
      address: {
        name: "Ada",
        line1: "1 Main St",
        city: "Seattle",
        stateOrRegion: "WA",
        postalCode: "98101",
        countryCode: "US",
      },
      items: [{ sku: "MUG-CERAMIC-BLUE", lineId: "1", quantity: 1 }],
    });
    await setFaults({ createFulfillmentOrder: { throttleRate: 0.5, unavailableRate: 0.5, count: 3 } });
    await orders.createOrder(order("resilience-it-1"));
    const { data } = await orders.getOrder("resilience-it-1");
    assert.equal(data.orderId, "resilience-it-1");
    const state = (await (await fetch(`${sandbox.url}${CONTROL_PREFIX}/state`)).json()) as {
      sellers: { orders: { sellerFulfillmentOrderId: string }[] }[];
    };
    const created = state.sellers.flatMap((seller) => seller.orders);
    assert.deepEqual(
      created.map((o) => o.sellerFulfillmentOrderId),
      ["resilience-it-1"],
    );
    await setFaults({ createFulfillmentOrder: { unavailableRate: 1 } });
    await assert.rejects(
      orders.createOrder(order("resilience-it-2")),
      // Amazon's 503, or the circuit opening after five of them in a row: an UpstreamError either way.
      (error: unknown) => error instanceof UpstreamError && (error.status === 503 || error.status === 0),
      "a persistent outage ends in an UpstreamError, not a hang",
    );
    await setFaults({});
  });
});

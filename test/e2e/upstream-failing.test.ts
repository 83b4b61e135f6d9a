// When Amazon (here the sandbox) fails while the proxy itself is fine, the shopper still gets something useful: the
// merchant's fallback table, labelled as estimates, or, with no table, the element's error with a Retry.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { deliveryOptions, type E2E, fillAddress, radios, screenshot, startE2E, waitForOptions } from "./harness.ts";

const US_FALLBACK = [{ speed: "Standard", amount: "7.99", currency: "USD", shipDays: 1, arrivalDays: 6 }];

describe("Amazon failing, proxy up", () => {
  let e2e: E2E;
  before(async () => {
    // Only the US store's proxy has a fallback table; the JP store's has none.
    e2e = await startE2E(
      { US_MCF_FALLBACK_RATES: JSON.stringify(US_FALLBACK) },
      { sandboxOptions: { faults: { getFulfillmentPreview: { unavailableRate: 1 } } } },
    );
  });
  after(() => e2e?.close());

  it("with a fallback table, shows the merchant's rates labelled as estimates", async () => {
    const page = await e2e.page();
    await page.goto(e2e.demo.urls.stores.us);
    const answer = page.waitForResponse((response) => /\/v1\/delivery-options$/.test(response.url()));
    await fillAddress(page, "us");
    const body = (await (await answer).json()) as { source: string };
    assert.equal(body.source, "fallback");
    await waitForOptions(page);
    const element = deliveryOptions(page);
    assert.equal(await radios(page).count(), US_FALLBACK.length);
    assert.equal(await element.locator('[part="estimate"]').count(), US_FALLBACK.length);
    assert.match((await element.locator('[part="estimate"]').first().textContent()) ?? "", /Estimate/);
    // The store's pricing rules still apply to the fallback rate: this cart is over the free-shipping threshold.
    assert.match((await radios(page).first().textContent()) ?? "", /^Standard[\s\S]*Free$/);
    await screenshot(page, "us-fallback-estimates");
  });

  it("without one, shows the error with Retry and selects nothing", async () => {
    const page = await e2e.page({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await page.goto(e2e.demo.urls.stores.jp);
    await fillAddress(page, "jp");
    const element = deliveryOptions(page);
    await element.locator('[part="error"]').waitFor();
    assert.equal(await element.getAttribute("status"), "error");
    assert.equal(await radios(page).count(), 0);
    assert.equal(await element.evaluate((node) => (node as HTMLInputElement).value), "");
    assert.equal(await element.locator('[part="retry"]').count(), 1);
    await screenshot(page, "jp-upstream-error");
  });
});

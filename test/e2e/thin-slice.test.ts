// The thin slice: `npm start`'s wiring (sandbox → proxy → element) shows delivery options on a store page.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fillAddress, radios, screenshot, useE2E, waitForOptions } from "./harness.ts";

describe("thin slice: a store page shows Amazon delivery options", () => {
  const e2e = useE2E();

  it("serves the landing page, the element bundle and the proxy beside the storefront", async () => {
    const { storefront } = e2e().demo.urls;
    const home = await fetch(`${storefront}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /href="\/jp"/);
    const widget = await fetch(`${storefront}/widget.js`);
    assert.equal(widget.status, 200);
    assert.match(widget.headers.get("content-type") ?? "", /javascript/);
    assert.match(await widget.text(), /mcf-delivery-options/);
    for (const path of ["/v1/health", "/proxy/jp/v1/health", "/proxy/eu/v1/health"]) {
      assert.equal((await fetch(`${storefront}${path}`)).status, 200, path);
    }
  });

  it("an address typed into the form brings Standard, Expedited and Priority with prices and dates", async () => {
    const page = await e2e().page();
    await page.goto(e2e().demo.urls.stores.us);
    await fillAddress(page, "us");
    await waitForOptions(page);
    const labels = await radios(page).locator('[part="label"]').allTextContents();
    assert.deepEqual(labels, ["Standard", "Expedited", "Priority"]);
    // Free Standard shipping over $50 (the cart is $64); Expedited is a flat $12.99.
    assert.equal(await radios(page).nth(0).locator('[part="price"]').textContent(), "Free");
    assert.equal(await radios(page).nth(1).locator('[part="price"]').textContent(), "$12.99");
    assert.match((await radios(page).nth(0).locator('[part="arrival"]').textContent()) ?? "", /^Arrives /);
    await screenshot(page, "thin-slice-us");
  });
});

// Every store as shoppers see it on a phone (390 × 844) and in a dark colour scheme: the store's brand reaches the
// elements, the page declares both schemes, nothing is cut off or uneven, no request fails, axe finds nothing; the
// screenshots of each look, checkout and order page, land in test-results/e2e/.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { STORE_IDS, STORES } from "../../demo/stores.ts";
import {
  deliveryOptions,
  expectAccessible,
  fillAddress,
  radios,
  screenshot,
  useE2E,
  waitForOptions,
} from "./harness.ts";

const LOOKS = {
  mobile: { viewport: { width: 390, height: 844 }, colorScheme: "light" },
  dark: { viewport: { width: 1200, height: 900 }, colorScheme: "dark" },
} as const;

const TIME_ZONES = { us: "America/Los_Angeles", jp: "Asia/Tokyo", eu: "Europe/Berlin" } as const;

/** Relative luminance of a computed `rgb(…)` colour, 0 (black) to 1 (white). */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((value) => Number(value) / 255);
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

/** Requests that failed while the page was open (a missing favicon among them), aborted ones aside. */
function failedRequests(page: Page): string[] {
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  // The element aborts a request the shopper's typing made stale: that one is meant to end early.
  page.on("requestfailed", (request) => {
    if (request.failure()?.errorText !== "net::ERR_ABORTED") failed.push(`failed ${request.url()}`);
  });
  return failed;
}

describe("storefront looks", () => {
  const e2e = useE2E();

  for (const id of STORE_IDS) {
    for (const [look, options] of Object.entries(LOOKS)) {
      it(`${id} store, ${look}: brand, scheme, layout, accessibility, checkout and order page`, async () => {
        const store = STORES[id];
        const page = await e2e().page({ locale: store.locale, timezoneId: TIME_ZONES[id], ...options });
        const failed = failedRequests(page);
        await page.goto(e2e().demo.urls.stores[id]);
        assert.equal(
          await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme),
          "light dark",
          "the page declares both colour schemes",
        );
        await fillAddress(page, id);
        await waitForOptions(page);
        await radios(page).first().click();

        // The store's brand colour is the chosen option's, not the demo's default green.
        const brand = await page.locator(".brand-mark").evaluate((mark) => getComputedStyle(mark).backgroundColor);
        const chosen = await deliveryOptions(page)
          .locator('[role="radio"][aria-checked="true"]')
          .evaluate((option) => getComputedStyle(option).borderTopColor);
        assert.equal(chosen, brand, `${id}: the element wears the store's accent`);

        if (look === "mobile") {
          const header = await page
            .locator(".site-header")
            .evaluate((element) => element.getBoundingClientRect().height);
          assert.ok(header < 70, `the header is one line at 390 px (${header} px)`);
          assert.ok(
            await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
            "nothing overflows sideways",
          );
          const controls = await page.locator(".field input, .field select").evaluateAll((elements) =>
            elements.map((element) => {
              const box = element.getBoundingClientRect();
              return { height: Math.round(box.height), right: box.right, width: window.innerWidth };
            }),
          );
          assert.equal(new Set(controls.map((control) => control.height)).size, 1, "inputs and selects are one height");
          for (const control of controls) assert.ok(control.right <= control.width, "no field is cut off");
        } else {
          const paper = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          assert.ok(luminance(paper) < 0.05, `a dark page (${paper})`);
          const option = await radios(page)
            .first()
            .evaluate((element) => getComputedStyle(element).backgroundColor);
          assert.ok(luminance(option) < 0.05, `dark options (${option})`);
        }
        await expectAccessible(page, `${id} checkout, ${look}`);
        await screenshot(page, `${id}-checkout-${look}`);

        await Promise.all([
          page.waitForURL(/\/orders\//),
          page.getByRole("button", { name: store.text.placeOrder }).click(),
        ]);
        await page.locator('mcf-order-status [part="status"]').waitFor();
        await expectAccessible(page, `${id} order page, ${look}`);
        await screenshot(page, `${id}-order-${look}`);
        assert.deepEqual(failed, [], "every request succeeded, the favicon included");
      });
    }
  }
});

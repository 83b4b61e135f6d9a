// When the proxy cannot be reached the shopper sees a message with a retry, never a blank box, and nothing is
// selected; once the proxy answers again, Retry brings the options back.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import {
  deliveryOptions,
  expectSubmitRefused,
  fillAddress,
  radios,
  screenshot,
  useE2E,
  waitForOptions,
} from "./harness.ts";

/** A loopback port nobody listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("proxy unreachable", () => {
  const e2e = useE2E();

  it("shows an error with Retry and no selection; Retry recovers once the proxy is back", async () => {
    const page = await e2e().page();
    await page.goto(e2e().demo.urls.stores.us);
    const element = deliveryOptions(page);
    // The store's proxy: the element's endpoint, else (the connector at the root) where /widget.js came from.
    const working = (await element.getAttribute("endpoint")) ?? e2e().demo.urls.proxies.us;
    assert.ok(working);
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await element.evaluate((node, endpoint) => node.setAttribute("endpoint", endpoint), dead);

    await fillAddress(page, "us");
    const error = element.locator('[part="error"]');
    await error.waitFor();
    assert.equal(await element.getAttribute("status"), "error");
    assert.equal(await radios(page).count(), 0);
    assert.equal(await element.evaluate((node) => (node as HTMLInputElement).value), "");
    assert.equal(await element.evaluate((node) => (node as HTMLInputElement).validity.valueMissing), true);
    const retry = element.locator('[part="retry"]');
    assert.equal(await retry.textContent().then((text) => text?.trim()), "Retry");
    await screenshot(page, "proxy-unreachable");

    // Submitting now is refused by the browser: the required element has no value.
    await expectSubmitRefused(page, "Place order");
    assert.match(page.url(), /\/us$/);

    await element.evaluate((node, endpoint) => node.setAttribute("endpoint", endpoint), working);
    await retry.click();
    await waitForOptions(page);
    assert.ok((await radios(page).count()) > 0);
  });
});

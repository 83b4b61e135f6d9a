// The README's embed, pasted into a merchant's page on an origin of its own: refused until that origin is in
// MCF_ALLOWED_ORIGINS (a neutral message for the shopper, the fix in the console for the developer), then delivery
// options for the sandbox's real SKUs.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { deliveryOptions, type E2E, startE2E, waitForOptions } from "./harness.ts";

/** The README's snippet as a merchant would paste it, with the demo as the proxy and a US address filled in. */
const snippet = (proxy: string, publishableKey: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>My shop</title>
<link rel="icon" href="data:,">
<script type="module" src="${proxy}/widget.js"></script></head>
<body>
<form id="checkout" method="post" action="/place-order">
  <input autocomplete="shipping name" name="name" value="Jordan Rivera" required>
  <input autocomplete="shipping address-line1" name="line1" value="410 Terry Ave N" required>
  <input autocomplete="shipping address-level2" name="city" value="Seattle" required>
  <input autocomplete="shipping address-level1" name="state" value="WA">
  <input autocomplete="shipping postal-code" name="postal" value="98109" required>
  <select autocomplete="shipping country" name="country"><option>US</option></select>
  <mcf-delivery-options name="quote" required address-form="#checkout" publishable-key="${publishableKey}"></mcf-delivery-options>
  <button>Pay and place order</button>
</form>
<script type="module">
  const delivery = document.querySelector("mcf-delivery-options");
  delivery.items = [{ sku: "MUG-CERAMIC-BLUE", quantity: 2, declaredValue: "12.50" }];
</script>
</body></html>`;

/** A merchant's page server on its own loopback port: a different origin from the proxy's. */
async function merchantSite(page: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("the README's embed on a merchant's own origin", () => {
  let e2e: E2E;
  let allowed: Awaited<ReturnType<typeof merchantSite>>;
  let refused: Awaited<ReturnType<typeof merchantSite>>;
  const html = () => snippet(e2e.demo.urls.storefront, e2e.demo.keys.stores.us.publishableKey);

  before(async () => {
    allowed = await merchantSite(html);
    refused = await merchantSite(html);
    e2e = await startE2E({ MCF_ALLOWED_ORIGINS: allowed.origin });
  });
  after(async () => {
    await e2e?.close();
    allowed?.server.close();
    refused?.server.close();
  });

  it("an origin not in MCF_ALLOWED_ORIGINS: a neutral message for the shopper, the fix in the console", async () => {
    const page = await e2e.page();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(refused.origin);
    const error = deliveryOptions(page).locator('[part="error"]');
    await error.waitFor();
    assert.equal(await error.textContent(), "Delivery options are unavailable.");
    assert.equal(await deliveryOptions(page).locator('[part="retry"]').count(), 0, "Retry cannot help");
    const fix = errors.find((line) => line.includes("MCF_ALLOWED_ORIGINS"));
    assert.ok(fix, `the console names MCF_ALLOWED_ORIGINS: ${errors.join(" | ")}`);
    assert.ok(fix.includes(refused.origin), "and the origin to add");
    assert.doesNotMatch(
      (await deliveryOptions(page).evaluate((node) => node.shadowRoot?.textContent)) ?? "",
      /MCF_|origin/i,
    );
  });

  it("an allowed origin gets delivery options for the sandbox's SKUs", async () => {
    const page = await e2e.page();
    await page.goto(allowed.origin);
    await waitForOptions(page);
    const labels = await deliveryOptions(page).locator('[role="radio"] [part="label"]').allTextContents();
    assert.deepEqual(labels, ["Standard", "Expedited", "Priority"]);
    // The README's server step: the form's quote, placed with the secret key and the README's body.
    await deliveryOptions(page).getByRole("radio").first().click();
    const quote = await page.evaluate(() => new FormData(document.querySelector("form")!).get("quote"));
    assert.equal(typeof quote, "string");
    const placed = await fetch(`${e2e.demo.urls.storefront}/v1/orders`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${e2e.demo.keys.stores.us.secretKey}`,
        "idempotency-key": "readme-order-1001",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        quote,
        items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 2 }],
        address: {
          name: "Jordan Rivera",
          line1: "410 Terry Ave N",
          city: "Seattle",
          stateOrRegion: "WA",
          postalCode: "98109",
          countryCode: "US",
        },
        displayableOrderId: "1001",
      }),
    });
    assert.equal(placed.status, 201, await placed.clone().text());
    assert.equal(((await placed.json()) as { action: string }).action, "Ship");
  });
});

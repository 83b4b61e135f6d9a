// Connector mode's onboarding in Chromium, as a fourth merchant walks it: /connect → the sandbox's Seller Central
// consent page → Approve → the keys and the script tag → the new tenant's store page shows delivery options → an
// order placed there lands in that seller's own order book. Deny, an expired Amazon code and a replayed callback each
// show their clear page and store nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { UNCONNECTED_SELLER_ID } from "../../demo/env.ts";
import { STORES } from "../../demo/stores.ts";
import { AUTHORIZATION_CODE_LIFETIME_MS } from "../../sandbox/auth/lwa.ts";
import {
  connectedSeller,
  deliveryOptions,
  type E2E,
  expectAccessible,
  fillAddress,
  orderIdFrom,
  radios,
  sandboxOrder,
  sandboxOrderCount,
  screenshot,
  startE2E,
  waitForOptions,
} from "./harness.ts";

/** Real time at the sandbox (LWA codes and tokens), ahead of the wall clock by what a test adds. */
const amazonTime = { offset: 0, now: () => Date.now() + amazonTime.offset };

/** Fills /connect's form and submits it; resolves on the sandbox's consent page. */
async function startOnboarding(e2e: E2E, page: Page, name: string): Promise<void> {
  await page.goto(e2e.demo.urls.connect!);
  await page.getByLabel("Store name").fill(name);
  await page.getByLabel("Store address (origin)").fill("https://shop.example");
  await page.getByLabel("Amazon marketplace").selectOption(STORES.us.marketplaceId);
  await Promise.all([
    page.waitForURL((url) => url.origin === e2e.demo.urls.sandbox),
    page.getByRole("button", { name: "Connect your Amazon account" }).click(),
  ]);
  await page.getByRole("heading", { name: /^Authorise amzn1\.sellerapps\.app\./ }).waitFor();
}

/** At Seller Central: chooses the seller (a listed one, or another typed in), then Approve or Deny; back at /connect. */
async function decide(e2e: E2E, page: Page, decision: "Approve" | "Deny", seller: { listed?: string; typed?: string }) {
  if (seller.listed) await page.getByLabel(seller.listed).check();
  if (seller.typed) await page.getByLabel("or another").fill(seller.typed);
  await Promise.all([
    page.waitForURL((url) => url.origin === e2e.demo.urls.storefront && url.pathname === "/connect/amazon/callback"),
    page.getByRole("button", { name: decision }).click(),
  ]);
}

const failureOf = (page: Page) => page.locator("[data-failure]").getAttribute("data-failure");

describe("onboarding a merchant through /connect", () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({}, { sandboxOptions: { realTimeClock: amazonTime } });
  });
  after(() => e2e?.close());

  const tenantCount = () => e2e.demo.tenants!.count();

  it("Approve: the keys and script tag, then the new tenant's store page offers delivery and places an order", async () => {
    const before = await tenantCount();
    const page = await e2e.page();
    await startOnboarding(e2e, page, "Fourth Street Goods");
    // The sandbox lists the demo stores' sellers and one no store uses yet; the merchant signs in as that one.
    await decide(e2e, page, "Approve", { listed: UNCONNECTED_SELLER_ID });

    await page.getByRole("heading", { name: "Your Amazon account is connected" }).waitFor();
    const publishableKey = (await page.locator('[data-key="publishable"]').textContent()) ?? "";
    const secretKey = (await page.locator('[data-key="secret"]').textContent()) ?? "";
    assert.match(publishableKey, /^pk_/);
    assert.match(secretKey, /^sk_/);
    const snippet = (await page.locator("[data-snippet]").textContent()) ?? "";
    assert.ok(snippet.includes(`src="${e2e.demo.urls.storefront}/widget.js"`), snippet);
    assert.ok(snippet.includes(`publishable-key="${publishableKey}"`), snippet);
    assert.ok(snippet.includes(`marketplace-id="${STORES.us.marketplaceId}"`), snippet);
    await screenshot(page, "connect-keys");

    // Stored: one tenant more, for this seller, with the keys the page showed (the secret one only as a hash).
    assert.equal(await tenantCount(), before + 1);
    const tenant = await e2e.demo.tenants!.resolveKey("secret", secretKey);
    assert.equal(tenant?.name, "Fourth Street Goods");
    assert.equal(tenant?.sellingPartnerId, UNCONNECTED_SELLER_ID);
    assert.equal(tenant?.publishableKey, publishableKey);
    assert.equal(tenant?.status, "active");
    assert.ok(tenant?.allowedOrigins.includes("https://shop.example"), "the merchant's own origin");
    assert.ok(tenant?.allowedOrigins.includes(e2e.demo.urls.storefront), "and the demo's, which hosts its page");

    // The link to the store page the demo made for it.
    await Promise.all([page.waitForURL(/\/stores\/tn_/), page.locator("[data-store-page]").click()]);
    assert.equal(new URL(page.url()).pathname, `/stores/${tenant?.id}`);
    assert.equal(await page.locator(".brand-name").textContent(), "Fourth Street Goods");
    // Its own identity, not the US demo store's (Cedar & Loom's tagline and CL- order numbers).
    assert.equal(await page.locator(".tagline").textContent(), "Welcome to Fourth Street Goods");
    const element = deliveryOptions(page);
    assert.equal(await element.getAttribute("publishable-key"), publishableKey);
    assert.equal(await element.getAttribute("marketplace-id"), STORES.us.marketplaceId);
    const previews: (string | undefined)[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/v1/delivery-options")) previews.push(request.headers().authorization);
    });
    await fillAddress(page, "us");
    await waitForOptions(page);
    assert.deepEqual(await radios(page).locator('[part="label"]').allTextContents(), [
      "Standard",
      "Expedited",
      "Priority",
    ]);
    assert.ok(previews.length > 0 && previews.every((header) => header === `Bearer ${publishableKey}`));
    await radios(page).nth(1).click();
    await expectAccessible(page, "the connected store's checkout");
    await screenshot(page, "connect-store");

    // The server flow: the demo server places the order with the secret key the callback page showed.
    await Promise.all([page.waitForURL(/\/orders\//), page.getByRole("button", { name: "Place order" }).click()]);
    const orderId = orderIdFrom(page);
    const seller = connectedSeller(e2e.demo, UNCONNECTED_SELLER_ID);
    const inSandbox = await sandboxOrder(e2e.demo, orderId, seller);
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "Expedited");
    assert.equal(inSandbox.fulfillmentOrder.fulfillmentAction, "Ship");
    assert.match(inSandbox.fulfillmentOrder.displayableOrderId, /^FSG-\d{6}$/);
    assert.equal(inSandbox.fulfillmentOrder.marketplaceId, STORES.us.marketplaceId);
    // The new seller's own order book: the US store's seller has no such order.
    await assert.rejects(sandboxOrder(e2e.demo, orderId, "us"));
    // The order page reads it back; <mcf-order-status> follows it with the tenant's publishable key and order token.
    assert.equal(await page.locator("#order-speed").getAttribute("data-speed"), "Expedited");
    const status = page.locator("mcf-order-status");
    await status.locator('[part="status"]').waitFor();
    assert.equal(await status.locator('[part="status"]').textContent(), "Order received");

    // The landing page lists the connected store.
    const home = await (await fetch(`${e2e.demo.urls.storefront}/`)).text();
    assert.ok(home.includes(`href="/stores/${tenant?.id}"`));
  });

  it("Deny: a clear page, nothing stored", async () => {
    const before = await tenantCount();
    const page = await e2e.page();
    await startOnboarding(e2e, page, "Denied Goods");
    await decide(e2e, page, "Deny", { typed: "A1DENIEDSELLER" });
    assert.equal(await failureOf(page), "denied");
    await page.getByRole("heading", { name: "Authorisation cancelled" }).waitFor();
    assert.equal(await page.locator("[data-key]").count(), 0);
    assert.equal(await tenantCount(), before);
  });

  it("an Amazon code older than 5 minutes: a clear page, nothing stored", async () => {
    const before = await tenantCount();
    const orders = await sandboxOrderCount(e2e.demo);
    const page = await e2e.page();
    await startOnboarding(e2e, page, "Slow Goods");
    // The seller approves; Amazon's code is issued, and over 5 minutes pass (Amazon's real-time clock) before the
    // browser follows the redirect back with it.
    await page.route(/\/apps\/authorize\/consent$/, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      assert.match(response.headers().location ?? "", /spapi_oauth_code=/);
      amazonTime.offset += AUTHORIZATION_CODE_LIFETIME_MS + 1_000;
      await route.fulfill({ response });
    });
    await decide(e2e, page, "Approve", { typed: "A1SLOWSELLER" });
    assert.equal(await failureOf(page), "codeRejected");
    await page.getByRole("heading", { name: "Amazon's code has expired or was already used" }).waitFor();
    assert.equal(await page.locator("[data-key]").count(), 0);
    assert.equal(await tenantCount(), before);
    assert.equal(await sandboxOrderCount(e2e.demo), orders);
  });

  it("a replayed callback (the page reloaded): a clear page, nothing stored twice", async () => {
    const before = await tenantCount();
    const page = await e2e.page();
    await startOnboarding(e2e, page, "Reload Goods");
    await decide(e2e, page, "Approve", { typed: "A1RELOADSELLER" });
    await page.getByRole("heading", { name: "Your Amazon account is connected" }).waitFor();
    assert.equal(await tenantCount(), before + 1);
    await page.reload();
    assert.equal(await failureOf(page), "stateUnknown");
    await page.getByRole("heading", { name: "This link was already used" }).waitFor();
    assert.equal(await page.locator("[data-key]").count(), 0);
    assert.equal(await tenantCount(), before + 1);
  });
});

// The e2e checkout in Chromium against the other two Amazon dialects (MCF_AMAZON_API): the same shopper journeys as
// us-store and jp-store, with each store's proxy speaking 2026-07-04 or MWS 2010-10-01 to the sandbox, whose one
// order book the tests read back over SP-API 2020-07-01.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import type { StoreId } from "../../demo/stores.ts";
import {
  checkedLabel,
  deliveryOptions,
  type E2E,
  fillAddress,
  orderIdFrom,
  sandboxOrder,
  tabIntoOptions,
  useE2E,
  waitForOptions,
} from "./harness.ts";

interface Chosen {
  speed: string;
  cashOnDelivery?: boolean;
  deliveryWindow?: { start: string; end: string };
}

const US = { fieldBefore: "Phone", placeOrder: "Place order" };
const JP = { fieldBefore: "電話番号", placeOrder: "注文を確定する", scheduled: "お届け日時指定便" };

const chosen = (page: Page): Promise<Chosen | null> =>
  deliveryOptions(page).evaluate((element) => (element as unknown as { selected?: Chosen }).selected ?? null);

/** Opens a store's checkout (optionally in the browser flow), types the sample address and waits for options. */
async function openCheckout(e2e: E2E, store: StoreId, flow: "server" | "browser" = "server"): Promise<Page> {
  const page =
    store === "jp"
      ? await e2e.page({ locale: "ja-JP", timezoneId: "Asia/Tokyo" })
      : await e2e.page({ locale: "en-US" });
  await page.goto(`${e2e.demo.urls.stores[store]}?flow=${flow}`);
  await fillAddress(page, store);
  await waitForOptions(page);
  return page;
}

/** Tabs into the radio group and arrows down until the option labelled `label` is chosen. */
async function chooseByKeyboard(page: Page, fieldBefore: string, label: string): Promise<void> {
  await tabIntoOptions(page, fieldBefore);
  const labels = await deliveryOptions(page).locator('[role="radio"] [part="label"]').allTextContents();
  assert.ok(labels.includes(label), `${label} is offered: ${labels.join(", ")}`);
  for (let i = 0; i < labels.length && (await checkedLabel(page)) !== label; i++)
    await page.keyboard.press("ArrowDown");
  assert.equal(await checkedLabel(page), label);
}

/** In the Scheduled Delivery picker, moves from the window chosen with the speed to the next one; returns it. */
async function chooseNextWindow(page: Page): Promise<{ start: string; end: string }> {
  const windowGroup = deliveryOptions(page).locator('[part="windows"]');
  await windowGroup.waitFor();
  const first = (await chosen(page))?.deliveryWindow;
  assert.ok(first, "a window is chosen with the speed");
  await windowGroup.locator('[tabindex="0"]').focus();
  await page.keyboard.press("ArrowRight");
  const picked = (await chosen(page))?.deliveryWindow;
  assert.ok(picked && picked.start !== first.start, "the keyboard moved to another window than the first");
  return picked;
}

/**
 * Clicks the place-order button and returns the order id from the order page it lands on; fails with the page's own
 * words when the checkout shows its order error instead, so a refusal reads as what it is, not as a timeout.
 */
async function placeOrder(page: Page, buttonName: string): Promise<string> {
  await page.getByRole("button", { name: buttonName }).click();
  const orderError = page.locator("#order-error");
  await Promise.race([page.waitForURL(/\/orders\/[^/?]+/), orderError.filter({ hasText: /\S/ }).waitFor()]);
  if (!/\/orders\/[^/?]+/.test(new URL(page.url()).pathname)) {
    assert.fail(`the order was not placed: ${(await orderError.textContent())?.trim()}`);
  }
  return orderIdFrom(page);
}

/** The dialect the store's proxy reports in GET /v1/health, asked from the checkout page itself. */
function upstreamDialect(page: Page, e2e: E2E, store: StoreId): Promise<string | undefined> {
  return page.evaluate(async (url) => {
    const health = (await (await fetch(url)).json()) as { upstream?: { dialect?: string } };
    return health.upstream?.dialect;
  }, `${e2e.demo.urls.proxies[store]}/v1/health`);
}

/** US server flow: Expedited by keyboard becomes a shipped-now Expedited order in the sandbox. */
async function usServerFlow(e2e: E2E, dialect: string): Promise<void> {
  const page = await openCheckout(e2e, "us");
  assert.equal(await upstreamDialect(page, e2e, "us"), dialect);
  await chooseByKeyboard(page, US.fieldBefore, "Expedited");
  const orderId = await placeOrder(page, US.placeOrder);
  const inSandbox = await sandboxOrder(e2e.demo, orderId);
  assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "Expedited");
  assert.equal(inSandbox.fulfillmentOrder.fulfillmentAction, "Ship");
  assert.equal(inSandbox.fulfillmentOrder.destinationAddress.postalCode, "98109");
  assert.equal(await page.locator("#order-speed").getAttribute("data-speed"), "Expedited");
}

describe("MCF_AMAZON_API=2026-07-04", () => {
  const e2e = useE2E({ MCF_AMAZON_API: "2026-07-04" });

  it("US server flow: an Expedited order placed with Ship, read back from the sandbox", async () => {
    await usServerFlow(e2e(), "2026-07-04");
  });

  it("US browser flow: element.confirm() creates the order on Hold and the store's server releases it", async () => {
    const page = await openCheckout(e2e(), "us", "browser");
    await chooseByKeyboard(page, US.fieldBefore, "Priority");
    let created: { action?: string; orderId?: string; orderToken?: string } | undefined;
    await page.route(/\/v1\/orders$/, async (route) => {
      const response = await route.fetch();
      created = await response.json();
      await route.fulfill({ response });
    });
    const orderId = await placeOrder(page, US.placeOrder);
    assert.equal(created?.action, "Hold");
    assert.ok(created?.orderToken);
    assert.equal(orderId, created?.orderId);
    const inSandbox = await sandboxOrder(e2e().demo, orderId);
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "Priority");
    assert.equal(inSandbox.fulfillmentOrder.fulfillmentAction, "Ship", "released after payment");
  });

  it("JP Scheduled Delivery: the order in the sandbox carries exactly the window chosen (not the first)", async () => {
    const page = await openCheckout(e2e(), "jp");
    assert.equal(await upstreamDialect(page, e2e(), "jp"), "2026-07-04");
    await chooseByKeyboard(page, JP.fieldBefore, JP.scheduled);
    const picked = await chooseNextWindow(page);
    const inSandbox = await sandboxOrder(e2e().demo, await placeOrder(page, JP.placeOrder), "jp");
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "ScheduledDelivery");
    assert.equal(Date.parse(inSandbox.fulfillmentOrder.deliveryWindow?.startDate ?? ""), Date.parse(picked.start));
    assert.equal(Date.parse(inSandbox.fulfillmentOrder.deliveryWindow?.endDate ?? ""), Date.parse(picked.end));
  });
});

describe("MCF_AMAZON_API=mws-2010-10-01", () => {
  const e2e = useE2E({ MCF_AMAZON_API: "mws-2010-10-01" });

  it("US server flow: an Expedited order placed with Ship, read back from the sandbox", async () => {
    await usServerFlow(e2e(), "mws-2010-10-01");
  });

  it("JP Scheduled Delivery with cash on delivery through the server flow: the order has the window and COD", async () => {
    const page = await openCheckout(e2e(), "jp");
    assert.equal(await upstreamDialect(page, e2e(), "jp"), "mws-2010-10-01");
    const codRequest = page.waitForRequest(
      (candidate) =>
        candidate.url().endsWith("/v1/delivery-options") && /cashOnDelivery/.test(candidate.postData() ?? ""),
    );
    await page.getByLabel("代金引換").check();
    await codRequest;
    await deliveryOptions(page).locator('[part="cod-note"]').waitFor();
    await waitForOptions(page);
    await chooseByKeyboard(page, JP.fieldBefore, JP.scheduled);
    const picked = await chooseNextWindow(page);
    assert.equal((await chosen(page))?.cashOnDelivery, true, "the Scheduled Delivery option is cash on delivery");
    const inSandbox = await sandboxOrder(e2e().demo, await placeOrder(page, JP.placeOrder), "jp");
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "ScheduledDelivery");
    assert.equal(inSandbox.fulfillmentOrder.codSettings?.isCodRequired, true);
    assert.equal(Date.parse(inSandbox.fulfillmentOrder.deliveryWindow?.startDate ?? ""), Date.parse(picked.start));
    assert.equal(Date.parse(inSandbox.fulfillmentOrder.deliveryWindow?.endDate ?? ""), Date.parse(picked.end));
  });
});

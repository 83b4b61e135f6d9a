// Japan store: a Japanese checkout, Scheduled Delivery windows chosen by keyboard, and cash on delivery.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STORES } from "../../demo/stores.ts";
import {
  checkedLabel,
  deliveryOptions,
  expectAccessible,
  fillAddress,
  orderIdFrom,
  sandboxOrder,
  sandboxOrderCount,
  screenshot,
  tabIntoOptions,
  useE2E,
  waitForOptions,
} from "./harness.ts";

interface Chosen {
  speed: string;
  cashOnDelivery?: boolean;
  deliveryWindow?: { start: string; end: string };
}

const chosen = (page: import("playwright-core").Page) =>
  deliveryOptions(page).evaluate((element) => (element as unknown as { selected?: Chosen }).selected ?? null);

describe("Japan store (雲の茶房)", () => {
  const e2e = useE2E();

  it("a Scheduled Delivery window chosen by keyboard is the window of the order in the sandbox", async () => {
    const page = await e2e().page({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await page.goto(e2e().demo.urls.stores.jp);
    assert.equal(await page.locator("html").getAttribute("lang"), "ja");
    await fillAddress(page, "jp");
    await waitForOptions(page);

    // Arrow through the group until Scheduled Delivery is chosen.
    await tabIntoOptions(page, "電話番号");
    const labels = await deliveryOptions(page).locator('[role="radio"] [part="label"]').allTextContents();
    assert.ok(labels.includes("お届け日時指定便"), `JP offers Scheduled Delivery: ${labels.join(", ")}`);
    for (let i = 0; i < labels.length && (await checkedLabel(page)) !== "お届け日時指定便"; i++) {
      await page.keyboard.press("ArrowDown");
    }
    assert.equal(await checkedLabel(page), "お届け日時指定便");

    // The picker: a row of days, then the chosen day's windows; tab to the windows and take the next one.
    const windowGroup = deliveryOptions(page).locator('[part="windows"]');
    await windowGroup.waitFor();
    assert.ok((await deliveryOptions(page).locator('[part~="day"]').count()) > 1, "several days to choose from");
    const first = (await chosen(page))?.deliveryWindow;
    assert.ok(first, "a window is chosen with the speed");
    await windowGroup.locator('[tabindex="0"]').focus();
    await page.keyboard.press("ArrowRight");
    const picked = (await chosen(page))?.deliveryWindow;
    assert.ok(picked && picked.start !== first.start, "the keyboard moved to another window");
    await expectAccessible(page, "the JP checkout with a delivery window chosen");
    await screenshot(page, "jp-checkout");

    await Promise.all([page.waitForURL(/\/orders\//), page.getByRole("button", { name: "注文を確定する" }).click()]);
    const orderId = orderIdFrom(page);
    const inSandbox = await sandboxOrder(e2e().demo, orderId, "jp");
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, "ScheduledDelivery");
    assert.equal(inSandbox.fulfillmentOrder.marketplaceId, STORES.jp.marketplaceId);
    assert.equal(Date.parse(inSandbox.fulfillmentOrder.deliveryWindow?.startDate ?? ""), Date.parse(picked.start));
    assert.equal(Date.parse(inSandbox.fulfillmentOrder.deliveryWindow?.endDate ?? ""), Date.parse(picked.end));

    assert.equal(await page.locator("#order-speed").textContent(), "お届け日時指定便");
    assert.equal(
      Date.parse((await page.locator("#order-window").getAttribute("data-start")) ?? ""),
      Date.parse(picked.start),
    );
    await page.locator('mcf-order-status [part="status"]').waitFor();
    assert.equal(await page.locator('mcf-order-status [part="status"]').textContent(), "ご注文を承りました");
    // The page and the element word the slot alike: "12月4日(金) 19時～21時".
    const slot = ((await page.locator("#order-window").textContent()) ?? "").trim();
    assert.match(slot, /^\d{1,2}月\d{1,2}日\(.\) \d{1,2}時～\d{1,2}時$/);
    assert.equal(await page.locator('mcf-order-status [part="speed"]').textContent(), `お届け日時指定便 · ${slot}`);
    await expectAccessible(page, "the JP order page");
    await screenshot(page, "jp-order");
  });

  it("cash on delivery asks Amazon again and the order requires COD", async () => {
    const page = await e2e().page({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await page.goto(e2e().demo.urls.stores.jp);
    await fillAddress(page, "jp");
    await waitForOptions(page);
    const request = page.waitForRequest(
      (candidate) =>
        candidate.url().endsWith("/v1/delivery-options") && /cashOnDelivery/.test(candidate.postData() ?? ""),
    );
    await page.getByLabel("代金引換").check();
    await request;
    await deliveryOptions(page).locator('[part="cod-note"]').waitFor();
    await waitForOptions(page);
    // Arrow to the first cash-on-delivery option.
    await tabIntoOptions(page, "電話番号");
    await page.keyboard.press("Space");
    for (let i = 0; i < 8 && !(await chosen(page))?.cashOnDelivery; i++) await page.keyboard.press("ArrowDown");
    const cod = await chosen(page);
    assert.equal(cod?.cashOnDelivery, true);

    await Promise.all([page.waitForURL(/\/orders\//), page.getByRole("button", { name: "注文を確定する" }).click()]);
    const inSandbox = await sandboxOrder(e2e().demo, orderIdFrom(page), "jp");
    assert.equal(inSandbox.fulfillmentOrder.shippingSpeedCategory, cod.speed);
    assert.equal(inSandbox.fulfillmentOrder.codSettings?.isCodRequired, true);
  });

  it("the browser flow cannot order Scheduled Delivery: shown unavailable in Japanese, skipped, nothing created", async () => {
    const page = await e2e().page({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    await page.goto(`${e2e().demo.urls.stores.jp}?flow=browser`);
    await fillAddress(page, "jp");
    await waitForOptions(page);
    // The proxy's browserFlow says a held browser order cannot be Scheduled Delivery (Amazon forbids Hold with it).
    const scheduled = deliveryOptions(page).locator('[role="radio"]', { hasText: "お届け日時指定便" });
    assert.equal(await scheduled.getAttribute("aria-disabled"), "true");
    assert.equal(await scheduled.locator('[part="unorderable"]').textContent(), "このサイトではご利用いただけません");
    assert.doesNotMatch((await deliveryOptions(page).textContent()) ?? "", /MCF_|Scheduled|Hold/);
    const before = await sandboxOrderCount(e2e().demo);
    await scheduled.click({ force: true });
    assert.notEqual(await checkedLabel(page), "お届け日時指定便", "a click does not choose it");
    await tabIntoOptions(page, "電話番号");
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("ArrowDown");
      seen.add(await checkedLabel(page));
    }
    assert.ok(!seen.has("お届け日時指定便"), `the arrow keys skip it: ${[...seen].join(", ")}`);
    await expectAccessible(page, "the JP browser-flow checkout");
    assert.equal(await sandboxOrderCount(e2e().demo), before);
  });
});

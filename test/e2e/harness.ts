// What every e2e file shares: the whole demo (sandbox, proxy, storefront) in-process on free ports, one Chromium
// per file, shopper-like helpers, direct sandbox queries, and screenshots under test-results/.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { after, before } from "node:test";
import { type Browser, chromium, type Frame, type Locator, type Page } from "playwright-core";
import { type RunningDemo, type StartDemoOptions, startDemo } from "../../demo/start.ts";
import { STORES, type StoreId } from "../../demo/stores.ts";

export const RESULTS_DIR = new URL("../../test-results/e2e/", import.meta.url);

export interface E2E {
  demo: RunningDemo;
  browser: Browser;
  /** A fresh page (own context, so no state leaks between tests); closed by close(). */
  page(options?: {
    locale?: string;
    timezoneId?: string;
    viewport?: { width: number; height: number };
    colorScheme?: "light" | "dark";
  }): Promise<Page>;
  close(): Promise<void>;
}

export async function startE2E(env: Record<string, string> = {}, options: StartDemoOptions = {}): Promise<E2E> {
  // Sandbox time at real speed: orders move only when a test advances the sandbox's clock.
  const demo = await startDemo({ PORT: "0", SANDBOX_PORT: "0", SANDBOX_TIME_SCALE: "1", ...env }, options);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
      // Chromium gets only what it needs from the shell (no MCF_*, LWA_*, SANDBOX_*), and a bounded start.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
      timeout: 30_000,
    });
  } catch (error) {
    await demo.close();
    throw error;
  }
  return {
    demo,
    browser,
    async page(pageOptions = {}) {
      const context = await browser.newContext({
        viewport: pageOptions.viewport ?? { width: 1200, height: 900 },
        colorScheme: pageOptions.colorScheme ?? "light",
        locale: pageOptions.locale ?? "en-US",
        ...(pageOptions.timezoneId ? { timezoneId: pageOptions.timezoneId } : {}),
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async close() {
      await browser.close();
      await demo.close();
    },
  };
}

/** Starts the demo and a browser before the file's tests and closes both after; call at the top of a describe. */
export function useE2E(env: Record<string, string> = {}): () => E2E {
  let e2e: E2E | undefined;
  before(async () => {
    e2e = await startE2E(env);
  });
  after(() => e2e?.close());
  return () => {
    if (!e2e) throw new Error("the e2e harness is not started");
    return e2e;
  };
}

/** Types the store's sample address into the form field by field, as a shopper would (label → field). */
export async function fillAddress(page: Page, store: StoreId): Promise<void> {
  const { fields, sampleAddress } = STORES[store];
  for (const field of fields) {
    const value = sampleAddress[field.name];
    if (value === undefined) continue;
    const control = page.getByLabel(field.label, { exact: true });
    if (field.options) await control.selectOption(value);
    else await control.fill(value);
  }
}

export const deliveryOptions = (page: Page): Locator => page.locator("mcf-delivery-options");
export const radios = (page: Page): Locator => deliveryOptions(page).getByRole("radio");

/** Waits for the element to show options and returns their speeds in order. */
export async function waitForOptions(page: Page): Promise<void> {
  await deliveryOptions(page).getByRole("radiogroup").waitFor();
}

/** Focus the field just before the element, then Tab into the radio group: one tab stop. */
export async function tabIntoOptions(page: Page, fieldBefore: string): Promise<void> {
  await page.getByLabel(fieldBefore, { exact: true }).focus();
  await page.keyboard.press("Tab");
}

/** The speed label of the chosen option ("" when none). */
export async function checkedLabel(page: Page): Promise<string> {
  const checked = deliveryOptions(page).locator('[role="radio"][aria-checked="true"]');
  return (await checked.count()) ? ((await checked.locator('[part="label"]').textContent()) ?? "") : "";
}

/** The speed label of the radio that has keyboard focus inside the element's shadow root ("" when none). */
export function focusedRadioLabel(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement?.shadowRoot?.activeElement;
    return active?.getAttribute("role") === "radio" ? (active.querySelector('[part="label"]')?.textContent ?? "") : "";
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = new URL(`${name}.png`, RESULTS_DIR).pathname;
  // From the top, so the sticky order summary sits where a visitor first sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

const AXE = new URL("../../node_modules/axe-core/axe.min.js", import.meta.url).pathname;

/** Runs axe-core over the whole page, shadow roots included, and fails on any violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: unknown[] }> } }).axe;
    const { violations } = await axe.run(document);
    return (violations as { id: string; nodes: { target: unknown }[] }[]).map(
      (violation) => `${violation.id} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
  });
  assert.deepEqual(violations, [], `axe violations on ${what}`);
}

/** A seller's LWA credentials at the sandbox: a demo store's, or any other's (one connected through /connect). */
export type SandboxSeller = StoreId | { clientId: string; clientSecret: string; refreshToken: string };

/** The sandbox's credentials of the seller with this id that was connected last (through the consent page). */
export function connectedSeller(demo: RunningDemo, sellerId: string): SandboxSeller {
  const seller = demo.sandbox.sandbox.lwa.sellers.filter((candidate) => candidate.sellerId === sellerId).at(-1);
  if (!seller) throw new Error(`the sandbox knows no seller ${sellerId}`);
  return seller;
}

/**
 * Reads a fulfillment order straight from the sandbox over SP-API, with its own LWA token: the proxy is not asked.
 * The token is the seller's whose store placed it (the US store's by default): each seller has its own order book,
 * so this also proves the order went to that seller's account.
 */
export async function sandboxOrder(demo: RunningDemo, sellerFulfillmentOrderId: string, seller: SandboxSeller = "us") {
  const { clientId, clientSecret, refreshToken } = typeof seller === "string" ? demo.sellers[seller] : seller;
  const tokenResponse = await fetch(`${demo.urls.sandbox}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  if (!tokenResponse.ok) throw new Error(`sandbox token: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(
    `${demo.urls.sandbox}/fba/outbound/2020-07-01/fulfillmentOrders/${encodeURIComponent(sellerFulfillmentOrderId)}`,
    { headers: { "x-amz-access-token": token, accept: "application/json" } },
  );
  const body = (await response.json()) as { payload?: SandboxOrder; errors?: unknown[] };
  if (!response.ok || !body.payload) throw new Error(`sandbox getFulfillmentOrder: ${JSON.stringify(body)}`);
  return body.payload;
}

export interface SandboxOrder {
  fulfillmentOrder: {
    sellerFulfillmentOrderId: string;
    displayableOrderId: string;
    marketplaceId: string;
    shippingSpeedCategory: string;
    fulfillmentOrderStatus: string;
    fulfillmentAction?: string;
    deliveryWindow?: { startDate: string; endDate: string };
    codSettings?: { isCodRequired: boolean };
    destinationAddress: { postalCode: string; countryCode: string };
  };
  fulfillmentOrderItems: { sellerSku: string; quantity: number; estimatedShipDate?: string }[];
  fulfillmentShipments?: unknown[];
}

/** The order id in an order page's URL. */
export function orderIdFrom(page: Page): string {
  const match = /\/orders\/([^/?]+)/.exec(new URL(page.url()).pathname);
  if (!match?.[1]) throw new Error(`not an order page: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/** Moves the sandbox's clock forward (its control API, outside Amazon's): orders progress, packages ship. */
export async function advanceSandbox(demo: RunningDemo, ms: number): Promise<void> {
  const response = await fetch(`${demo.urls.sandbox}/_sandbox/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms }),
  });
  if (!response.ok) throw new Error(`sandbox clock advance: ${response.status} ${await response.text()}`);
}

/**
 * Moves the sandbox's clock to `ms` after the order's promised ship date (the sandbox never ships earlier: after the
 * cut-off or on a weekend that is the next ship day), or `ms` from now if that date has passed.
 */
export async function advancePastShipDate(demo: RunningDemo, order: SandboxOrder, ms: number): Promise<void> {
  const clock = (await (await fetch(`${demo.urls.sandbox}/_sandbox/clock`)).json()) as { epochMs: number };
  const shipDates = order.fulfillmentOrderItems.map((item) => Date.parse(item.estimatedShipDate ?? "") || 0);
  await advanceSandbox(demo, Math.max(0, Math.max(...shipDates) - clock.epochMs) + ms);
}

/** How many fulfillment orders the sandbox holds, for every seller (its state endpoint, outside Amazon's API). */
export async function sandboxOrderCount(demo: RunningDemo): Promise<number> {
  const response = await fetch(`${demo.urls.sandbox}/_sandbox/state`);
  const state = (await response.json()) as { sellers: { orders: unknown[] }[] };
  return state.sellers.reduce((sum, seller) => sum + seller.orders.length, 0);
}

/**
 * Clicks "Place order" expecting the browser to refuse: waits until the element has fired `invalid` (the browser's
 * interactive validation ran and stopped the submission) and the page has settled, then checks the form is
 * `:invalid` and that no navigation started meanwhile, so a slow submission cannot slip past the assertions.
 */
export async function expectSubmitRefused(page: Page, buttonName: string): Promise<void> {
  const element = deliveryOptions(page);
  await element.evaluate((node) => {
    const flags = window as unknown as { e2eRefused?: boolean };
    flags.e2eRefused = false;
    node.addEventListener("invalid", () => (flags.e2eRefused = true), { once: true });
  });
  const navigations: string[] = [];
  const onNavigated = (frame: Frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  };
  page.on("framenavigated", onNavigated);
  try {
    const url = page.url();
    await page.getByRole("button", { name: buttonName }).click();
    await page.waitForFunction(() => (window as unknown as { e2eRefused?: boolean }).e2eRefused === true);
    await page.waitForLoadState();
    assert.equal(await element.evaluate((node) => (node as HTMLInputElement).validity.valueMissing), true);
    assert.equal(await element.evaluate((node) => node.closest("form")?.matches(":invalid")), true);
    assert.deepEqual(navigations, [], "the refused submission navigated nowhere");
    assert.equal(page.url(), url);
  } finally {
    page.off("framenavigated", onNavigated);
  }
}

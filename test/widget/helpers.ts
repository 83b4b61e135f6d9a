// Shared test kit for the element in Chromium: mocha globals, small assertions, a fake proxy behind `fetch`,
// DESIGN-shaped payloads, fixtures and axe-core.
import "../../widget/index.ts";
import type { McfDeliveryOptions } from "../../widget/delivery-options.ts";
import type { DeliveryOption, DeliveryOptionsResponse, OrderResponse } from "../../widget/types.ts";

type Suite = (name: string, body: () => void) => void;
type Test = (name: string, body: () => unknown) => void;
type Hook = (body: () => unknown) => void;
const mocha = globalThis as unknown as { describe: Suite; it: Test; beforeEach: Hook; afterEach: Hook };
export const { describe, it, beforeEach, afterEach } = mocha;

// --- assertions -------------------------------------------------------------------------------------------------

export class AssertionError extends Error {}

export function ok(value: unknown, message = "expected a truthy value"): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message = "") {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Structural equality of JSON-like values; object key order does not matter. */
export function deepEqual(actual: unknown, expected: unknown, message = "") {
  const [a, b] = [canonical(actual), canonical(expected)];
  if (a !== b) throw new AssertionError(`${message ? `${message}: ` : ""}expected ${b}, got ${a}`);
}

export function includes(haystack: string | null | undefined, needle: string, message = "") {
  if (!haystack?.includes(needle)) {
    throw new AssertionError(`${message ? `${message}: ` : ""}expected ${show(haystack)} to include ${show(needle)}`);
  }
}

export async function rejects(promise: Promise<unknown>, check: (error: unknown) => void = () => {}) {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught ?? new Error("rejected with nothing");
  }
  ok(error, "expected the promise to reject");
  check(error);
}

const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );

const show = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : String(value));

// --- time -------------------------------------------------------------------------------------------------------

/** The fixed "now" of every test: 10 March 2026, 12:00 UTC (04:00 in Los Angeles, 21:00 in Tokyo). */
export const NOW = new Date("2026-03-10T12:00:00Z");
const day = 86_400_000;
export const at = (days: number, hourUtc = 20) =>
  new Date(Date.UTC(2026, 2, 10) + days * day + hourUtc * 3_600_000).toISOString();

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` passes: returns a truthy value or nothing, without throwing (fails after ~3 s). */
export async function until(check: () => unknown, what = "condition") {
  let last: unknown;
  for (let i = 0; i < 300; i++) {
    try {
      const result = await check();
      if (result === undefined || result) return;
    } catch (error) {
      last = error;
    }
    await tick(10);
  }
  throw new AssertionError(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export const nextEvent = <T = unknown>(target: EventTarget, type: string) =>
  new Promise<CustomEvent<T>>((resolve) =>
    target.addEventListener(type, (event) => resolve(event as CustomEvent<T>), { once: true }),
  );

// --- payloads (DESIGN.md § Proxy HTTP contract) -----------------------------------------------------------------

export function option(speed: DeliveryOption["speed"], amount: string, overrides: Partial<DeliveryOption> = {}) {
  const offset = { Standard: 4, Expedited: 2, Priority: 1, ScheduledDelivery: 2 }[speed];
  return {
    id: speed,
    speed,
    fulfillable: true,
    price: { amount, currency: "USD" },
    fees: { total: amount, currency: "USD", lines: [{ name: "FBAPerUnitFulfillmentFee", amount }] },
    ship: { earliest: at(0, 22), latest: at(1, 2) },
    arrival: { earliest: at(offset), latest: at(offset + (speed === "Standard" ? 2 : 0)) },
    timeZone: "America/Los_Angeles",
    quote: `quote-${speed}`,
    expiresAt: at(0, 12.25),
    ...overrides,
  } satisfies DeliveryOption;
}

export const scheduledOption = () =>
  option("ScheduledDelivery", "5.00", {
    price: { amount: "500", currency: "JPY" },
    timeZone: "Asia/Tokyo",
    // Windows in Tokyo: 11 March 08:00-12:00 and 14:00-16:00, 12 March 08:00-12:00 (UTC+9).
    deliveryWindows: [
      { start: "2026-03-11T05:00:00Z", end: "2026-03-11T07:00:00Z", quote: "quote-w2" },
      { start: "2026-03-10T23:00:00Z", end: "2026-03-11T03:00:00Z", quote: "quote-w1" },
      { start: "2026-03-11T23:00:00Z", end: "2026-03-12T03:00:00Z", quote: "quote-w3" },
    ],
    quote: "quote-w1",
  });

export function optionsResponse(overrides: Partial<DeliveryOptionsResponse> = {}): DeliveryOptionsResponse {
  return {
    // Deliberately out of speed order: the element orders them.
    options: [option("Priority", "19.99"), option("Standard", "0.00"), option("Expedited", "7.49")],
    unfulfillable: [],
    reasons: [],
    source: "live",
    marketplaceId: "ATVPDKIKX0DER",
    ...overrides,
  };
}

export const orderResponse: OrderResponse = {
  orderId: "mcf-0001",
  status: "Received",
  action: "Hold",
  speed: "Expedited",
  price: { amount: "7.49", currency: "USD" },
  orderToken: "order-token-1",
  orderTokenExpiresAt: at(30),
};

// --- fake proxy -------------------------------------------------------------------------------------------------

export interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
  signal?: AbortSignal | null;
}

type Reply = Response | Promise<Response>;

export const json = (body: unknown, status = 200, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });

export const problem = (status: number, title: string, detail?: string) =>
  json({ type: "about:blank", title, status, detail }, status, "application/problem+json");

/** Replaces `fetch` with a fake proxy; `reply` answers each call (default: three options, and 201 orders). */
export function fakeProxy(reply: (call: Call) => Reply = defaultReply) {
  const calls: Call[] = [];
  const original = globalThis.fetch;
  const proxy = {
    calls,
    reply,
    restore: () => {
      globalThis.fetch = original;
    },
  };
  globalThis.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: Call = {
      url: String(input),
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: JSON.parse(String(init.body ?? "null")),
      signal: init.signal,
    };
    calls.push(call);
    return new Promise<Response>((resolve, reject) => {
      const abort = () => reject(new DOMException("The operation was aborted.", "AbortError"));
      if (call.signal?.aborted) return abort();
      call.signal?.addEventListener("abort", abort);
      Promise.resolve(proxy.reply(call)).then(resolve, reject);
    });
  };
  return proxy;
}

/**
 * For a suite: a fresh fake proxy before each test; after it, the real `fetch` back and mounted elements removed.
 * The returned object always speaks for the current test's proxy.
 */
export function useFakeProxy() {
  let current: ReturnType<typeof fakeProxy>;
  beforeEach(() => {
    current = fakeProxy();
  });
  afterEach(() => {
    unmountAll();
    current.restore();
  });
  return {
    get calls() {
      return current.calls;
    },
    get reply() {
      return current.reply;
    },
    set reply(reply: (call: Call) => Reply) {
      current.reply = reply;
    },
  };
}

function defaultReply(call: Call): Response {
  return call.url.endsWith("/v1/orders") ? json(orderResponse, 201) : json(optionsResponse());
}

/** A reply that waits until `release()` is called. */
export function held(response: () => Response) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { reply: gate.then(response), release };
}

// --- fixtures ---------------------------------------------------------------------------------------------------

export const cart = [
  { sku: "MUG-BLUE", quantity: 2, title: "Blue mug" },
  { sku: "TEE-M", quantity: 1 },
];

/** A complete US shipping address, as orders need it (the form fixtures hold the same). */
export const fullAddress = {
  name: "Ada Lovelace",
  line1: "1 Main St",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98101",
  countryCode: "US",
};

const mounted: Element[] = [];

/** Mounts `markup` in the document, returns the first <mcf-delivery-options> with test defaults applied. */
export async function mount(
  markup = "<mcf-delivery-options></mcf-delivery-options>",
  setup?: (el: McfDeliveryOptions) => void,
) {
  const host = document.createElement("div");
  host.innerHTML = markup;
  const element = host.querySelector("mcf-delivery-options")!;
  element.debounce = 0;
  setup?.(element);
  document.body.append(host);
  mounted.push(host);
  await element.updateComplete;
  return element;
}

/** Mounts an element with a US address and the cart, and waits for its options. */
export async function mountWithOptions(
  attributes = 'country="US" postal-code="98101"',
  setup?: (el: McfDeliveryOptions) => void,
) {
  const element = await mount(`<mcf-delivery-options ${attributes}></mcf-delivery-options>`, (el) => {
    el.items = cart;
    setup?.(el);
  });
  await until(() => element.status !== "loading" && element.status !== "idle", "options");
  await element.updateComplete;
  return element;
}

/** Mounts an element whose options request the proxy holds open: it stays loading until `release()`. */
export async function mountLoading(proxy: { reply: (call: Call) => Reply; calls: Call[] }) {
  const gate = held(() => json(optionsResponse()));
  proxy.reply = () => gate.reply;
  const element = await mount(
    '<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>',
    (el) => {
      el.items = cart;
    },
  );
  await until(() => proxy.calls.length === 1 && element.shadowRoot?.querySelector('[part="skeleton"]'), "loading");
  return { element, release: gate.release };
}

export function unmountAll() {
  for (const host of mounted.splice(0)) host.remove();
}

export const shadow = (element: Element) => element.shadowRoot!;
export const radios = (element: Element) => [...shadow(element).querySelectorAll<HTMLElement>('[role="radio"]')];
export const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, " ").trim() ?? "";
export const part = (element: Element, name: string) => shadow(element).querySelector<HTMLElement>(`[part~="${name}"]`);
export const liveRegion = (element: Element) => text(shadow(element).querySelector('[role="status"]'));

export function press(target: HTMLElement, key: string) {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, composed: true, cancelable: true }));
}

// --- axe-core -----------------------------------------------------------------------------------------------------

interface AxeResults {
  violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
}
let axeLoaded: Promise<void> | undefined;

/** Runs axe-core over the element (shadow DOM included) and fails on any violation. */
export async function expectAccessible(element: Element) {
  axeLoaded ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/node_modules/axe-core/axe.min.js";
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("axe-core did not load"));
    document.head.append(script);
  });
  await axeLoaded;
  const axe = (globalThis as unknown as { axe: { run: (context: Element) => Promise<AxeResults> } }).axe;
  const { violations } = await axe.run(element);
  const summary = violations.map((v) => `${v.id} (${v.help}) at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  deepEqual(summary, [], "axe violations");
}

// <mcf-order-status> in Chromium against a fake proxy: every state, localised, axe-checked, refreshing politely.
import "../../widget/order-status-entry.ts";
import { formatDays } from "../../widget/format.ts";
import type { McfOrderStatus } from "../../widget/order-status.ts";
import { fill, stringsFor } from "../../widget/strings.ts";
import type { OrderView, PackageTrackingView } from "../../widget/types.ts";
import {
  type Call,
  describe,
  equal,
  expectAccessible,
  includes,
  it,
  json,
  ok,
  problem,
  text,
  tick,
  until,
  useFakeProxy,
} from "./helpers.ts";

const order = (overrides: Partial<OrderView> = {}): OrderView => ({
  orderId: "mcf-0001",
  status: "Received",
  action: "Ship",
  speed: "Expedited",
  marketplaceId: "ATVPDKIKX0DER",
  displayableOrderId: "1001",
  receivedDate: "2026-03-10T12:00:00Z",
  statusUpdatedDate: "2026-03-10T12:00:00Z",
  timeZone: "America/Los_Angeles",
  items: [
    {
      sku: "MUG-BLUE",
      quantity: 2,
      cancelledQuantity: 0,
      unfulfillableQuantity: 0,
      estimatedArrivalDate: "2026-03-12T20:00:00Z",
    },
  ],
  shipments: [],
  packages: [],
  trackingNumbers: [],
  ...overrides,
});

const shipped = (overrides: Partial<OrderView> = {}) =>
  order({
    status: "Complete",
    shipments: [
      {
        id: "S1",
        status: "SHIPPED",
        shippingDate: "2026-03-10T22:00:00Z",
        items: [{ sku: "MUG-BLUE", quantity: 2, packageNumber: 7 }],
        packageNumbers: [7],
      },
    ],
    // Amazon numbers packages across the seller's orders: this order's first package is number 7.
    packages: [{ packageNumber: 7, carrierCode: "UPS", trackingNumber: "1Z999", shipmentId: "S1" }],
    trackingNumbers: ["1Z999"],
    ...overrides,
  });

const tracking = (overrides: Partial<PackageTrackingView> = {}): PackageTrackingView => ({
  orderId: "mcf-0001",
  packageNumber: 7,
  trackingNumber: "1Z999",
  carrierCode: "UPS",
  trackingUrl: "https://carrier.example/track/1Z999",
  status: "IN_TRANSIT",
  events: [
    { date: "2026-03-10T23:00:00Z", code: "EVENT_102", description: "Shipment picked up" },
    {
      date: "2026-03-11T06:00:00Z",
      code: "EVENT_202",
      description: "Departure scan",
      location: { city: "Reno", country: "US" },
    },
  ],
  ...overrides,
});

const delivered = () =>
  tracking({
    status: "DELIVERED",
    events: [...tracking().events, { date: "2026-03-11T18:30:00Z", code: "EVENT_301", description: "Delivered" }],
  });

/** The proxy's answers: the order, and each package's tracking. */
function answers(view: () => OrderView, track: () => PackageTrackingView = tracking) {
  return (call: Call) => (/\/packages\/\d+$/.test(call.url) ? json(track()) : json(view()));
}

const mounted: Element[] = [];
async function mountStatus(
  attributes = 'order-id="mcf-0001" order-token="tok-1"',
  setup?: (el: McfOrderStatus) => void,
) {
  const host = document.createElement("div");
  host.innerHTML = `<mcf-order-status endpoint="https://proxy.example" ${attributes}></mcf-order-status>`;
  const element = host.querySelector("mcf-order-status")!;
  element.interval = 60_000;
  setup?.(element);
  document.body.append(host);
  mounted.push(host);
  await until(() => element.status !== "loading" && element.status !== "idle", "the order");
  await element.updateComplete;
  return element;
}

const part = (element: Element, name: string) => element.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const parts = (element: Element, name: string) => [
  ...element.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];

describe("<mcf-order-status>", () => {
  const proxy = useFakeProxy();
  const { afterEach } = globalThis as unknown as { afterEach: (body: () => void) => void };
  afterEach(() => {
    for (const host of mounted.splice(0)) host.remove();
  });

  it("asks the proxy's order route with the order token, and shows a received order on its first step", async () => {
    proxy.reply = answers(() => order());
    const element = await mountStatus();
    equal(proxy.calls[0]!.url, "https://proxy.example/v1/orders/mcf-0001");
    equal(proxy.calls[0]!.method, "GET");
    equal(proxy.calls[0]!.headers.get("x-order-token"), "tok-1");
    equal(text(part(element, "status")), "Order received");
    equal(
      parts(element, "step").map(text).join(" | "),
      "Order received | Preparing | Shipped · in transit | Delivered",
    );
    equal(part(element, "step-current")!.getAttribute("aria-current"), "step");
    equal(text(part(element, "step-current")), "Order received");
    equal(text(part(element, "speed")), "Expedited · Arrives Thu, Mar 12");
    equal(element.progress, "received");
    equal(text(element.shadowRoot!.querySelector('[role="status"]')), "Order received");
    await expectAccessible(element);
  });

  it("complete is shipped, not delivered, while the package is in transit; packages count from 1 in the order", async () => {
    proxy.reply = answers(() => shipped());
    const element = await mountStatus();
    equal(proxy.calls[1]!.url, "https://proxy.example/v1/orders/mcf-0001/packages/7");
    equal(text(part(element, "status")), "Shipped · in transit");
    equal(text(part(element, "step-current")), "Shipped · in transit");
    equal(parts(element, "step-done").length, 2);
    equal(text(part(element, "package-label")), "Package 1");
    equal(text(part(element, "carrier")), "UPS · Tracking number: 1Z999");
    equal(part(element, "tracking")!.getAttribute("href"), "https://carrier.example/track/1Z999");
    const events = parts(element, "event").map(text);
    equal(events.length, 2);
    includes(events[0], "Left a carrier facility · Reno, US", "latest first, in the shopper's words");
    includes(events[1], "Picked up by the carrier");
    equal(part(element, "delivered"), null);
    await expectAccessible(element);
  });

  it("delivered once the carrier says so: a Delivered step and the delivered time; then it stops refreshing", async () => {
    proxy.reply = answers(() => shipped(), delivered);
    const element = await mountStatus("", (el) => {
      el.orderId = "mcf-0001";
      el.orderToken = "tok-1";
      el.interval = 5;
    });
    equal(text(part(element, "status")), "Delivered");
    equal(text(part(element, "step-current")), "Delivered");
    includes(text(part(element, "delivered")), "Delivered Mar 11");
    equal(text(part(element, "speed")), "Expedited", "no estimate once delivered");
    const calls = proxy.calls.length;
    await tick(60);
    equal(proxy.calls.length, calls, "a delivered order is not asked for again");
    await expectAccessible(element);
  });

  it("refreshes while the order moves, and tells listeners what changed", async () => {
    let status = "Processing";
    proxy.reply = answers(() => (status === "Processing" ? order({ status }) : shipped()), delivered);
    const changes: string[] = [];
    const element = await mountStatus('order-id="mcf-0001" order-token="tok-1"', (el) => {
      el.interval = 5;
      el.addEventListener("mcf-order-status", (event) => changes.push((event as CustomEvent).detail.progress));
    });
    equal(text(part(element, "status")), "Preparing");
    status = "Complete";
    await until(() => element.progress === "delivered", "the refreshed order");
    await element.updateComplete;
    equal(text(part(element, "status")), "Delivered");
    equal(changes.join(), "preparing,delivered", "each change once, not every refresh");
  });

  it("asks nothing while the page is hidden, and looks again once it is shown", async () => {
    proxy.reply = answers(() => order());
    // An own property shadows Document.prototype.hidden for this test; deleting it restores the real one.
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    try {
      const element = await mountStatus('order-id="mcf-0001" order-token="tok-1"', (el) => {
        el.interval = 5;
      });
      const calls = proxy.calls.length;
      await tick(80);
      equal(proxy.calls.length, calls, "no refresh while hidden");
      Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
      document.dispatchEvent(new Event("visibilitychange"));
      await until(() => proxy.calls.length > calls, "a refresh once shown");
      equal(element.status, "ready");
    } finally {
      delete (document as unknown as { hidden?: boolean }).hidden;
    }
  });

  it("a held order awaits confirmation on its first step; a cancelled one leaves the steps and stops", async () => {
    proxy.reply = answers(() => order({ action: "Hold" }));
    const held = await mountStatus();
    equal(text(part(held, "status")), "Awaiting confirmation");
    equal(text(part(held, "step-current")), "Order received");
    proxy.reply = answers(() => order({ status: "Cancelled" }));
    const cancelled = await mountStatus('order-id="mcf-0002" order-token="tok-2"', (el) => {
      el.interval = 5;
    });
    equal(text(part(cancelled, "status")), "Cancelled");
    equal(part(cancelled, "steps"), null);
    const calls = proxy.calls.length;
    await tick(60);
    equal(proxy.calls.length, calls);
    await expectAccessible(cancelled);
  });

  it("dates read in the marketplace's time zone, as checkout promised them, wherever the shopper is", async () => {
    // 05:00 UTC on the 12th is still the 11th in Los Angeles.
    const early = { ...order().items[0]!, estimatedArrivalDate: "2026-03-12T05:00:00Z" };
    proxy.reply = answers(() => order({ items: [early] }));
    const element = await mountStatus();
    equal(text(part(element, "speed")), "Expedited · Arrives Wed, Mar 11");
  });

  // Checkout promised "Arrives Thu, Mar 12 – Mon, Mar 16"; Amazon's order carries an estimate per item, shipment and
  // package: the order page reads their span, in checkout's words and format, in every locale.
  for (const [locale, words] of [
    ["en", "Expedited · Arrives Thu, Mar 12 – Mon, Mar 16"],
    ["ja", "お急ぎ便 · お届け：3月12日(木)～3月16日(月)"],
    ["de", "Express · Lieferung Do., 12. März – Mo., 16. März"],
    ["fr", "Express · Livraison jeu. 12 mars – lun. 16 mars"],
    ["es", "Urgente · Llega jue, 12 mar – lun, 16 mar"],
  ] as const) {
    it(`${locale}: the arrival reads as the order's range, earliest to latest, as checkout shows it`, async () => {
      const late = { estimatedArrivalDate: "2026-03-16T20:00:00Z" };
      proxy.reply = answers(() =>
        order({ shipments: [{ id: "S1", status: "PENDING", items: [], packageNumbers: [], ...late }] }),
      );
      const element = await mountStatus(`order-id="mcf-0001" order-token="tok-1" locale="${locale}"`);
      const range = formatDays(
        { earliest: "2026-03-12T20:00:00Z", latest: "2026-03-16T20:00:00Z" },
        locale,
        "America/Los_Angeles",
      );
      const strings = stringsFor(locale);
      equal(text(part(element, "speed")), `${strings.Expedited} · ${fill(strings.arrives, range!)}`);
      equal(text(part(element, "speed")), words);
    });
  }

  it("an order whose estimates fall on one day reads that day once", async () => {
    const sameDay = { estimatedArrivalDate: "2026-03-12T23:00:00Z" };
    proxy.reply = answers(() =>
      order({ shipments: [{ id: "S1", status: "PENDING", items: [], packageNumbers: [], ...sameDay }] }),
    );
    const element = await mountStatus();
    equal(text(part(element, "speed")), "Expedited · Arrives Thu, Mar 12");
  });

  it("names carriers, in the shopper's language where it has its own names, else shows the code", async () => {
    for (const [code, locale, name] of [
      ["DHL_DE", "de", "DHL"],
      ["YAMATO", "ja", "ヤマト運輸"],
      ["YAMATO", "en", "Yamato Transport"],
      ["SAGAWA", "ja", "佐川急便"],
      ["JAPANPOST", "ja", "日本郵便"],
      ["AMZN_US", "en", "Amazon Logistics"],
      ["ACME_FREIGHT", "en", "ACME_FREIGHT"],
    ] as const) {
      proxy.reply = answers(
        () => shipped(),
        () => tracking({ carrierCode: code }),
      );
      const element = await mountStatus(`order-id="mcf-0001" order-token="tok-1" locale="${locale}"`);
      equal(text(part(element, "carrier")).split(" · ")[0], name, code);
      for (const host of mounted.splice(0)) host.remove();
    }
  });

  it("says the carrier was notified for EVENT_101, not that it picked the package up", async () => {
    proxy.reply = answers(
      () => shipped(),
      () =>
        tracking({ events: [{ date: "2026-03-10T22:30:00Z", code: "EVENT_101", description: "Carrier notified" }] }),
    );
    const element = await mountStatus();
    includes(text(part(element, "event")), "Carrier notified to pick up");
    ok(!text(part(element, "event")).includes("Picked up"), "not picked up yet");
  });

  it("a Scheduled Delivery window reads as its Tokyo day and hours", async () => {
    proxy.reply = answers(() =>
      order({
        speed: "ScheduledDelivery",
        marketplaceId: "A1VC38T7YXB528",
        timeZone: "Asia/Tokyo",
        deliveryWindow: { start: "2026-03-11T05:00:00Z", end: "2026-03-11T07:00:00Z" },
      }),
    );
    const element = await mountStatus('order-id="mcf-0001" order-token="tok-1" locale="ja"');
    equal(text(part(element, "speed")), "お届け日時指定便 · 3月11日(水) 14時～16時");
  });

  for (const [locale, words] of [
    ["ja", ["発送済み・配送中", "荷物 1", "配送業者の拠点から出発しました", "お問い合わせ伝票番号"]],
    ["de", ["Versandt · unterwegs", "Paket 1", "Paketzentrum verlassen", "Sendungsnummer"]],
    ["fr", ["Expédiée · en transit", "Colis 1", "Parti d'un site du transporteur", "Numéro de suivi"]],
    ["es", ["Enviado · en tránsito", "Paquete 1", "Salió de un centro del transportista", "Número de seguimiento"]],
    ["it", ["Spedito · in transito", "Pacco 1", "Partito da un centro del corriere", "Numero di tracciamento"]],
  ] as const) {
    it(`${locale}: status, packages and tracking events in the shopper's language`, async () => {
      proxy.reply = answers(() => shipped());
      const element = await mountStatus(`order-id="mcf-0001" order-token="tok-1" locale="${locale}"`);
      const shown = text(element.shadowRoot!.querySelector('[part="base"]'));
      for (const word of words) includes(shown, word);
      ok(!/Shipped|Package|In transit\b|Departure scan/.test(shown), `no English left: ${shown}`);
      await expectAccessible(element);
    });
  }

  it("a package without tracking events says they will come", async () => {
    proxy.reply = answers(
      () => shipped(),
      () => tracking({ events: [], eventsUnavailable: "The 2026-07-04 API reports no events" }),
    );
    const element = await mountStatus();
    includes(text(part(element, "package")), "Tracking details will appear here");
    equal(part(element, "events"), null);
  });

  it("an unknown order or token: a clear message, no Retry, no refresh", async () => {
    proxy.reply = () => problem(404, "Not Found", "no such order");
    const element = await mountStatus('order-id="mcf-9999" order-token="tok-x"', (el) => {
      el.interval = 5;
    });
    equal(element.status, "error");
    equal(text(part(element, "error")), "This order could not be found.");
    equal(part(element, "retry"), null);
    const calls = proxy.calls.length;
    await tick(60);
    equal(proxy.calls.length, calls);
    await expectAccessible(element);
  });

  it("an unreachable proxy: the error with Retry, which loads the order", async () => {
    proxy.reply = () => Promise.reject(new TypeError("Failed to fetch"));
    const element = await mountStatus();
    equal(text(part(element, "error")!.querySelector("p")), "Couldn't load the order status.");
    proxy.reply = answers(() => order());
    part(element, "retry")!.click();
    await until(() => element.status === "ready");
    await element.updateComplete;
    equal(text(part(element, "status")), "Order received");
  });

  it("nothing is asked without both the order id and its token", async () => {
    const host = document.createElement("div");
    host.innerHTML = '<mcf-order-status order-id="mcf-0001"></mcf-order-status>';
    document.body.append(host);
    mounted.push(host);
    const element = host.querySelector("mcf-order-status")!;
    await element.updateComplete;
    equal(element.status, "idle");
    equal(proxy.calls.length, 0);
  });
});

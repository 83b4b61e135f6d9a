// The order page: status on a timeline, shipments, packages and tracking, as the proxy's GET /v1/orders/{id} and
// /packages/{n} return them. Its panel is re-fetched by /assets/order.js until the order reaches a final status.
import { html } from "hono/html";
import type { OrderView as ProxyOrder, trackingView } from "../../proxy/orders/index.ts";
import type { Store } from "../stores.ts";
import { type Html, layout } from "./layout.ts";

export type { ProxyOrder };
export type PackageTracking = ReturnType<typeof trackingView> & { orderId: string };

export interface OrderView {
  orderId: string;
  order?: ProxyOrder;
  tracking?: PackageTracking[];
  error?: string;
  notFound?: boolean;
}

const STEPS = ["Received", "Planning", "Processing", "Complete"] as const;
const FINAL = new Set(["Complete", "CompletePartialled", "Unfulfillable", "Invalid", "Cancelled"]);

type Labels = typeof EN;
const EN = {
  order: "Order",
  status: "Status",
  speed: "Delivery",
  window: "Delivery window",
  shipTo: "Ship to",
  items: "Items",
  shipments: "Shipments",
  noShipments: "Amazon has not shipped anything yet. This page refreshes as the order moves along.",
  onHold: "On hold until payment is confirmed.",
  shipment: "Shipment",
  shipped: "Shipped",
  package: "Package",
  carrier: "Carrier",
  tracking: "Tracking number",
  arrival: "Estimated arrival",
  events: "Tracking",
  back: "Back to the store",
  notFound: "No such order",
  steps: { Received: "Received", Planning: "Planning", Processing: "Processing", Complete: "Shipped" },
  statuses: {} as Record<string, string>,
  speeds: {} as Record<string, string>,
};
const LABELS: Record<string, Labels> = {
  en: EN,
  ja: {
    order: "ご注文",
    status: "ステータス",
    speed: "配送方法",
    window: "お届け日時",
    shipTo: "お届け先",
    items: "商品",
    shipments: "出荷",
    noShipments: "まだ出荷されていません。このページは注文の進行に合わせて更新されます。",
    onHold: "決済の確認まで保留中です。",
    shipment: "出荷",
    shipped: "出荷日",
    package: "荷物",
    carrier: "配送業者",
    tracking: "お問い合わせ番号",
    arrival: "お届け予定",
    events: "配送状況",
    back: "ストアに戻る",
    notFound: "注文が見つかりません",
    steps: { Received: "受付", Planning: "準備中", Processing: "出荷作業中", Complete: "出荷済み" },
    statuses: {
      New: "受付",
      Received: "受付",
      Planning: "準備中",
      Processing: "出荷作業中",
      Complete: "出荷済み",
      Cancelled: "キャンセル",
    },
    speeds: {
      Standard: "通常配送",
      Expedited: "お急ぎ便",
      Priority: "当日お急ぎ便",
      ScheduledDelivery: "お届け日時指定便",
    },
  },
  de: {
    order: "Bestellung",
    status: "Status",
    speed: "Versand",
    window: "Lieferfenster",
    shipTo: "Lieferadresse",
    items: "Artikel",
    shipments: "Sendungen",
    noShipments: "Amazon hat noch nichts versendet. Diese Seite aktualisiert sich, während die Bestellung vorankommt.",
    onHold: "Zurückgehalten, bis die Zahlung bestätigt ist.",
    shipment: "Sendung",
    shipped: "Versendet",
    package: "Paket",
    carrier: "Versanddienstleister",
    tracking: "Sendungsnummer",
    arrival: "Voraussichtliche Zustellung",
    events: "Sendungsverlauf",
    back: "Zurück zum Shop",
    notFound: "Bestellung nicht gefunden",
    steps: { Received: "Eingegangen", Planning: "In Planung", Processing: "In Bearbeitung", Complete: "Versendet" },
    statuses: {
      New: "Eingegangen",
      Received: "Eingegangen",
      Planning: "In Planung",
      Processing: "In Bearbeitung",
      Complete: "Versendet",
      Cancelled: "Storniert",
    },
    speeds: { Standard: "Standardversand", Expedited: "Expressversand", Priority: "Priority-Versand" },
  },
};

export function orderPage(store: Store, view: OrderView, options: { skipAhead?: boolean } = {}): Html {
  const text = labelsFor(store);
  const body = html`<div class="order-page">
    <p><a href="/${store.id}">← ${text.back}</a></p>
    <div id="order-live" data-panel="/orders/${encodeURIComponent(view.orderId)}/panel?store=${store.id}">
      ${orderPanel(store, view)}
    </div>
    ${
      options.skipAhead && view.order
        ? html`<aside class="card sandbox-controls" lang="en">
            <h2>Local sandbox</h2>
            <p class="hint">
              Amazon takes hours to pick, pack and ship. Skip the sandbox's clock ahead to watch this order move.
            </p>
            <button type="button" class="secondary" data-advance-hours="1">+1 hour</button>
            <button type="button" class="secondary" data-advance-hours="6">+6 hours</button>
            <button type="button" class="secondary" data-advance-hours="24">+1 day</button>
          </aside>`
        : ""
    }
  </div>`;
  return layout({
    title: `${text.order} ${view.orderId} · ${store.name}`,
    lang: store.lang,
    store,
    head: html`<script type="module" src="/assets/order.js"></script>`,
    body,
  });
}

export function orderPanel(store: Store, view: OrderView): Html {
  const text = labelsFor(store);
  const order = view.order;
  if (!order) {
    return html`<section class="card" data-final="true">
      <h1>${view.notFound ? text.notFound : text.order}</h1>
      <p class="alert" role="alert">${view.error ?? ""}</p>
    </section>`;
  }
  const held = order.action === "Hold" && !FINAL.has(order.status);
  const current = order.status === "New" ? 0 : STEPS.indexOf(order.status as (typeof STEPS)[number]);
  const date = (iso: string | undefined) => formatDate(store, iso);
  const address = order.address;
  const tracking = new Map((view.tracking ?? []).map((entry) => [entry.packageNumber, entry]));
  // Shipped is not the end of the story for the shopper: keep following until every package is delivered.
  const shipped = order.status === "Complete" || order.status === "CompletePartialled";
  const delivered = order.packages.every((entry) => tracking.get(entry.packageNumber)?.status === "DELIVERED");
  const settled = FINAL.has(order.status) && (!shipped || delivered);
  return html`<section
      class="card order-head"
      data-status="${order.status}"
      data-final="${settled ? "true" : "false"}"
    >
      <h1>${text.order} <span class="order-id">${order.displayableOrderId}</span></h1>
      <p class="status-line">
        ${text.status}:
        <strong class="badge" id="order-status" data-status="${order.status}"
          >${text.statuses[order.status] ?? order.status}</strong
        >
        ${held ? html`<span class="hint" id="order-hold">${text.onHold}</span>` : ""}
      </p>
      <ol class="timeline" aria-label="${text.status}">
        ${STEPS.map(
          (step, index) =>
            html`<li class="${index < current || order.status === "Complete" ? "done" : index === current ? "current" : ""}"
              ${index === current ? html`aria-current="step"` : ""}>${text.steps[step]}</li>`,
        )}
      </ol>
      <dl class="facts">
        <div>
          <dt>${text.speed}</dt>
          <dd id="order-speed" data-speed="${order.speed}">${text.speeds[order.speed] ?? order.speed}</dd>
        </div>
        ${
          order.deliveryWindow
            ? html`<div>
                <dt>${text.window}</dt>
                <dd id="order-window" data-start="${order.deliveryWindow.start}" data-end="${order.deliveryWindow.end}">
                  ${formatRange(store, order.deliveryWindow.start, order.deliveryWindow.end)}
                </dd>
              </div>`
            : ""
        }
        ${
          address
            ? html`<div>
                <dt>${text.shipTo}</dt>
                <dd>${addressLine(store, address)}</dd>
              </div>`
            : ""
        }
        <div>
          <dt>${text.items}</dt>
          <dd>${order.items.map((item) => `${titleOf(store, item.sku)} × ${item.quantity}`).join(", ")}</dd>
        </div>
      </dl>
    </section>
    <section class="card">
      <h2>${text.shipments}</h2>
      ${order.shipments.length === 0 ? html`<p class="hint">${held ? text.onHold : text.noShipments}</p>` : ""}
      ${order.shipments.map(
        (shipment) => html`<article class="shipment" data-shipment="${shipment.id}">
          <h3>${text.shipment} ${shipment.id} <span class="badge">${shipment.status}</span></h3>
          <dl class="facts">
            ${shipment.shippingDate ? html`<div><dt>${text.shipped}</dt><dd>${date(shipment.shippingDate)}</dd></div>` : ""}
            ${
              shipment.estimatedArrivalDate
                ? html`<div><dt>${text.arrival}</dt><dd>${date(shipment.estimatedArrivalDate)}</dd></div>`
                : ""
            }
          </dl>
          ${order.packages
            .filter((entry) => entry.shipmentId === shipment.id)
            .map((entry) => {
              const details = tracking.get(entry.packageNumber);
              const events = details?.events ?? [];
              const number = details?.trackingNumber ?? entry.trackingNumber ?? entry.amazonTrackingNumber ?? "";
              return html`<div class="package" data-package="${entry.packageNumber}">
                <h4>${text.package} ${entry.packageNumber}</h4>
                <dl class="facts">
                  <div><dt>${text.carrier}</dt><dd>${details?.carrierCode ?? entry.carrierCode}</dd></div>
                  <div>
                    <dt>${text.tracking}</dt>
                    <dd class="tracking-number">
                      ${details?.trackingUrl ? html`<a href="${details.trackingUrl}" rel="noreferrer">${number}</a>` : number}
                      ${details?.statusDescription ? html` · ${details.statusDescription}` : ""}
                    </dd>
                  </div>
                </dl>
                ${
                  events.length
                    ? html`<ol class="events" aria-label="${text.events}">
                        ${[...events]
                          .reverse()
                          .map(
                            (event) =>
                              html`<li><time datetime="${event.date}">${date(event.date)}</time>${event.description ?? event.code}</li>`,
                          )}
                      </ol>`
                    : ""
                }
              </div>`;
            })}
        </article>`,
      )}
    </section>`;
}

/** The product's name in this store, or its SKU for a product the store does not list. */
function titleOf(store: Store, sku: string): string {
  const lines = [store.cart, ...Object.values(store.altCarts)].flat();
  return lines.find((line) => line.sku === sku)?.title ?? sku;
}

/** One line, in the order the destination's post reads it (Japan: postal code first, largest unit first). */
function addressLine(store: Store, address: NonNullable<ProxyOrder["address"]>): string {
  const { name, addressLine1, addressLine2, city, stateOrRegion, postalCode, countryCode } = address;
  if (store.id === "jp") {
    return `〒${postalCode} ${[stateOrRegion, city, addressLine1, addressLine2].filter(Boolean).join("")} ${name}`;
  }
  return [name, addressLine1, addressLine2, city, stateOrRegion, postalCode, countryCode].filter(Boolean).join(", ");
}

function labelsFor(store: Store): Labels {
  return LABELS[store.lang] ?? EN;
}

const TIME_ZONES: Record<Store["id"], string> = {
  us: "America/Los_Angeles",
  jp: "Asia/Tokyo",
  eu: "Europe/Berlin",
};

function formatDate(store: Store, iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(store.locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: TIME_ZONES[store.id],
  }).format(date);
}

function formatRange(store: Store, start: string, end: string): string {
  const format = new Intl.DateTimeFormat(store.locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: TIME_ZONES[store.id],
  });
  return format.formatRange(new Date(start), new Date(end));
}

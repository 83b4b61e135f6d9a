// The order page: status on a timeline, shipments, packages and tracking. Its panel is re-fetched by
// /assets/order.js until the order reaches a final status.
import { html } from "hono/html";
import type { Store } from "../stores.ts";
import { type Html, layout } from "./layout.ts";

export interface OrderView {
  orderId: string;
  order?: Record<string, unknown>;
  packages?: { packageNumber: number; tracking?: Record<string, unknown> }[];
  error?: string;
  notFound?: boolean;
}

const STEPS = ["Received", "Planning", "Processing", "Complete"] as const;
const FINAL = new Set(["Complete", "CompletePartialled", "Unfulfillable", "Invalid", "Cancelled"]);

const LABELS: Record<string, Record<string, string>> = {
  en: {
    order: "Order",
    status: "Status",
    speed: "Delivery",
    window: "Delivery window",
    shipTo: "Ship to",
    shipments: "Shipments",
    noShipments: "Amazon has not shipped anything yet. This page refreshes as the order moves along.",
    package: "Package",
    carrier: "Carrier",
    tracking: "Tracking number",
    arrival: "Estimated arrival",
    events: "Tracking events",
    items: "Items",
    back: "Back to the store",
    notFound: "No such order",
    Hold: "On hold",
  },
  ja: {
    order: "ご注文",
    status: "ステータス",
    speed: "配送方法",
    window: "お届け時間帯",
    shipTo: "お届け先",
    shipments: "出荷",
    noShipments: "まだ出荷されていません。このページは注文の進行に合わせて更新されます。",
    package: "荷物",
    carrier: "配送業者",
    tracking: "お問い合わせ番号",
    arrival: "お届け予定",
    events: "配送状況",
    items: "商品",
    back: "ストアに戻る",
    notFound: "注文が見つかりません",
    Hold: "保留中",
  },
  de: {
    order: "Bestellung",
    status: "Status",
    speed: "Versand",
    window: "Lieferfenster",
    shipTo: "Lieferadresse",
    shipments: "Sendungen",
    noShipments: "Amazon hat noch nichts versendet. Diese Seite aktualisiert sich, während die Bestellung vorankommt.",
    package: "Paket",
    carrier: "Versanddienstleister",
    tracking: "Sendungsnummer",
    arrival: "Voraussichtliche Zustellung",
    events: "Sendungsverlauf",
    items: "Artikel",
    back: "Zurück zum Shop",
    notFound: "Bestellung nicht gefunden",
    Hold: "Zurückgehalten",
  },
};

export function orderPage(store: Store, view: OrderView): Html {
  const text = labels(store);
  const body = html`<div class="order-page">
    <p><a href="/${store.id}">← ${text.back}</a></p>
    <div
      id="order-live"
      data-panel="/orders/${encodeURIComponent(view.orderId)}/panel?store=${store.id}"
      aria-live="polite"
    >
      ${orderPanel(store, view)}
    </div>
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
  const text = labels(store);
  if (!view.order) {
    return html`<section class="card" data-final="true">
      <h1>${view.notFound ? text.notFound : text.order}</h1>
      <p class="alert" role="alert">${view.error ?? ""}</p>
    </section>`;
  }
  const order = view.order;
  const status = str(order.status) ?? "Received";
  const final = FINAL.has(status);
  const current = STEPS.indexOf(status as (typeof STEPS)[number]);
  const window = record(order.deliveryWindow);
  const address = record(order.address) ?? record(order.destinationAddress);
  const shipments = list(order.shipments);
  const items = list(order.items);
  const date = (iso: unknown) => formatDate(store, iso);
  return html`<section class="card order-head" data-status="${status}" data-final="${final ? "true" : "false"}">
      <h1>${text.order} <span class="order-id">${str(order.displayableOrderId) ?? view.orderId}</span></h1>
      <p class="status-line">
        ${text.status}: <strong class="badge badge-${status}" id="order-status">${text[status] ?? status}</strong>
      </p>
      <ol class="timeline" aria-label="${text.status}">
        ${STEPS.map(
          (step, index) =>
            html`<li class="${index < current || status === "Complete" ? "done" : index === current ? "current" : ""}">
              ${step}
            </li>`,
        )}
      </ol>
      <dl class="facts">
        <div><dt>${text.speed}</dt><dd id="order-speed">${str(order.speed) ?? str(order.shippingSpeedCategory) ?? ""}</dd></div>
        ${
          window
            ? html`<div><dt>${text.window}</dt><dd id="order-window">${date(window.start)} – ${date(window.end)}</dd></div>`
            : ""
        }
        ${
          address
            ? html`<div><dt>${text.shipTo}</dt><dd>${[address.name, address.line1 ?? address.addressLine1, address.city, address.stateOrRegion, address.postalCode, address.countryCode].filter(Boolean).join(", ")}</dd></div>`
            : ""
        }
        ${
          items.length
            ? html`<div><dt>${text.items}</dt><dd>${items.map((item) => `${str(item.sku) ?? str(item.sellerSku) ?? ""} × ${item.quantity ?? ""}`).join(", ")}</dd></div>`
            : ""
        }
      </dl>
    </section>
    <section class="card">
      <h2>${text.shipments}</h2>
      ${shipments.length === 0 && (view.packages ?? []).length === 0 ? html`<p class="hint">${text.noShipments}</p>` : ""}
      ${shipments.map(
        (shipment) => html`<article class="shipment">
          <h3>${str(shipment.id) ?? str(shipment.amazonShipmentId) ?? ""} <span class="badge">${str(shipment.status) ?? str(shipment.fulfillmentShipmentStatus) ?? ""}</span></h3>
          ${shipment.estimatedArrival ? html`<p>${text.arrival}: ${date(shipment.estimatedArrival)}</p>` : ""}
        </article>`,
      )}
      ${(view.packages ?? []).map(({ packageNumber, tracking }) => {
        const summary = findPackage(order, packageNumber);
        const events = list(tracking?.trackingEvents ?? tracking?.events);
        return html`<article class="package" data-package="${packageNumber}">
          <h3>${text.package} ${packageNumber}</h3>
          <dl class="facts">
            <div><dt>${text.carrier}</dt><dd>${str(tracking?.carrierCode) ?? str(summary?.carrierCode) ?? str(summary?.carrier) ?? ""}</dd></div>
            <div><dt>${text.tracking}</dt><dd class="tracking-number">${str(tracking?.trackingNumber) ?? str(summary?.trackingNumber) ?? ""}</dd></div>
            ${
              (tracking?.estimatedArrivalDate ?? summary?.estimatedArrival)
                ? html`<div><dt>${text.arrival}</dt><dd>${date(tracking?.estimatedArrivalDate ?? summary?.estimatedArrival)}</dd></div>`
                : ""
            }
          </dl>
          ${
            events.length
              ? html`<h4>${text.events}</h4>
                <ol class="events">
                  ${events.map(
                    (event) =>
                      html`<li><time>${date(event.eventDate ?? event.date)}</time> ${str(event.eventDescription) ?? str(event.description) ?? str(event.eventCode) ?? ""}</li>`,
                  )}
                </ol>`
              : ""
          }
        </article>`;
      })}
    </section>`;
}

function labels(store: Store): Record<string, string> {
  return (LABELS[store.lang] ?? LABELS.en) as Record<string, string>;
}

function formatDate(store: Store, iso: unknown): string {
  if (typeof iso !== "string") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(store.locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: TIME_ZONES[store.id],
  }).format(date);
}

const TIME_ZONES: Record<Store["id"], string> = {
  us: "America/Los_Angeles",
  jp: "Asia/Tokyo",
  eu: "Europe/Berlin",
};

function findPackage(order: Record<string, unknown>, packageNumber: number): Record<string, unknown> | undefined {
  const candidates = [...list(order.packages), ...list(order.shipments).flatMap((shipment) => list(shipment.packages))];
  return candidates.find((entry) => entry.packageNumber === packageNumber);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((entry) => entry && typeof entry === "object") : [];
}

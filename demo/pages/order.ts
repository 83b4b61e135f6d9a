// The order page: what the shopper bought and paid (from the merchant's side: the order read with the secret key,
// the shipping price recorded when it was placed), and <mcf-order-status> for where it stands, which follows the
// order through the proxy with the order's token.
import { html } from "hono/html";
import { formatWindow } from "../../widget/format.ts";
import type { Money, PackageTrackingView, OrderView as ProxyOrder } from "../../widget/types.ts";
import { currencyDigits, formatMoney, type Store, speedName, subtotal } from "../stores.ts";
import { type Html, layout } from "./layout.ts";

export type { ProxyOrder };
export type PackageTracking = PackageTrackingView;

/** What the merchant's server knows of an order it placed: the shopper's price for shipping, and the payment. */
export interface PlacedOrder {
  shipping?: Money;
  cashOnDelivery?: boolean;
}

export interface OrderView {
  orderId: string;
  order?: ProxyOrder;
  placed?: PlacedOrder;
  /** What <mcf-order-status> needs: the order's token, and the store's proxy and publishable key. */
  orderToken?: string;
  endpoint?: string;
  publishableKey?: string;
  error?: string;
  notFound?: boolean;
}

type Labels = typeof EN;
const EN = {
  order: "Order",
  speed: "Delivery",
  window: "Delivery window",
  shipTo: "Ship to",
  items: "Items",
  subtotal: "Subtotal",
  shipping: "Shipping",
  total: "Total",
  free: "Free",
  cod: "Cash on delivery: {amount} due when it arrives",
  tracking: "Delivery status",
  back: "Back to the store",
  notFound: "No such order",
};
const LABELS: Record<string, Labels> = {
  en: EN,
  ja: {
    order: "ご注文",
    speed: "配送方法",
    window: "お届け日時",
    shipTo: "お届け先",
    items: "商品",
    subtotal: "小計",
    shipping: "配送料",
    total: "合計",
    free: "無料",
    cod: "代金引換：お届け時に{amount}をお支払いください",
    tracking: "配送状況",
    back: "ストアに戻る",
    notFound: "注文が見つかりません",
  },
  de: {
    order: "Bestellung",
    speed: "Versand",
    window: "Lieferfenster",
    shipTo: "Lieferadresse",
    items: "Artikel",
    subtotal: "Zwischensumme",
    shipping: "Versand",
    total: "Gesamt",
    free: "Kostenlos",
    cod: "Nachnahme: {amount} bei Lieferung zu zahlen",
    tracking: "Lieferstatus",
    back: "Zurück zum Shop",
    notFound: "Bestellung nicht gefunden",
  },
};

export function orderPage(store: Store, view: OrderView, options: { skipAhead?: boolean } = {}): Html {
  const text = labelsFor(store);
  const order = view.order;
  const body = html`<div class="order-page">
    <p><a href="${store.path}">← ${text.back}</a></p>
    ${
      order
        ? html`${orderSummary(store, order, view.placed)}
          <section class="card" aria-labelledby="tracking-heading">
            <h2 id="tracking-heading">${text.tracking}</h2>
            <mcf-order-status
              id="order-tracking"
              order-id="${order.orderId}"
              order-token="${view.orderToken ?? ""}"
              locale="${store.locale}"
              ${view.endpoint ? html`endpoint="${view.endpoint}"` : ""}
              ${view.publishableKey ? html`publishable-key="${view.publishableKey}"` : ""}
            ></mcf-order-status>
          </section>`
        : html`<section class="card">
            <h1>${view.notFound ? text.notFound : text.order}</h1>
            <p class="alert" role="alert">${view.error ?? ""}</p>
          </section>`
    }
    ${
      options.skipAhead && order
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
    head: html`<script type="module" src="/order-status.js"></script>
      <script type="module" src="/assets/order.js"></script>`,
    body,
  });
}

/** The merchant's record: order number, speed and window, destination, lines and what the shopper pays. */
function orderSummary(store: Store, order: ProxyOrder, placed: PlacedOrder | undefined): Html {
  const text = labelsFor(store);
  const lines = order.items.map((item) => ({ ...lineOf(store, item.sku), quantity: item.quantity }));
  const goods = subtotal(store, lines);
  const shipping = placed?.shipping;
  const total = shipping
    ? (Number(goods) + Number(shipping.amount)).toFixed(currencyDigits(store.currency))
    : undefined;
  const address = order.address;
  return html`<section class="card order-head" data-status="${order.status}">
    <h1>${text.order} <span class="order-id">${order.displayableOrderId}</span></h1>
    <dl class="facts">
      <div>
        <dt>${text.speed}</dt>
        <dd id="order-speed" data-speed="${order.speed}">${speedName(store, order.speed)}</dd>
      </div>
      ${
        order.deliveryWindow
          ? html`<div>
              <dt>${text.window}</dt>
              <dd id="order-window" data-start="${order.deliveryWindow.start}" data-end="${order.deliveryWindow.end}">
                ${formatWindow(order.deliveryWindow, store.locale, order.timeZone ?? TIME_ZONES[store.id])}
              </dd>
            </div>`
          : ""
      }
      ${address ? html`<div><dt>${text.shipTo}</dt><dd>${addressLine(store, address)}</dd></div>` : ""}
      <div>
        <dt>${text.items}</dt>
        <dd>${lines.map((line) => `${line.title} × ${line.quantity}`).join(", ")}</dd>
      </div>
    </dl>
    <dl class="totals">
      <div><dt>${text.subtotal}</dt><dd id="order-subtotal">${formatMoney(store, goods)}</dd></div>
      ${
        shipping
          ? html`<div>
              <dt>${text.shipping}</dt>
              <dd id="order-shipping">${Number(shipping.amount) === 0 ? text.free : formatMoney(store, shipping.amount)}</dd>
            </div>
            <div class="grand"><dt>${text.total}</dt><dd id="order-total">${formatMoney(store, total!)}</dd></div>`
          : ""
      }
    </dl>
    ${
      placed?.cashOnDelivery && total
        ? html`<p class="hint" id="order-cod">${text.cod.replace("{amount}", formatMoney(store, total))}</p>`
        : ""
    }
  </section>`;
}

/** The product's name and price in this store; a product the store does not list reads as its SKU, priced 0. */
function lineOf(store: Store, sku: string): { sku: string; title: string; unitPrice: string } {
  const line = [store.cart, ...Object.values(store.altCarts)].flat().find((entry) => entry.sku === sku);
  return { sku, title: line?.title ?? sku, unitPrice: line?.unitPrice ?? "0" };
}

/** One line, in the order the destination's post reads it (Japan: postal code first, largest unit first). */
function addressLine(store: Store, address: NonNullable<ProxyOrder["address"]>): string {
  const { name, line1, line2, city, stateOrRegion, postalCode, countryCode } = address;
  if (store.id === "jp") {
    return `〒${postalCode} ${[stateOrRegion, city, line1, line2].filter(Boolean).join("")} ${name}`;
  }
  return [name, line1, line2, city, stateOrRegion, postalCode, countryCode].filter(Boolean).join(", ");
}

function labelsFor(store: Store): Labels {
  return LABELS[store.lang] ?? EN;
}

const TIME_ZONES: Record<Store["id"], string> = {
  us: "America/Los_Angeles",
  jp: "Asia/Tokyo",
  eu: "Europe/Berlin",
};

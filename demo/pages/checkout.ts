// A store's checkout page: cart summary, contact and shipping address form (standard autocomplete tokens), the
// <mcf-delivery-options> element bound to that form, payment, and "place order" in either flow.
import { html, raw } from "hono/html";
import type { AddressField, CartLine, CheckoutFlow, Store } from "../stores.ts";
import { formatMoney, speedName, subtotal } from "../stores.ts";
import { type Html, layout } from "./layout.ts";

export interface CheckoutPageOptions {
  store: Store;
  flow: CheckoutFlow;
  cart: CartLine[];
  cartName?: string;
  publishableKey: string;
  /** Order value from which Standard shipping is free, per the store's pricing rules (shown as a banner). */
  freeShippingOver?: string;
  /** The element's proxy endpoint; omitted, the element uses the origin of /widget.js. */
  endpoint?: string;
  /** Whether the store's Amazon API takes shipment e-mails on an order (see DemoStoreWiring.orderExtras). */
  orderExtras?: boolean;
  /** The cart's value signed by the store's proxy (the element sends it, for free shipping over a threshold). */
  cartValue?: string | undefined;
  /** One per rendering: a double submit of this form creates one order. */
  idempotencyKey: string;
  /** The order number this rendering will place (stays the same across a double submit). */
  orderNumber: string;
  /** Values to put back after a failed submission. */
  values?: Partial<Record<AddressField["name"], string>>;
  error?: { title: string; detail?: string };
}

export function checkoutPage(options: CheckoutPageOptions): Html {
  const { store, flow, cart, publishableKey, idempotencyKey, values = {}, error } = options;
  const text = store.text;
  const cartQuery = options.cartName ? `&cart=${encodeURIComponent(options.cartName)}` : "";
  const items = cart.map((line) => ({
    sku: line.sku,
    quantity: line.quantity,
    // A decimal string in the marketplace's currency, as the proxy's /v1/delivery-options takes it.
    declaredValue: line.unitPrice,
    // Shown by the element when Amazon cannot deliver the line; never sent to the proxy.
    title: line.title,
  }));
  const contactFields = store.fields.filter((field) => field.name === "email");
  const addressFields = store.fields.filter((field) => field.name !== "email");
  const body = html`
    <div class="checkout-grid">
      <form
        id="checkout"
        class="checkout-main"
        method="post"
        action="${store.path}/orders"
        data-flow="${flow}"
        data-store="${store.id}"
        data-path="${store.path}"
        data-notify="${options.orderExtras === false ? "false" : "true"}"
      >
        <div class="checkout-title">
          <h1>${text.checkout}</h1>
          <nav class="flow-switch" aria-label="${text.flowLabel}">
            <a href="${store.path}?flow=server${cartQuery}" aria-current="${flow === "server" ? "page" : "false"}"
              >${text.serverFlow}</a
            >
            <a href="${store.path}?flow=browser${cartQuery}" aria-current="${flow === "browser" ? "page" : "false"}"
              >${text.browserFlow}</a
            >
          </nav>
        </div>
        <p class="hint flow-hint">${flow === "browser" ? text.browserFlowHint : text.serverFlowHint}</p>
        ${
          error
            ? html`<div class="alert" role="alert" id="order-error">
              <strong>${error.title}</strong>${error.detail ? html`<p>${error.detail}</p>` : ""}
            </div>`
            : html`<div class="alert" role="alert" id="order-error" hidden></div>`
        }
        <input type="hidden" name="idempotencyKey" value="${idempotencyKey}" />
        <input type="hidden" name="orderNumber" value="${options.orderNumber}" />
        <input type="hidden" name="cart" value="${options.cartName ?? ""}" />

        <fieldset class="card">
          <legend>${text.contact}</legend>
          ${contactFields.map((field) => fieldHtml(field, values))}
        </fieldset>

        <fieldset class="card">
          <legend>${text.shippingAddress}</legend>
          <button type="button" class="link-button" data-sample-address="${JSON.stringify(store.sampleAddress)}">
            ${text.sampleAddress}
          </button>
          <div class="field-grid">${addressFields.map((field) => fieldHtml(field, values))}</div>
        </fieldset>

        <section class="card" aria-labelledby="delivery-heading">
          <h2 id="delivery-heading">${text.delivery}</h2>
          <mcf-delivery-options
            id="delivery"
            address-form="#checkout"
            name="quote"
            required
            flow="${flow}"
            locale="${store.locale}"
            marketplace-id="${store.marketplaceId}"
            country="${store.countryCode}"
            ${publishableKey ? html`publishable-key="${publishableKey}"` : ""}
            ${options.endpoint ? html`endpoint="${options.endpoint}"` : ""}
            ${options.cartValue ? html`cart-value="${options.cartValue}"` : ""}
          ></mcf-delivery-options>
          <script type="application/json" id="cart-items">
            ${raw(JSON.stringify(items).replaceAll("<", "\\u003c"))}
          </script>
        </section>

        <fieldset class="card">
          <legend>${text.payment}</legend>
          <label class="choice"
            ><input type="radio" name="payment" value="card" checked /> <span>${text.card}</span></label
          >
          ${
            // Cash on delivery collects item prices only the store's server may state: the browser flow cannot
            // order it (the proxy's browserFlow says so), so it is offered in the server flow only.
            store.cashOnDelivery && flow === "server"
              ? html`<label class="choice"
                  ><input type="radio" name="payment" value="cod" /> <span>${text.cod}</span></label
                >
                <p class="hint">${text.codNote}</p>`
              : ""
          }
        </fieldset>

        <button
          type="submit"
          class="place-order"
          data-busy-label="${text.placingOrder}"
          data-paying-label="${text.processingPayment}"
          data-failed-label="${text.orderFailed}"
        >${text.placeOrder}</button>
        <p class="status" id="checkout-status" role="status" aria-live="polite"></p>
      </form>

      <aside class="summary card" aria-labelledby="summary-heading">
        <h2 id="summary-heading">${text.orderSummary}</h2>
        ${
          options.freeShippingOver
            ? html`<p class="banner">${text.freeShippingBanner.replace("{speed}", speedName(store, "Standard")).replace("{amount}", formatMoney(store, options.freeShippingOver))}</p>`
            : ""
        }
        <ul class="cart">
          ${cart.map(
            (line) => html`<li class="cart-line" data-sku="${line.sku}">
              <span class="swatch" style="background:${line.swatch}" aria-hidden="true"></span>
              <span class="cart-text">
                <span class="cart-title">${line.title}</span>
                <span class="cart-detail">${line.detail} · ${text.quantity} ${line.quantity}</span>
              </span>
              <span class="cart-price">${formatMoney(store, (Number(line.unitPrice) * line.quantity).toString())}</span>
            </li>`,
          )}
        </ul>
        <dl class="totals" data-currency="${store.currency}" data-locale="${store.locale}" data-free="${text.free}"
          data-pending="${text.shippingPending}">
          <div><dt>${text.subtotal}</dt><dd id="subtotal" data-amount="${subtotal(store, cart)}">${formatMoney(store, subtotal(store, cart))}</dd></div>
          <div><dt>${text.shipping}</dt><dd id="shipping-amount">${text.shippingPending}</dd></div>
          <div class="grand"><dt>${text.total}</dt><dd id="total-amount">${formatMoney(store, subtotal(store, cart))}</dd></div>
        </dl>
      </aside>
    </div>`;
  return layout({
    title: `${text.checkout} · ${store.name}`,
    lang: store.lang,
    store,
    head: html`<script type="module" src="/widget.js"></script>
      <script type="module" src="/assets/checkout.js"></script>`,
    body,
  });
}

function fieldHtml(field: AddressField, values: Partial<Record<AddressField["name"], string>>): Html {
  const id = `field-${field.name}`;
  const value = values[field.name] ?? "";
  const control = field.options
    ? html`<select id="${id}" name="${field.name}" autocomplete="${field.autocomplete}" ${field.required ? "required" : ""}>
        ${field.options.length > 1 ? html`<option value=""></option>` : ""}
        ${field.options.map(
          (option) =>
            html`<option value="${option.value}" ${option.value === value ? "selected" : ""}>${option.label}</option>`,
        )}
      </select>`
    : html`<input
        id="${id}"
        name="${field.name}"
        type="${field.type ?? "text"}"
        autocomplete="${field.autocomplete}"
        value="${value}"
        ${field.inputmode ? html`inputmode="${field.inputmode}"` : ""}
        ${field.required ? "required" : ""}
      />`;
  return html`<div class="field${field.half ? " half" : ""}">
    <label for="${id}">${field.label}</label>
    ${control}
  </div>`;
}

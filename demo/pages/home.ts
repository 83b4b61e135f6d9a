// The demo's landing page: the three stores, the two flows, and where the API lives.
import { html } from "hono/html";
import { STORE_IDS, STORES } from "../stores.ts";
import { type Html, layout } from "./layout.ts";

const CART_LABELS: Record<string, string> = { soldout: "Out-of-stock cart" };

export function homePage(options: { publishableKey: string }): Html {
  const body = html`
    <section class="hero">
      <h1>Amazon delivery options at any checkout</h1>
      <p>
        Each store below embeds one script tag and one <code>&lt;mcf-delivery-options&gt;</code> element bound to its
        address form. The element asks the proxy on this server, which asks the local Amazon MCF sandbox.
      </p>
    </section>
    <ul class="store-list">
      ${STORE_IDS.map((id) => {
        const store = STORES[id];
        return html`<li class="card store-card store-${id}">
          <span class="brand-mark" aria-hidden="true"></span>
          <h2><a href="/${id}">${store.name}</a></h2>
          <p>${store.tagline}</p>
          <p class="meta">${store.countryCode} · ${store.locale} · ${store.currency}</p>
          <p class="links">
            <a href="/${id}">Server flow</a> · <a href="/${id}?flow=browser">Browser flow</a>
            ${Object.keys(store.altCarts).map((cart) => html` · <a href="/${id}?cart=${cart}">${CART_LABELS[cart] ?? cart}</a>`)}
          </p>
        </li>`;
      })}
    </ul>
    <section class="card api">
      <h2>Under the hood</h2>
      <ul>
        <li><a href="/widget.js">/widget.js</a>: the element bundle, served by the proxy</li>
        <li><a href="/openapi.json">/openapi.json</a>: the proxy's HTTP contract</li>
        <li><a href="/v1/health">/v1/health</a>: proxy and upstream status</li>
        <li>Publishable key: <code>${options.publishableKey || "(none: single-tenant)"}</code></li>
      </ul>
    </section>`;
  return layout({ title: "mcf-checkout demo", lang: "en", body });
}

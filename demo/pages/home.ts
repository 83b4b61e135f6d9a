// The demo's landing page: the three stores, the two flows, stores connected through /connect, and where the API
// lives.
import { html } from "hono/html";
import { STORE_IDS, STORES, type Store, type StoreId } from "../stores.ts";
import { type Html, layout } from "./layout.ts";

const CART_LABELS: Record<string, string> = { soldout: "Out-of-stock cart" };

export interface HomePageOptions {
  /** Each demo store's publishable key ("" when browsers call without one). */
  publishableKeys: Record<StoreId, string>;
  /** Stores merchants connected through /connect during this run. */
  connected?: { store: Store; publishableKey: string }[];
  /** Connector mode: the onboarding page. */
  connectPath?: string;
}

const storeCard = (store: Store, publishableKey: string, carts: boolean) => html`<li
  class="card store-card store-${store.id}"
>
  <span class="brand-mark" aria-hidden="true"></span>
  <h2><a href="${store.path}">${store.name}</a></h2>
  <p>${store.tagline}</p>
  <p class="meta">${store.countryCode} · ${store.locale} · ${store.currency}</p>
  <p class="links">
    <a href="${store.path}">Server flow</a> · <a href="${store.path}?flow=browser">Browser flow</a>
    ${carts ? Object.keys(store.altCarts).map((cart) => html` · <a href="${store.path}?cart=${cart}">${CART_LABELS[cart] ?? cart}</a>`) : ""}
  </p>
  <p class="meta">Publishable key <code>${publishableKey || "(none: single-tenant)"}</code></p>
</li>`;

export function homePage(options: HomePageOptions): Html {
  const connected = options.connected ?? [];
  const body = html`
    <section class="hero">
      <h1>Amazon delivery options at any checkout</h1>
      <p>
        Each store below embeds one script tag and one <code>&lt;mcf-delivery-options&gt;</code> element bound to its
        address form. The element asks the proxy on this server, which asks the local Amazon MCF sandbox.
      </p>
    </section>
    <ul class="store-list">
      ${STORE_IDS.map((id) => storeCard(STORES[id], options.publishableKeys[id], true))}
      ${connected.map(({ store, publishableKey }) => storeCard(store, publishableKey, false))}
    </ul>
    ${
      options.connectPath
        ? html`<section class="card api">
            <h2>Connect another store</h2>
            <p>
              One proxy serves every store here, each a tenant with its own keys, Amazon seller, pricing and origins.
              A merchant connects through <a href="${options.connectPath}">${options.connectPath}</a>: Amazon's
              consent page (the sandbox's), then the keys, the script tag and a store page of its own.
            </p>
          </section>`
        : ""
    }
    <section class="card api">
      <h2>Under the hood</h2>
      <ul>
        <li><a href="/widget.js">/widget.js</a>: the element bundle, served by the proxy</li>
        <li><a href="/openapi.json">/openapi.json</a>: the proxy's HTTP contract</li>
        <li><a href="/v1/health">/v1/health</a>: proxy and upstream status</li>
      </ul>
    </section>`;
  return layout({ title: "mcf-checkout demo", lang: "en", body });
}

// The page shell every demo page shares: head, store header, footer note.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Store } from "../stores.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface LayoutOptions {
  title: string;
  lang: string;
  /** Store whose brand, accent and footer note the page wears; none for the demo's own pages. */
  store?: Store;
  /** Extra tags for the head: scripts, preloads. */
  head?: Html;
  body: Html;
}

/** A rounded square in the demo's green, inline so no page asks for /favicon.ico. */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='4' fill='%231f5f4a'/%3E%3C/svg%3E";

export function layout({ title, lang, store, head, body }: LayoutOptions): Html {
  return html`<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="stylesheet" href="/assets/store.css" />
    <link rel="icon" href="${FAVICON}" />
    ${head ?? ""}
  </head>
  <body class="${store ? `store store-${store.id}` : "demo"}">
    <header class="site-header">
      <div class="wrap">
        <a class="brand" href="${store ? store.path : "/"}">
          <span class="brand-mark" aria-hidden="true"></span>
          <span class="brand-name">${store ? store.name : "mcf-checkout"}</span>
        </a>
        <span class="tagline">${store ? store.tagline : "Amazon Multi-Channel Fulfillment at any checkout"}</span>
        ${store ? html`<a class="demo-home" href="/">${store.text.allStores}</a>` : ""}
      </div>
    </header>
    <main class="wrap">${body}</main>
    <footer class="site-footer">
      <div class="wrap">
        ${store ? store.text.demoNote : "A local demo: sandbox, proxy and element running on your machine."}
      </div>
    </footer>
  </body>
</html>`;
}

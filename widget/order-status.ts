import { html, nothing } from "lit/html.js";
import { carrierName } from "./carriers.ts";
import { fetchOrder, fetchTracking, ProblemError } from "./client.ts";
import { formatDays, formatMoment, formatWindow } from "./format.ts";
import { localeOf } from "./locale.ts";
import {
  arrivalRange,
  deliveredAt,
  eventWords,
  isSettled,
  latestFirst,
  nextDelay,
  orderProgress,
  type Progress,
  STEPS,
} from "./order-progress.ts";
import { type OrderStrings, orderCatalogs, orderEnglish } from "./order-status.strings.ts";
import { styles } from "./order-status.styles.ts";
import { type PropertyOptions, ReactiveElement } from "./reactive-element.ts";
import { catalogFor, fill, type Strings, stringsFor } from "./strings.ts";
import type { OrderView, PackageTrackingView } from "./types.ts";

const scriptOrigin = new URL(import.meta.url).origin;

/**
 * `<mcf-order-status>`: where an Amazon MCF order stands, for the confirmation page and the shopper's account
 * page: its status in shopper terms on a row of steps, the speed and delivery window, and each package with its
 * carrier, tracking number (linked to the carrier's page when known), tracking events and delivered time. It
 * refreshes while the order moves, backing off while nothing changes and not while the page is hidden, and stops once
 * the order is delivered or cancelled.
 *
 * @summary An order's status and tracking from the mcf-checkout proxy, with the order's token.
 *
 * @attr {string} endpoint - Proxy origin. Default: the origin this script was loaded from.
 * @attr {string} order-id - The order (`orderId` of `confirm()`'s answer or of your server's `POST /v1/orders`).
 * @attr {string} order-token - Its `orderToken`, sent as `X-Order-Token`; your server may hand it to the page.
 * @attr {string} publishable-key - Browser key sent as `Authorization: Bearer …` (omit when the proxy has none).
 * @attr {string} locale - BCP 47 language tag; default: the closest `lang` attribute, then the browser's language.
 * @attr {string} status - (reflected, read-only) `idle`, `loading`, `ready` or `error`, for styling.
 *
 * @prop {Partial<OrderStrings & Strings>} strings - Overrides of any displayed text (docs/element.md lists the keys).
 * @prop {number} interval - Milliseconds before the first refresh; doubles while nothing changes (at most 16×).
 *   Default 30000.
 * @prop {number} timeout - Milliseconds to wait for the proxy. Default 15000.
 * @prop {OrderView | undefined} order - (read-only) The order as last loaded.
 * @prop {(PackageTrackingView | undefined)[]} packages - (read-only) Each package's tracking, in the order's order.
 * @prop {"received" | "held" | "preparing" | "shipped" | "delivered" | "cancelled" | "problem" | undefined}
 *   progress - (read-only) Where the order stands for the shopper.
 *
 * @event mcf-order-status - The order loaded, or changed since last time. `detail`: `{order, packages, progress}`.
 * @event mcf-error - A call failed. `detail`: `{error: ProblemError, operation: "order-status", message}` with
 *   `message` in the shopper's words.
 *
 * @csspart base - The wrapper around everything.
 * @csspart status - The status line ("Shipped · in transit").
 * @csspart steps - The row of steps; each is `step`, plus `step-done` or `step-current`.
 * @csspart speed - The speed, and the delivery window or estimated arrival.
 * @csspart package - Each package; `package-label` its name ("Package 1").
 * @csspart carrier - The carrier and tracking number; `tracking` is the number (a link when the carrier's page is
 *   known).
 * @csspart delivered - The delivered time.
 * @csspart events - The tracking events, latest first; each is `event`.
 * @csspart message - The loading and empty texts.
 * @csspart error - The error box; `retry` its Retry button.
 *
 * @cssprop --mcf-font - Font shorthand. Default: inherited.
 * @cssprop --mcf-color-text - Text colour.
 * @cssprop --mcf-color-muted - Secondary text (dates, notes, steps not reached).
 * @cssprop --mcf-color-background - Package background.
 * @cssprop --mcf-color-border - Borders and steps not reached.
 * @cssprop --mcf-color-accent - Steps reached, links, Retry.
 * @cssprop --mcf-color-error - Error text.
 * @cssprop --mcf-color-focus - Focus ring. Default: the accent.
 * @cssprop --mcf-radius - Corner radius. Default 8px.
 * @cssprop --mcf-spacing - Spacing unit. Default 12px.
 *
 * @method refresh - `refresh(): Promise<void>` loads the order again now.
 *
 * No slots. Events bubble and are composed.
 */
export class McfOrderStatus extends ReactiveElement {
  static override styles = styles;
  static override properties: Record<string, PropertyOptions> = {
    endpoint: {},
    orderId: { attribute: "order-id" },
    orderToken: { attribute: "order-token" },
    publishableKey: { attribute: "publishable-key" },
    locale: {},
    strings: { attribute: false },
    status: { reflect: true },
    _order: { state: true },
    _packages: { state: true },
    _failure: { state: true },
  };

  declare endpoint: string;
  declare orderId?: string;
  declare orderToken?: string;
  declare publishableKey?: string;
  declare locale?: string;
  declare strings?: Partial<OrderStrings & Strings>;
  declare status: "idle" | "loading" | "ready" | "error";
  declare _order?: OrderView;
  declare _packages: (PackageTrackingView | undefined)[];
  /** Why nothing can be shown: the order is not found (or not this token's), or the proxy failed. */
  declare _failure?: "notFound" | "failed";

  interval = 30_000;
  timeout = 15_000;

  #key?: string;
  #controller?: AbortController;
  #timer?: ReturnType<typeof setTimeout>;
  #delay?: number;
  #seen?: string;

  constructor() {
    super();
    this.endpoint = scriptOrigin;
    this.status = "idle";
    this._packages = [];
  }

  get order() {
    return this._order;
  }

  get packages() {
    return this._packages;
  }

  get progress(): Progress | undefined {
    return this._order && orderProgress(this._order, this._packages);
  }

  refresh() {
    return this.#load();
  }

  disconnectedCallback() {
    // Nothing refreshes off the page; coming back loads again.
    this.#stop();
    this.#key = undefined;
  }

  protected override willUpdate() {
    const key = this.orderId && this.orderToken ? `${this.orderId} ${this.orderToken}` : undefined;
    if (key === this.#key) return;
    this.#key = key;
    this.#stop();
    this._order = this._failure = this.#delay = this.#seen = undefined;
    this._packages = [];
    this.status = key ? "loading" : "idle";
    if (key) this.#load();
  }

  #stop() {
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  get #endpoint() {
    return this.endpoint.replace(/\/$/, "");
  }

  #strings() {
    const lang = localeOf(this);
    return { ...stringsFor(lang), ...catalogFor(lang, orderEnglish, orderCatalogs), ...this.strings };
  }

  async #load() {
    const { orderId, orderToken } = this;
    if (!orderId || !orderToken) return;
    this.#stop();
    const controller = new AbortController();
    this.#controller = controller;
    const call = [this.#endpoint, this.publishableKey, orderId, orderToken] as const;
    let changed = false;
    try {
      const order = await fetchOrder(...call, controller.signal, this.timeout);
      // A package whose tracking cannot be read still shows what the order knows of it.
      const packages = await Promise.all(
        order.packages.map((entry) =>
          fetchTracking(...call, entry.packageNumber, controller.signal, this.timeout).catch(() => undefined),
        ),
      );
      if (controller.signal.aborted) return;
      this._order = order;
      this._packages = packages;
      this._failure = undefined;
      this.status = "ready";
      const seen = JSON.stringify([order, packages]);
      changed = seen !== this.#seen;
      this.#seen = seen;
      const progress = orderProgress(order, packages);
      if (changed) this.emit("mcf-order-status", { order, packages, progress });
      if (isSettled(progress)) return;
    } catch (error) {
      if (controller.signal.aborted) return;
      const problem = error instanceof ProblemError ? error : new ProblemError({ title: String(error), status: 0 });
      const gone = [401, 403, 404].includes(problem.status);
      if (!this._order || gone) {
        this._order = undefined;
        this._failure = gone ? "notFound" : "failed";
        this.status = "error";
      }
      if (problem.status) console.error(`mcf-checkout: ${problem.status} ${problem.title}: ${problem.detail}`);
      this.emit("mcf-error", {
        error,
        operation: "order-status",
        message: this.#strings()[this._failure ?? "failed"],
      });
      if (gone) return;
    }
    this.#delay = nextDelay(this.#delay, this.interval, changed);
    this.#timer = setTimeout(() => this.#loadWhenVisible(), this.#delay);
  }

  /** A hidden tab asks the proxy nothing; it looks again as soon as it is shown. */
  #loadWhenVisible() {
    if (!document.hidden) return this.#load();
    document.addEventListener("visibilitychange", () => this.isConnected && this.#load(), { once: true });
  }

  protected override render() {
    const strings = this.#strings();
    const order = this._order;
    const progress = this.progress;
    return html`<div class="sr" role="status">${progress ? strings[progress] : ""}</div>
      <div part="base" aria-busy=${this.status === "loading"}>${
        this.status === "error"
          ? html`<div part="error"><p>${strings[this._failure!]}</p>${
              this._failure === "failed"
                ? html`<button part="retry" @click=${() => this.refresh()}>${strings.retry}</button>`
                : nothing
            }</div>`
          : order && progress
            ? this.#renderOrder(order, progress, strings)
            : html`<p part="message">${this.status === "loading" ? strings.loading : ""}</p>`
      }</div>`;
  }

  #renderOrder(order: OrderView, progress: Progress, strings: OrderStrings & Strings) {
    const lang = localeOf(this);
    // On Hold the order waits at its first step; cancelled and undeliverable orders leave the steps.
    const current = STEPS.indexOf(progress === "held" ? "received" : (progress as (typeof STEPS)[number]));
    const window = order.deliveryWindow;
    // Dates read in the marketplace's time zone wherever the shopper is, as the checkout promised them.
    const zone = order.timeZone;
    // The order's arrival range, worded as checkout words an option's ("Arrives Thu, Dec 10 – Mon, Dec 14").
    const arrival = formatDays(arrivalRange(order, this._packages), lang, zone);
    return html`<p part="status">${strings[progress]}</p>
      ${
        current < 0
          ? nothing
          : html`<ol part="steps" aria-label=${strings.label}>${STEPS.map(
              (step, index) =>
                html`<li part=${index < current ? "step step-done" : index === current ? "step step-current" : "step"}
                  aria-current=${index === current ? "step" : nothing}>${strings[step]}</li>`,
            )}</ol>`
      }
      <p part="speed">${strings[order.speed]}${
        window
          ? ` · ${formatWindow(window, lang, zone)}`
          : arrival && progress !== "delivered"
            ? ` · ${fill(strings.arrives, arrival)}`
            : ""
      }</p>
      ${order.packages.map((entry, index) => {
        const tracking = this._packages[index];
        const number = tracking?.trackingNumber ?? entry.trackingNumber;
        const link = tracking?.trackingUrl;
        const delivered = deliveredAt(tracking);
        const events = latestFirst(tracking);
        // Packages count from 1 within the order, whatever Amazon's package numbers are.
        const label = fill(strings.pkg, index + 1);
        return html`<section part="package" aria-label=${label}>
          <p part="package-label">${label}</p>
          <p part="carrier">${carrierName(tracking?.carrierCode ?? entry.carrierCode, lang)}${
            number
              ? html` · ${strings.tracking}: ${
                  link
                    ? html`<a part="tracking" href=${link}>${number}</a>`
                    : html`<span part="tracking">${number}</span>`
                }`
              : nothing
          }</p>
          ${delivered ? html`<p part="delivered">${fill(strings.deliveredAt, formatMoment(delivered, lang, zone))}</p>` : nothing}
          ${
            events.length
              ? html`<ol part="events" aria-label=${strings.history}>${events.map((event) => {
                  const words = eventWords(event.code);
                  const place = [event.location?.city, event.location?.country].filter(Boolean).join(", ");
                  const what = `${words ? strings[words] : event.description}${place ? ` · ${place}` : ""}`;
                  return html`<li part="event"><time datetime=${event.date}>${formatMoment(event.date, lang, zone)}</time> ${what}</li>`;
                })}</ol>`
              : html`<p class="note">${strings.noEvents}</p>`
          }
        </section>`;
      })}`;
  }
}

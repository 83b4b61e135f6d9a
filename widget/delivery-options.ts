import { html, nothing } from "lit/html.js";
import { followAddressFields } from "./address-form.ts";
import { createOrder, fetchDeliveryOptions, ProblemError } from "./client.ts";
import { styles } from "./delivery-options.styles.ts";
import {
  formatDay,
  formatDays,
  formatHours,
  formatPrice,
  offeredOptions,
  timeZoneFor,
  windowsByDay,
} from "./format.ts";
import { localeOf } from "./locale.ts";
import { isOrderable, isPostalCode } from "./postal-codes.ts";
import { shopperWords } from "./problems.ts";
import { type PropertyOptions, ReactiveElement } from "./reactive-element.ts";
import { fill, isStockReason, reasonText, type Strings, stringsFor } from "./strings.ts";
import type {
  Address,
  DeliveryOption,
  DeliveryOptionsRequest,
  DeliveryOptionsResponse,
  DeliveryWindow,
  Item,
  OrderDetails,
  OrderResponse,
  SelectedOption,
  Speed,
} from "./types.ts";

export type Status = "idle" | "loading" | "ready" | "empty" | "error" | "invalid";

/** What the inputs ask the proxy for, or the strings key of why nothing can be asked yet. */
type Ask = DeliveryOptionsRequest | "idle" | "emptyCart" | "badPostal" | "tooLarge";

const scriptOrigin = new URL(import.meta.url).origin;

/** Identifies a choice across reloads (quotes change, speed and window do not). */
const choiceKey = (option: DeliveryOption, window?: DeliveryWindow) => `${option.speed} ${window?.start ?? ""}`;

/**
 * `<mcf-delivery-options>`: the Amazon Multi-Channel Fulfillment delivery speeds for a cart and a shipping address,
 * as an accessible radio group that is a native form control whose value is the chosen option's signed quote.
 *
 * @summary Delivery options at checkout, priced and dated by Amazon MCF through the mcf-checkout proxy.
 *
 * @attr {string} endpoint - Proxy origin. Default: the origin `widget.js` was loaded from.
 * @attr {string} publishable-key - Browser key sent as `Authorization: Bearer …` (omit when the proxy has none).
 * @attr {string} marketplace-id - Amazon marketplace id; default: the proxy's `MCF_MARKETPLACE_ID`.
 * @attr {string} country - Destination ISO country code (`US`, `JP`, …).
 * @attr {string} postal-code - Destination postal code.
 * @attr {string} state - Destination state, prefecture or region.
 * @attr {string} city - Destination city.
 * @attr {string} speeds - Speeds to ask for, comma or space separated: `Standard Expedited Priority ScheduledDelivery`.
 * @attr {string} locale - BCP 47 language tag; default: the closest `lang` attribute, then the browser's language.
 * @attr {string} name - Form field name under which the chosen quote is submitted.
 * @attr {boolean} required - The form cannot be submitted without a choice.
 * @attr {boolean} disabled - No choice can be made (native: also when inside a disabled `<fieldset>`).
 * @attr {boolean} cash-on-delivery - The shopper pays cash on delivery (Japan); asks for COD-capable options.
 * @attr {string} cart-value - The cart's value signed by the merchant's server (`POST /v1/cart-values`): free
 *   shipping over a threshold applies only with it, since declared values come from the browser.
 * @attr {string} flow - `server` (the form posts the value to your server) or `browser` (`confirm()` orders): in the
 *   browser flow, options the proxy's `browserFlow` says `confirm()` cannot place read "Not available on this site"
 *   and cannot be chosen. Default: `server` inside a form, `browser` outside one.
 * @attr {string} address-form - Selector of a form (or any container) whose fields' `autocomplete` tokens
 *   (`shipping country`, `shipping postal-code`, `shipping address-level1`, `shipping address-level2`,
 *   `shipping address-line1`…`3`, `street-address`, `name`, `tel`) supply the address, followed on input and change.
 * @attr {string} items - JSON alternative to the `items` property.
 * @attr {string} address - JSON alternative to the `address` property.
 * @attr {string} status - (reflected, read-only) `idle`, `loading`, `ready`, `empty`, `invalid` or `error`, for
 *   styling.
 *
 * @prop {Item[]} items - Cart lines `{sku, quantity, declaredValue?, title?}`; `title` is only displayed.
 * @prop {Partial<Address>} address - Address base; attributes and `address-form` fields override its fields.
 * @prop {Partial<Strings>} strings - Overrides of any displayed text (see docs/element.md for the keys).
 * @prop {number} debounce - Milliseconds of quiet before inputs trigger a request. Default 250.
 * @prop {number} timeout - Milliseconds to wait for options before showing the error and Retry. Default 15000.
 * @prop {string} value - (read-only) The chosen quote; `""` when none, and while new options load.
 * @prop {SelectedOption | undefined} selected - (read-only) The chosen option; for Scheduled Delivery its `quote` and
 *   `deliveryWindow` are the chosen window's.
 * @prop {DeliveryOption[]} options - (read-only) The options on offer, slowest first: fulfillable, and COD-capable
 *   exactly when `cash-on-delivery` is set.
 * @prop {"idle" | "loading" | "ready" | "empty" | "invalid" | "error"} status - (read-only) What the element
 *   shows (`invalid`: a postal code not of the country's form, or a cart over Amazon's limits); also reflected to the
 *   `status` attribute for styling.
 * @prop {HTMLFormElement | null} form - (read-only) The owning form.
 * @prop {ValidityState} validity - (read-only) Native validity: `valueMissing` when required and nothing is chosen,
 *   `patternMismatch` for a bad postal code, `rangeOverflow` for a cart over Amazon's limits. Whatever blocks the
 *   form, the browser focuses a visible message or tab stop inside the element that says what to do.
 * @prop {string} validationMessage - (read-only)
 *
 * @event mcf-ready - The element is defined and rendered once. `detail`: `null`.
 * @event mcf-options - Options arrived. `detail`: the `DeliveryOptionsResponse` with `options` as offered (see
 *   `options`).
 * @event mcf-change - The choice changed (shopper action, or a reload re-priced the same choice). `detail`: the
 *   `SelectedOption`, or `null` when the previous choice is no longer offered.
 * @event mcf-invalid - The postal code is not of the country's form, or the cart is over Amazon's limits (checked
 *   before asking, or said by the proxy). `detail`: `{field: "postalCode" | "items", message}`, to mark your field.
 * @event mcf-error - A proxy call failed. `detail`: `{error: ProblemError, operation: "options" | "order", message}`
 *   with `message` in the shopper's words (show it, not `error.detail`, which goes to the console).
 * @event mcf-order - `confirm()` created an order. `detail`: the 201 body `{orderId, status, action, speed,
 *   deliveryWindow?, price, orderToken, orderTokenExpiresAt}`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart group - The radio group.
 * @csspart option - Each option; `option-checked` is added to the chosen one.
 * @csspart radio - The round indicator in an option.
 * @csspart label - The speed name.
 * @csspart estimate - The "Estimate" badge on options from stale or fallback data.
 * @csspart arrival - The arrival dates.
 * @csspart unorderable - "Not available on this site", on options the browser flow cannot order.
 * @csspart price - The price ("Free" at zero).
 * @csspart scheduled - The Scheduled Delivery picker: `days`, a radio group of the days, then `windows`, the chosen
 *   day's windows; each choice is `day` or `window`, plus `day-checked` or `window-checked`.
 * @csspart cod-note - The cash-on-delivery note (Japan).
 * @csspart unfulfillable - The list of items that cannot be delivered, with reasons.
 * @csspart message - The idle, invalid and empty messages.
 * @csspart error - The error message box.
 * @csspart retry - The Retry button in the error box.
 * @csspart skeleton - Each placeholder row while loading.
 *
 * @cssprop --mcf-font - Font shorthand. Default: inherited.
 * @cssprop --mcf-color-text - Text colour.
 * @cssprop --mcf-color-muted - Secondary text (dates, notes).
 * @cssprop --mcf-color-background - Option background.
 * @cssprop --mcf-color-border - Borders, the unchecked indicator and the loading placeholders.
 * @cssprop --mcf-color-accent - Checked option, Retry button.
 * @cssprop --mcf-color-error - Error text.
 * @cssprop --mcf-color-focus - Focus ring. Default: the accent.
 * @cssprop --mcf-radius - Corner radius. Default 8px.
 * @cssprop --mcf-spacing - Spacing unit. Default 12px.
 *
 * @method refresh - `refresh(): Promise<void>` asks the proxy again now, skipping the debounce.
 * @method confirm - `confirm(details?: OrderDetails): Promise<OrderResponse>` creates the order for the chosen quote
 *   (`POST /v1/orders`, publishable key; the proxy holds it until your server ships). `details` may carry `address`
 *   (full, defaults to the element's), `items` (default: the element's), `displayableOrderId`, `comment`,
 *   `notificationEmails`, `policy`. Resolves with the order and dispatches `mcf-order`; rejects with a
 *   `ProblemError` and dispatches `mcf-error` (with nothing chosen, after focusing the group).
 * @method checkValidity - Native.
 * @method reportValidity - Native; when invalid also focuses the group.
 * @method focus - Focuses the group's tab stop.
 *
 * No slots. Events bubble and are composed.
 */
export class McfDeliveryOptions extends ReactiveElement {
  static formAssociated = true;
  static override styles = styles;
  static override properties: Record<string, PropertyOptions> = {
    endpoint: {},
    publishableKey: { attribute: "publishable-key" },
    marketplaceId: { attribute: "marketplace-id" },
    country: {},
    postalCode: { attribute: "postal-code" },
    state: {},
    city: {},
    speeds: {},
    locale: {},
    name: { reflect: true },
    required: { type: Boolean, reflect: true },
    cashOnDelivery: { type: Boolean, attribute: "cash-on-delivery" },
    cartValue: { attribute: "cart-value" },
    flow: {},
    addressForm: { attribute: "address-form" },
    items: { type: Array },
    address: { type: Object },
    strings: { attribute: false },
    status: { reflect: true },
    _response: { state: true },
    _choice: { state: true },
    _formAddress: { state: true },
    _message: { state: true },
  };

  declare endpoint: string;
  declare publishableKey?: string;
  declare marketplaceId?: string;
  declare country?: string;
  declare postalCode?: string;
  declare state?: string;
  declare city?: string;
  declare speeds?: string;
  declare locale?: string;
  declare name: string;
  declare required: boolean;
  declare cashOnDelivery: boolean;
  declare cartValue?: string;
  declare flow?: "server" | "browser";
  declare addressForm?: string;
  declare items: Item[];
  declare address?: Partial<Address>;
  declare strings?: Partial<Strings>;
  /** Read-only for users: set by the element. */
  declare status: Status;
  declare _response?: DeliveryOptionsResponse;
  declare _choice?: { option: DeliveryOption; window?: DeliveryWindow };
  declare _formAddress?: Partial<Address>;
  /** The strings key of the message shown in the idle, invalid, empty and error states. */
  declare _message: keyof Strings;

  /** Quiet milliseconds before a request. */
  debounce = 250;
  /** Milliseconds to wait for options before showing the error. */
  timeout = 15_000;

  #internals = this.attachInternals();
  #controller?: AbortController;
  #timer?: ReturnType<typeof setTimeout>;
  #requestKey?: string;
  #wantedKey?: string;
  /** The start of the last Scheduled Delivery window chosen, chosen again when the shopper comes back to it. */
  #windowStart?: string;
  #retry = false;
  #formDisabled = false;
  #unfollowForm?: () => void;
  #followedForm?: string;
  #orderBody?: string;
  #idempotencyKey?: string;

  constructor() {
    super();
    this.endpoint = scriptOrigin;
    this.items = [];
    this.required = false;
    this.cashOnDelivery = false;
    this.status = "idle";
    this._message = "idle";
  }

  get options(): DeliveryOption[] {
    return this._response?.options ?? [];
  }

  get selected(): SelectedOption | undefined {
    // While new options load, the old choice is kept (to choose it again) but is no longer a valid value.
    const choice = this.status === "ready" ? this._choice : undefined;
    return (
      choice && { ...choice.option, quote: choice.window?.quote ?? choice.option.quote, deliveryWindow: choice.window }
    );
  }

  get value() {
    return this.selected?.quote ?? "";
  }

  get form() {
    return this.#internals.form;
  }
  get validity() {
    return this.#internals.validity;
  }
  get validationMessage() {
    return this.#internals.validationMessage;
  }
  checkValidity() {
    return this.#internals.checkValidity();
  }
  reportValidity() {
    const valid = this.#internals.reportValidity();
    if (!valid) this.focus();
    return valid;
  }

  override focus(options?: FocusOptions) {
    this.#anchor().focus(options);
  }

  /** Asks the proxy again now, without waiting for the debounce. */
  refresh() {
    const ask = this.#ask();
    this.#requestKey = JSON.stringify(ask);
    return this.#load(ask);
  }

  async confirm(details: OrderDetails = {}): Promise<OrderResponse> {
    const quote = this.value;
    const body = {
      ...details,
      quote,
      address: details.address ?? this.#address(),
      items: details.items ?? this.items.map(({ sku, quantity }) => ({ sku, quantity })),
    };
    if (!quote) {
      const message = this.#strings().required;
      const error = new ProblemError({ title: "No delivery option chosen", status: 400, detail: message });
      this.focus();
      this.emit("mcf-error", { error, operation: "order", message });
      throw error;
    }
    try {
      // A retry of the same order reuses its idempotency key, so the proxy never creates it twice.
      const json = JSON.stringify(body);
      if (json !== this.#orderBody) this.#idempotencyKey = crypto.randomUUID?.();
      this.#orderBody = json;
      const order = await createOrder(this.#endpoint, this.publishableKey, body, this.#idempotencyKey);
      this.emit("mcf-order", order);
      return order;
    } catch (error) {
      // A quote that expired or no longer matches the cart is replaced by fresh options to choose from.
      if (this.#failed(error, "order").words === "changed") this.refresh();
      throw error;
    }
  }

  disconnectedCallback() {
    this.#unfollowForm?.();
    this.#followedForm = this.#unfollowForm = undefined;
    // Moving the element (e.g. into a form) keeps what it shows; an unfinished request is redone on return.
    if (this.status === "loading") {
      this.#cancel();
      this.#requestKey = undefined;
    }
  }

  formResetCallback() {
    this._choice = this.#wantedKey = this.#windowStart = undefined;
  }

  formStateRestoreCallback(state: string | File | FormData | null) {
    if (typeof state !== "string") return;
    const choice = this.#findChoice(state);
    if (choice) this.#choose(choice, false);
    else this.#wantedKey = state;
  }

  formDisabledCallback(disabled: boolean) {
    this.#formDisabled = disabled;
    this.requestUpdate();
  }

  protected override willUpdate() {
    if (this.addressForm !== this.#followedForm) this.#followForm();
    const ask = this.#ask();
    const key = JSON.stringify(ask);
    if (key === this.#requestKey) return;
    this.#requestKey = key;
    this.#cancel();
    if (ask === "idle" || ask === "emptyCart") this.#load(ask);
    else {
      this.status = "loading";
      this.#timer = setTimeout(() => this.#load(ask), this.debounce);
    }
  }

  protected override firstUpdated() {
    this.emit("mcf-ready", null);
  }

  protected override updated() {
    const strings = this.#strings();
    const status = this.status;
    const key = this._choice && choiceKey(this._choice.option, this._choice.window);
    this.#internals.setFormValue(this.value || null, key ?? null);
    // Every invalid state names what to do, anchored on something focusable that shows it, so the browser's
    // bubble and focus land inside the element even when no option can be chosen.
    const flags =
      status === "invalid"
        ? { [this._message === "badPostal" ? "patternMismatch" : "rangeOverflow"]: true }
        : this.required && !this.value
          ? { valueMissing: true }
          : {};
    const message =
      status === "ready" ? strings.required : status === "loading" ? strings.loading : strings[this._message];
    this.#internals.setValidity(flags, message, this.#anchor());
  }

  get #endpoint() {
    return this.endpoint.replace(/\/$/, "");
  }

  /** The `locale` attribute, else the closest `lang`, else the browser's language; read at each render. */
  get #lang() {
    return localeOf(this);
  }

  /** `browser` when orders are placed by `confirm()`: the `flow` attribute, else whether no form posts the value. */
  get #browserFlow() {
    return (this.flow ?? (this.form ? "server" : "browser")) === "browser";
  }

  #strings(): Strings {
    return { ...stringsFor(this.#lang), ...this.strings };
  }

  /** The group's tab stop, else the shown message, else the wrapper (while loading). */
  #anchor() {
    const root = this.renderRoot;
    return (root.querySelector<HTMLElement>("[tabindex='0'],p[tabindex]") ??
      root.querySelector<HTMLElement>("[part=base]") ??
      this) as HTMLElement;
  }

  #followForm() {
    this.#unfollowForm?.();
    this.#unfollowForm = undefined;
    this.#followedForm = this.addressForm;
    this._formAddress = undefined;
    if (!this.addressForm) return;
    const root = this.getRootNode() as ParentNode;
    const container = root.querySelector?.(this.addressForm);
    if (container) this.#unfollowForm = followAddressFields(container, (address) => (this._formAddress = address));
  }

  #address(): Address {
    const merged: Record<string, string | undefined> = {
      ...this.address,
      countryCode: this.country ?? this.address?.countryCode,
      postalCode: this.postalCode ?? this.address?.postalCode,
      stateOrRegion: this.state ?? this.address?.stateOrRegion,
      city: this.city ?? this.address?.city,
      ...this._formAddress,
    };
    for (const [key, value] of Object.entries(merged)) if (!value) delete merged[key];
    if (merged.countryCode) merged.countryCode = merged.countryCode.toUpperCase();
    return merged as unknown as Address;
  }

  #ask(): Ask {
    // A preview depends only on where the parcel goes, so typing a name or phone neither reloads nor leaks them.
    const { countryCode, postalCode, stateOrRegion, city, districtOrCounty } = this.#address();
    if (!countryCode || !postalCode) return "idle";
    if (!this.items?.length) return "emptyCart";
    if (!isPostalCode(countryCode, postalCode)) return "badPostal";
    if (!isOrderable(this.items)) return "tooLarge";
    return {
      marketplaceId: this.marketplaceId || undefined,
      cartValue: this.cartValue,
      items: this.items.map(({ sku, quantity, declaredValue }) => ({ sku, quantity, declaredValue })),
      address: { countryCode, postalCode, stateOrRegion, city, districtOrCounty },
      speeds: (this.speeds?.match(/\w+/g) as Speed[] | undefined) || undefined,
      // Amazon offers cash on delivery in Japan only; elsewhere the proxy would refuse the request.
      cashOnDelivery: (this.cashOnDelivery && countryCode === "JP") || undefined,
    };
  }

  /** Stops the pending or running options request. */
  #cancel() {
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  /** Shows `message` instead of options; a bad postal code or cart also tells the storefront which field it is. */
  #stop(status: Status, message: keyof Strings) {
    this._response = this._choice = undefined;
    this.status = status;
    this._message = message;
    if (status === "invalid") {
      const field = message === "badPostal" ? "postalCode" : "items";
      this.emit("mcf-invalid", { field, message: this.#strings()[message] });
    }
  }

  async #load(ask: Ask) {
    this.#cancel();
    if (typeof ask === "string") return this.#stop(ask === "idle" || ask === "emptyCart" ? "idle" : "invalid", ask);
    const controller = new AbortController();
    this.#controller = controller;
    this.status = "loading";
    const chosen = this._choice;
    const wanted = chosen ? choiceKey(chosen.option, chosen.window) : this.#wantedKey;
    const previous = (chosen?.window ?? chosen?.option)?.quote ?? "";
    try {
      const response = await fetchDeliveryOptions(
        this.#endpoint,
        this.publishableKey,
        ask,
        controller.signal,
        this.timeout,
      );
      if (controller.signal.aborted) return;
      this._response = { ...response, options: offeredOptions(response.options ?? [], !!ask.cashOnDelivery) };
      const unfulfillable = response.unfulfillable ?? [];
      const soldOut = unfulfillable.length > 0 && unfulfillable.every((item) => item.reasons.every(isStockReason));
      this._message = soldOut ? "soldOut" : "empty";
      this.status = this.options.length ? "ready" : "empty";
      this._choice = undefined;
      this.emit("mcf-options", this._response);
      if (wanted) this.#choose(this.#findChoice(wanted), true, previous);
    } catch (error) {
      if (controller.signal.aborted) return;
      const { words, retry } = this.#failed(error, "options");
      this.#retry = retry;
      this.#stop(words === "badPostal" || words === "tooLarge" ? "invalid" : "error", words);
    }
  }

  /**
   * Reports a failed call: the developer's detail (and, for a refused origin, the fix) to the console, the event
   * with the shopper's words for it.
   */
  #failed(error: unknown, operation: "options" | "order") {
    const problem = error instanceof ProblemError ? error : new ProblemError({ title: String(error), status: 0 });
    const words = shopperWords(problem);
    if (problem.type?.endsWith("/origin-not-allowed")) {
      console.error(`mcf-checkout: add ${location.origin} to MCF_ALLOWED_ORIGINS of the proxy ${this.#endpoint}`);
    } else if (problem.status) {
      console.error(`mcf-checkout: ${problem.status} ${problem.title}: ${problem.detail}`);
    }
    this.emit("mcf-error", { error, operation, message: this.#strings()[words.words] });
    return words;
  }

  /** Whether the chosen flow can order `option`: the browser flow only what the proxy says `confirm()` can place. */
  #orderable(option: DeliveryOption) {
    const browser = this._response?.browserFlow;
    return (
      !this.#browserFlow ||
      !browser ||
      (!!browser.action && browser.speeds.includes(option.speed) && (!option.cashOnDelivery || browser.cashOnDelivery))
    );
  }

  #findChoice(key: string | undefined) {
    for (const option of this.options.filter((option) => this.#orderable(option))) {
      for (const window of option.deliveryWindows ?? [undefined]) {
        if (choiceKey(option, window) === key) return { option, window };
      }
    }
    return undefined;
  }

  /**
   * Makes `choice` the selection and tells listeners when the value changed. Choosing Scheduled Delivery without a
   * window takes the window last chosen, else the earliest.
   */
  #choose(
    choice: { option: DeliveryOption; window?: DeliveryWindow } | undefined,
    notify = true,
    previous = this.value,
  ) {
    const windows = choice?.option.deliveryWindows;
    if (choice && !choice.window && windows?.length) {
      const ordered = windowsByDay(windows).flat();
      choice = { option: choice.option, window: ordered.find((w) => w.start === this.#windowStart) ?? ordered[0] };
    }
    if (choice?.window) this.#windowStart = choice.window.start;
    this._choice = choice;
    this.#wantedKey = undefined;
    if (notify && this.value !== previous) this.emit("mcf-change", this.selected ?? null);
  }

  /** Arrow keys move and select within a radio group (skipping unavailable choices), Space selects. */
  #onKey(event: KeyboardEvent) {
    const step = ({ ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 } as Record<string, number>)[event.key];
    const radio = (event.target as HTMLElement).closest<HTMLElement>('[role="radio"]');
    if (!radio || (!step && event.key !== " ")) return;
    event.preventDefault();
    const group = event.currentTarget as HTMLElement;
    const enabled = [...group.querySelectorAll<HTMLElement>('[role="radio"]:not([aria-disabled="true"])')];
    const index = enabled.indexOf(radio);
    const next = enabled[(index + (step ?? 0) + enabled.length) % enabled.length];
    if (!next || (index < 0 && !step)) return;
    next.click();
    this.updateComplete.then(() => next.focus());
  }

  protected override render() {
    const strings = this.#strings();
    const status = this.status;
    const message = strings[this._message];
    const announcement =
      status === "ready"
        ? fill(strings.count, this.options.length)
        : status === "loading"
          ? strings.loading
          : status === "idle"
            ? ""
            : message;
    const shown = html`<p part="message" tabindex="-1">${message}</p>`;
    // The live region stays outside the busy wrapper: screen readers hold back announcements from busy regions.
    return html`<div class="sr" role="status">${announcement}</div>
      <div part="base" tabindex="-1" aria-busy=${status === "loading"}>
      ${
        status === "idle" || status === "invalid"
          ? shown
          : status === "loading"
            ? html`<div class="list" aria-hidden="true">
              ${(this.options.length ? this.options : [0, 0, 0]).map(() => html`<div part="skeleton"></div>`)}
            </div>`
            : status === "error"
              ? html`<div part="error"><p tabindex="-1">${message}</p>${
                  this.#retry
                    ? html`<button part="retry" @click=${() => this.refresh()}>${strings.retry}</button>`
                    : nothing
                }</div>`
              : this.#renderResults(strings, shown)
      }
    </div>`;
  }

  #renderResults(strings: Strings, message: unknown) {
    const response = this._response!;
    const lang = this.#lang;
    const country = this.#address().countryCode ?? "";
    const estimate = response.source === "stale" || response.source === "fallback";
    const chosen = this._choice?.option;
    const chosenWindow = this._choice?.window;
    const inactive = this.#formDisabled;
    const orderable = this.options.map((option) => this.#orderable(option));
    const tabStop = chosen ? this.options.indexOf(chosen) : Math.max(0, orderable.indexOf(true));
    const reasons = [...new Set((response.reasons ?? []).map((code) => reasonText(code, strings)))];
    const titles = new Map(this.items.map((item) => [item.sku, item.title]));
    return html`
      ${
        this.status === "ready"
          ? html`<div role="radiogroup" part="group" class="list" aria-label=${strings.label}
            aria-required=${this.required} aria-disabled=${inactive} @keydown=${this.#onKey}>
            ${this.options.map((option, index) => {
              const checked = option === chosen;
              const disabled = inactive || !orderable[index];
              const arrival = formatDays(
                checked && chosenWindow ? { earliest: chosenWindow.start } : option.arrival,
                lang,
                timeZoneFor(option, country),
              );
              return html`<div role="radio" part=${checked ? "option option-checked" : "option"} aria-checked=${checked}
                tabindex=${index === tabStop && !inactive ? 0 : -1} aria-disabled=${disabled}
                @click=${() => disabled || this.#choose({ option })}>
                <span part="radio"></span>
                <span class="text">
                  <span><span part="label">${strings[option.speed]}</span>${
                    estimate ? html`<span part="estimate">${strings.estimate}</span>` : nothing
                  }</span>
                  ${arrival ? html`<span part="arrival">${fill(strings.arrives, arrival)}</span>` : nothing}
                  ${orderable[index] ? nothing : html`<span part="unorderable">${strings.unorderable}</span>`}
                </span>
                <span part="price">${formatPrice(option.price, lang, strings.free)}</span>
              </div>`;
            })}
          </div>
          ${this.#renderPicker(strings)}`
          : html`${message}${
              reasons.length
                ? html`<ul class="note">${reasons.map((reason) => html`<li>${reason}</li>`)}</ul>`
                : nothing
            }`
      }
      ${this.cashOnDelivery && country === "JP" ? html`<p part="cod-note" class="note">${strings.cod}</p>` : nothing}
      ${
        response.unfulfillable?.length
          ? html`<div part="unfulfillable" class="note">
            <p>${strings.unfulfillable}</p>
            <ul>
              ${response.unfulfillable.map(
                (item) =>
                  html`<li>${titles.get(item.sku) ?? item.sku} × ${item.quantity}: ${item.reasons
                    .map((code) => reasonText(code, strings))
                    .join(", ")}</li>`,
              )}
            </ul>
          </div>`
          : nothing
      }`;
  }

  /** Scheduled Delivery: the days as a row of radios, the chosen day's windows below, each group one tab stop. */
  #renderPicker(strings: Strings) {
    const { option, window: chosen } = this._choice ?? {};
    if (!option?.deliveryWindows?.length || !chosen) return nothing;
    const lang = this.#lang;
    const zone = timeZoneFor(option, "JP");
    const days = windowsByDay(option.deliveryWindows, zone);
    const today = days.find((day) => day.some((window) => window.start === chosen.start)) ?? days[0]!;
    const inactive = this.#formDisabled;
    const radio = (part: string, checked: boolean, label: string, window: DeliveryWindow) =>
      html`<div role="radio" part=${checked ? `${part} ${part}-checked` : part} aria-checked=${checked}
        tabindex=${checked && !inactive ? 0 : -1} aria-disabled=${inactive}
        @click=${() => inactive || this.#choose({ option, window })}>${label}</div>`;
    return html`<div part="scheduled">
      <div role="radiogroup" part="days" aria-label=${strings.day} @keydown=${this.#onKey}>
        ${days.map((day) => radio("day", day === today, formatDay(day[0]!, lang, zone), day[0]!))}
      </div>
      <div role="radiogroup" part="windows" aria-label=${strings.window} @keydown=${this.#onKey}>
        ${today.map((window) => radio("window", window.start === chosen.start, formatHours(window, lang, zone), window))}
      </div>
    </div>`;
  }
}

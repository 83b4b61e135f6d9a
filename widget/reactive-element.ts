// The reactive custom element both elements build on: Lit's property, attribute and update lifecycle for what they
// use (string, Boolean and JSON attributes, reflection, state, batched renders through lit-html, updateComplete),
// without Lit's ReactiveElement, whose 2.7 KiB gzip the 12 KiB budget of widget.js cannot carry.
import { render, type TemplateResult } from "lit/html.js";

export interface PropertyOptions {
  /** The attribute's name (default: the property's), or false for none. */
  attribute?: string | false;
  type?: typeof Boolean | typeof Array | typeof Object;
  reflect?: boolean;
  /** Internal state: rendered, never an attribute. */
  state?: boolean;
}

export class ReactiveElement extends HTMLElement {
  declare static properties: Record<string, PropertyOptions>;
  declare static styles: CSSStyleSheet;
  /** attribute name → property name, set when the class is defined. */
  declare static attributeMap: Map<string, string>;

  /** attribute → property, and each property's accessor on the prototype, made once per class. */
  static get observedAttributes() {
    // biome-ignore lint/complexity/noThisInStatic: the class being defined, a subclass, not ReactiveElement.
    return finalize(this);
  }

  readonly renderRoot = this.attachShadow({ mode: "open" });
  hasUpdated = false;
  #pending?: Promise<void>;
  #connected = false;
  #reflecting = false;

  constructor() {
    super();
    const type = this.constructor as typeof ReactiveElement;
    this.renderRoot.adoptedStyleSheets = [type.styles];
    // Values a page set before the element was defined would hide the accessors: move them behind them.
    for (const name of Object.keys(type.properties)) {
      if (!Object.hasOwn(this, name)) continue;
      const value = (this as unknown as Record<string, unknown>)[name];
      delete (this as unknown as Record<string, unknown>)[name];
      (this as unknown as Record<string, unknown>)[name] = value;
    }
  }

  /** Resolves once no render is pending, after every render that state changes in the meantime caused. */
  get updateComplete(): Promise<boolean> {
    return this.#pending ? this.#pending.then(() => this.updateComplete) : Promise.resolve(true);
  }

  /** Renders start once the element is first connected, like Lit's; each connection renders again. */
  connectedCallback() {
    this.#connected = true;
    this.requestUpdate();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null) {
    if (this.#reflecting) return;
    const element = this.constructor as typeof ReactiveElement;
    const name = element.attributeMap.get(attribute)!;
    const type = element.properties[name]!.type;
    let parsed: unknown = value;
    if (type === Boolean) parsed = value !== null;
    else if (type && value !== null) {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = null;
      }
    }
    (this as unknown as Record<string, unknown>)[name] = parsed;
  }

  /** Schedules one render for every change made in the same task. */
  requestUpdate() {
    if (this.#connected) this.#pending ??= Promise.resolve().then(() => this.#update());
  }

  #update() {
    this.willUpdate();
    this.#reflect();
    render(this.render(), this.renderRoot, { host: this });
    this.#pending = undefined;
    if (!this.hasUpdated) {
      this.hasUpdated = true;
      this.firstUpdated();
    }
    this.updated();
  }

  /** Writes reflected properties to their attributes (Booleans as presence). */
  #reflect() {
    this.#reflecting = true;
    for (const [name, options] of Object.entries((this.constructor as typeof ReactiveElement).properties)) {
      if (!options.reflect) continue;
      const value = (this as unknown as Record<string, unknown>)[name];
      const attribute = (options.attribute as string) || name;
      if (value == null || value === false) this.removeAttribute(attribute);
      else this.setAttribute(attribute, value === true ? "" : String(value));
    }
    this.#reflecting = false;
  }

  /** Dispatches a bubbling, composed event: the elements' events reach listeners outside their shadow roots. */
  protected emit(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  protected willUpdate() {}
  protected firstUpdated() {}
  protected updated() {}
  protected render(): TemplateResult | unknown {
    return undefined;
  }
}

function finalize(type: typeof ReactiveElement) {
  const attributes = new Map<string, string>();
  for (const [name, options] of Object.entries(type.properties)) {
    const attribute = options.state ? false : (options.attribute ?? name.toLowerCase());
    if (attribute !== false) attributes.set(attribute, name);
    const key = Symbol(name);
    Object.defineProperty(type.prototype, name, {
      get(this: Record<symbol, unknown>) {
        return this[key];
      },
      set(this: ReactiveElement & Record<symbol, unknown>, value: unknown) {
        if (Object.is(value, this[key])) return;
        this[key] = value;
        this.requestUpdate();
      },
    });
  }
  type.attributeMap = attributes;
  return [...attributes.keys()];
}

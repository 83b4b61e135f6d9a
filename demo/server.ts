// The demo storefront's own server: pages, the server-flow order route (it holds the secret key), the browser
// flow's "payment" route that releases a held order, and the order page. It talks to each store's proxy over HTTP
// exactly as a merchant's backend would.
import { readFile } from "node:fs/promises";
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { checkoutPage } from "./pages/checkout.ts";
import { homePage } from "./pages/home.ts";
import { type OrderView, orderPage, type PlacedOrder } from "./pages/order.ts";
import { type MerchantClient, ProxyProblem } from "./proxy-client.ts";
import {
  type AddressField,
  type CheckoutFlow,
  cartFor,
  isStoreId,
  newOrderNumber,
  STORE_IDS,
  STORES,
  type Store,
  type StoreId,
} from "./stores.ts";

export interface DemoStoreWiring {
  /** This store's publishable key (default: DemoAppOptions.publishableKey). */
  publishableKey?: string;
  /** Path of this store's proxy on the storefront's origin (the element's `endpoint`); none: the script's origin. */
  endpointPath?: string;
  /** Order value from which this store's proxy prices Standard shipping at zero (see freeStandardOver). */
  freeShippingOver?: string;
  /**
   * Whether this store's Amazon API takes shipment e-mails and item prices on an order (2026-07-04 takes neither:
   * its proxy refuses them by name), so the store leaves them out instead of failing every order.
   */
  orderExtras?: boolean;
  client: MerchantClient;
}

/** A store connected through /connect: its page (the look of a demo store) and its wiring. */
export interface ConnectedShop {
  store: Store;
  wiring: DemoStoreWiring;
}

/** The stores merchants connected through /connect while the demo runs, by tenant id. */
export interface ConnectedShops {
  get(tenantId: string): ConnectedShop | undefined;
  list(): ConnectedShop[];
}

export interface DemoAppOptions {
  /** The publishable key of every store that has none of its own. */
  publishableKey?: string;
  stores: Record<StoreId, DemoStoreWiring>;
  /** Connector mode: the stores connected through /connect, served at /stores/{tenantId}. */
  connected?: ConnectedShops;
  /** Connector mode: the onboarding page, linked from the landing page. */
  connectPath?: string;
  /** Moves the local sandbox's clock forward (the order page's "skip ahead" buttons); absent: no buttons. */
  advanceSandbox?: (hours: number) => Promise<void>;
  /** Makes idempotency keys for rendered forms; injectable for tests. */
  newKey?: () => string;
  /** The built <mcf-order-status> bundle served at /order-status.js; default: dist/order-status.js, null if unbuilt. */
  orderStatusScript?: () => Promise<string | null>;
}

const DIST_ORDER_STATUS = new URL("../dist/order-status.js", import.meta.url);
const orderStatusFromDist = () => readFile(DIST_ORDER_STATUS, "utf8").catch(() => null);

/** A shipping price as the browser reports it from confirm()'s answer: shown on the order page, never charged. */
const isMoney = (value: unknown): value is { amount: string; currency: string } =>
  typeof value === "object" &&
  value !== null &&
  /^\d{1,9}(\.\d{1,4})?$/.test(String((value as { amount?: unknown }).amount)) &&
  /^[A-Z]{3}$/.test(String((value as { currency?: unknown }).currency));

const ASSETS: Record<string, string> = {
  "store.css": "text/css; charset=utf-8",
  "checkout.js": "text/javascript; charset=utf-8",
  "order.js": "text/javascript; charset=utf-8",
};

const ADDRESS_FIELDS = [
  "name",
  "line1",
  "line2",
  "city",
  "stateOrRegion",
  "postalCode",
  "countryCode",
  "phone",
] as const;

/** A store the demo serves: a demo store (`us`) or a connected tenant's (its id), with its page and wiring. */
interface Shop {
  /** What the order page's `?store=` names. */
  key: string;
  store: Store;
  wiring: DemoStoreWiring;
}

export function createDemoApp(options: DemoAppOptions) {
  const newKey = options.newKey ?? (() => crypto.randomUUID());
  const orderStatusScript = options.orderStatusScript ?? orderStatusFromDist;
  // The merchant's own record of each order it placed (a database in a real store): shipping price and payment.
  const placed = new Map<string, PlacedOrder>();
  const app = new Hono();
  const endpointFor = (requestUrl: string, shop: Shop) => {
    const path = shop.wiring.endpointPath;
    return path === undefined ? undefined : new URL(path, requestUrl).href;
  };
  const publishableKeyOf = (shop: Shop) => shop.wiring.publishableKey ?? options.publishableKey ?? "";
  const demoShop = (key: string | undefined): Shop | undefined =>
    isStoreId(key) ? { key, store: STORES[key], wiring: options.stores[key] } : undefined;
  const connectedShop = (key: string | undefined): Shop | undefined => {
    const found = key === undefined ? undefined : options.connected?.get(key);
    return found && key ? { key, ...found } : undefined;
  };

  app.get("/", (c) =>
    c.html(
      homePage({
        publishableKeys: Object.fromEntries(
          STORE_IDS.map((id) => [id, options.stores[id].publishableKey ?? options.publishableKey ?? ""]),
        ) as Record<StoreId, string>,
        connected: (options.connected?.list() ?? []).map(({ store, wiring }) => ({
          store,
          publishableKey: wiring.publishableKey ?? "",
        })),
        ...(options.connectPath ? { connectPath: options.connectPath } : {}),
      }),
    ),
  );

  app.get("/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const body = await readFile(new URL(`./public/${file}`, import.meta.url), "utf8");
    return c.body(body, 200, { "content-type": type, "cache-control": "no-cache" });
  });

  app.get("/order-status.js", async (c) => {
    const script = await orderStatusScript();
    if (script === null) return c.text("dist/order-status.js is not built: run npm run build", 404);
    return c.body(script, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" });
  });

  /** The store's own prices for the cart, signed by its proxy: free shipping over a threshold rests on them only. */
  const signedCartValue = (shop: Shop, cart: readonly { sku: string; quantity: number; unitPrice: string }[]) =>
    shop.wiring.client
      .cartValue(
        cart.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
        shop.store.marketplaceId,
      )
      .catch(() => undefined);

  /** The checkout page's options every rendering shares. */
  const pageOf = (c: Context, shop: Shop) => ({
    store: shop.store,
    publishableKey: publishableKeyOf(shop),
    endpoint: endpointFor(c.req.url, shop),
    freeShippingOver: shop.wiring.freeShippingOver,
    orderExtras: shop.wiring.orderExtras,
    idempotencyKey: newKey(),
    orderNumber: newOrderNumber(shop.store),
  });

  // Demo stores at /{store}, stores connected through /connect at /stores/{tenantId}: the same routes.
  for (const [prefix, find] of [
    ["", demoShop],
    ["/stores", connectedShop],
  ] as const) {
    app.get(`${prefix}/:store`, async (c) => {
      const shop = find(c.req.param("store"));
      if (!shop) return c.notFound();
      const cartName = c.req.query("cart");
      const cart = cartFor(shop.store, cartName);
      return c.html(
        checkoutPage({
          ...pageOf(c, shop),
          flow: flowOf(c.req.query("flow")),
          cart,
          cartValue: await signedCartValue(shop, cart),
          cartName: cartName && shop.store.altCarts[cartName] ? cartName : undefined,
        }),
      );
    });

    // Server flow: the browser posts the form (the element's value is the chosen quote); we place the order with
    // the secret key and send the shopper to the order page.
    app.post(`${prefix}/:store/orders`, async (c) => {
      const shop = find(c.req.param("store"));
      if (!shop) return c.notFound();
      const { store } = shop;
      const form = await c.req.parseBody();
      const value = (name: string) => (typeof form[name] === "string" ? (form[name] as string).trim() : "");
      const values = Object.fromEntries(store.fields.map((field) => [field.name, value(field.name)])) as Partial<
        Record<AddressField["name"], string>
      >;
      const cartName = value("cart") || undefined;
      const cart = cartFor(store, cartName);
      const cartValue = await signedCartValue(shop, cart);
      const rerender = (error: { title: string; detail?: string }) =>
        c.html(checkoutPage({ ...pageOf(c, shop), flow: "server", cart, cartValue, cartName, values, error }), 422);
      const quote = value("quote");
      if (!quote) return rerender({ title: store.text.chooseDelivery });
      try {
        const order = await shop.wiring.client.createOrder(
          orderRequest(
            quote,
            values,
            cart,
            value("orderNumber") || newOrderNumber(store),
            shop.wiring.orderExtras !== false,
          ),
          value("idempotencyKey") || newKey(),
        );
        rememberOrder(c, order.orderId, order.orderToken);
        placed.set(order.orderId, { shipping: order.price, cashOnDelivery: value("payment") === "cod" });
        return c.redirect(`${orderPath(order.orderId)}?store=${encodeURIComponent(shop.key)}`, 303);
      } catch (error) {
        if (!(error instanceof ProxyProblem)) throw error;
        return rerender({ title: store.text.orderFailed, detail: problemText(error) });
      }
    });

    // Browser flow: the element created the order on Hold with the publishable key. The shopper "pays" here; we
    // check they hold the order's token, then release it with the secret key.
    app.post(`${prefix}/:store/orders/:orderId/pay`, async (c) => {
      const shop = find(c.req.param("store"));
      if (!shop) return c.notFound();
      const orderId = c.req.param("orderId");
      const body = (await c.req.json().catch(() => ({}))) as {
        orderToken?: unknown;
        price?: unknown;
        payment?: unknown;
      };
      if (typeof body.orderToken !== "string" || !body.orderToken) {
        return c.json({ title: "orderToken is required", status: 400 }, 400);
      }
      const client = shop.wiring.client;
      try {
        await client.getOrder(orderId, body.orderToken);
        await client.shipOrder(orderId);
        rememberOrder(c, orderId, body.orderToken);
        placed.set(orderId, {
          ...(isMoney(body.price) ? { shipping: body.price } : {}),
          cashOnDelivery: body.payment === "cod",
        });
        return c.json({
          orderId,
          released: true,
          orderPage: `${orderPath(orderId)}?store=${encodeURIComponent(shop.key)}`,
        });
      } catch (error) {
        if (!(error instanceof ProxyProblem)) throw error;
        return c.json(error.problem, error.problem.status >= 400 && error.problem.status < 500 ? 400 : 502);
      }
    });
  }

  app.get("/orders/:orderId", async (c) => {
    const { store, view } = await loadOrder(c, c.req.param("orderId"), c.req.query("store"));
    return c.html(
      orderPage(store, view, { skipAhead: options.advanceSandbox !== undefined }),
      view.notFound ? 404 : 200,
    );
  });

  // Demo only: skip sandbox time ahead so an order visibly ships without waiting hours.
  app.post("/sandbox/advance", async (c) => {
    const hours = Number((await c.req.json().catch(() => ({})))?.hours);
    if (!options.advanceSandbox) return c.notFound();
    if (!(hours > 0 && hours <= 24 * 14)) return c.json({ title: "hours must be from 0 to 336", status: 400 }, 400);
    await options.advanceSandbox(hours);
    return c.json({ advancedHours: hours });
  });

  async function loadOrder(
    c: Context,
    orderId: string,
    storeParam: string | undefined,
  ): Promise<{ store: Store; view: OrderView }> {
    const shop = demoShop(storeParam) ?? connectedShop(storeParam) ?? (demoShop("us") as Shop);
    const { store } = shop;
    const client = shop.wiring.client;
    // The page shows the shopper's name and address, read with the secret key, so an order id alone (guessable,
    // shared in a URL) must not be enough: only the browser that placed the order holds its token, in an httpOnly
    // cookie, and the proxy checks that token before we read anything. Anyone else sees "no such order".
    const token = getCookie(c, ORDER_COOKIE);
    if (!token) return { store, view: { orderId, notFound: true } };
    try {
      await client.getOrder(orderId, token);
    } catch (error) {
      if (!(error instanceof ProxyProblem)) throw error;
      if (error.problem.status < 500) return { store, view: { orderId, notFound: true } };
      return { store, view: { orderId, error: problemText(error) } };
    }
    try {
      const order = await client.getOrder(orderId);
      return {
        store,
        view: {
          orderId,
          order,
          placed: placed.get(orderId),
          orderToken: token,
          endpoint: endpointFor(c.req.url, shop),
          publishableKey: publishableKeyOf(shop),
        },
      };
    } catch (error) {
      if (!(error instanceof ProxyProblem)) throw error;
      return { store, view: { orderId, error: problemText(error), notFound: error.problem.status === 404 } };
    }
  }

  return app;
}

const ORDER_COOKIE = "order_token";

function orderPath(orderId: string): string {
  return `/orders/${encodeURIComponent(orderId)}`;
}

/** Gives this browser the order's token (the demo's session), scoped to that order's page. */
function rememberOrder(c: Context, orderId: string, orderToken: string): void {
  setCookie(c, ORDER_COOKIE, orderToken, {
    path: orderPath(orderId),
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: 30 * 24 * 60 * 60,
  });
}

function flowOf(value: string | undefined): CheckoutFlow {
  return value === "browser" ? "browser" : "server";
}

/** The proxy's POST /v1/orders body for a submitted checkout form (prices in the quote's currency). */
export function orderRequest(
  quote: string,
  values: Partial<Record<AddressField["name"], string>>,
  cart: { sku: string; quantity: number; unitPrice: string }[],
  orderNumber: string,
  extras = true,
): Record<string, unknown> {
  const address: Record<string, string> = {};
  for (const name of ADDRESS_FIELDS) {
    const value = values[name];
    if (value) address[name] = value;
  }
  return {
    quote,
    displayableOrderId: orderNumber,
    address,
    items: cart.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      ...(extras ? { perUnitPrice: line.unitPrice } : {}),
    })),
    ...(extras && values.email ? { notificationEmails: [values.email] } : {}),
  };
}

function problemText(error: ProxyProblem): string {
  const { detail, errors, title } = error.problem;
  const fields = errors?.map((entry) => `${entry.path}: ${entry.message}`).join("; ");
  return [detail ?? title, fields].filter(Boolean).join(" — ");
}

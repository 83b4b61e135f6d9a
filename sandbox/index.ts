import { Hono } from "hono";
import { DEV_CREDENTIALS, Lwa, registerLwa, type SellerCredentials } from "./auth/lwa.ts";
import { type Catalog, DEMO_CATALOG, seedItems } from "./catalog/index.ts";
import { advanceableClock, type Clock, realTimeOf, systemClock } from "./clock.ts";
import { registerConnect } from "./connect/index.ts";
import type { SandboxContext, SandboxEnv } from "./context.ts";
import { type FaultPlan, Faults } from "./faults/index.ts";
import { AmazonError, errorBody, internalFailure } from "./http/errors.ts";
import { SellerInventories } from "./inventory/store.ts";
import { MARKETPLACES, type Marketplace } from "./marketplaces.ts";
import { registerMws } from "./mws/index.ts";
import { DEFAULT_TIMINGS, type LifecycleTimings } from "./orders/lifecycle.ts";
import { OrderBook } from "./orders/store.ts";
import { registerControl } from "./routes/control.ts";
import { registerFeatures } from "./routes/features.ts";
import { registerInventory } from "./routes/inventory.ts";
import { registerOrders } from "./routes/orders.ts";
import { registerPreview } from "./routes/preview.ts";
import { registerReturns } from "./routes/returns.ts";
import { registerTracking } from "./routes/tracking.ts";
import { Throttle, USAGE_PLANS, type UsagePlan } from "./throttle/index.ts";
import { registerV20260704 } from "./v2026-07-04/index.ts";

export { DEV_CREDENTIALS, type SellerCredentials, TOKEN_PATH } from "./auth/lwa.ts";
export { type Catalog, type CatalogProduct, DEMO_CATALOG } from "./catalog/index.ts";
export {
  type Clock,
  type ManualClock,
  manualClock,
  realTimeOf,
  type ScaledClock,
  scaledClock,
  systemClock,
} from "./clock.ts";
export { type FaultPlan, OPERATIONS, type OperationFaults, SANDBOX_ONLY_OPERATIONS } from "./faults/index.ts";
export { MARKETPLACES, type Marketplace, marketplaceByCountry, marketplaceById } from "./marketplaces.ts";
export { DEFAULT_TIMINGS, type LifecycleTimings } from "./orders/lifecycle.ts";
export { CONTROL_PREFIX } from "./routes/control.ts";
export { USAGE_PLANS, type UsagePlan } from "./throttle/index.ts";

export interface SandboxOptions {
  /** Sandbox time for orders, dates and stock (default: the system clock). `POST /_sandbox/clock/advance` adds to it. */
  clock?: Clock;
  /**
   * Real elapsed time for LWA token expiry and throttle refill (default: `realTimeOf(clock)`, the unscaled base of a
   * `scaledClock`, else `clock` itself). Neither a time scale nor `/_sandbox/clock/advance` moves it.
   */
  realTimeClock?: Clock;
  /** Products and stock per marketplace (default: DEMO_CATALOG). */
  catalog?: Catalog;
  /** Faults per operation id, or "*" (default: none). Changeable at runtime via `/_sandbox/faults`. */
  faults?: FaultPlan;
  /** One seller or several (default: DEV_CREDENTIALS). */
  credentials?: SellerCredentials | SellerCredentials[];
  /** Usage plans per operation, merged over Amazon's defaults; `false` stops enforcing them (headers still sent). */
  throttle?: Record<string, UsagePlan> | false;
  /** Lifecycle durations, merged over DEFAULT_TIMINGS. */
  lifecycle?: Partial<LifecycleTimings>;
  /** Marketplace definitions (default: MARKETPLACES). */
  marketplaces?: Marketplace[];
  /** Source of randomness for fault rates (default Math.random). */
  random?: () => number;
  /** Access token lifetime (default 3600 s, as LWA). */
  tokenLifetimeSeconds?: number;
  /** Page size of the paged list operations (default 50). */
  pageSize?: number;
  /** Serve `/_sandbox/*` control endpoints (default true). */
  control?: boolean;
}

export type Sandbox = Hono<SandboxEnv> & {
  /** Shared state, for in-process tests that want to look inside. */
  readonly sandbox: SandboxContext & { reset(): void };
};

/** A Hono app speaking SP-API Fulfillment Outbound 2020-07-01, the FBA Inventory sandbox operations and LWA. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const clock = advanceableClock(options.clock ?? systemClock);
  const realTime = options.realTimeClock ?? realTimeOf(options.clock ?? systemClock);
  const marketplaces = options.marketplaces ?? MARKETPLACES;
  const catalog = seedItems(options.catalog ?? DEMO_CATALOG, marketplaces);
  const credentials = options.credentials === undefined ? [DEV_CREDENTIALS] : [options.credentials].flat();
  const inventories = new SellerInventories(catalog, clock.now());
  const plans = { ...USAGE_PLANS, ...(options.throttle || {}) };
  const lwa = new Lwa(credentials, realTime, options.tokenLifetimeSeconds);
  const defaultSellerId = lwa.sellers[0]!.sellerId;
  const ctx: SandboxContext = {
    clock,
    realTime,
    marketplaces,
    inventories,
    get inventory() {
      return inventories.of(defaultSellerId);
    },
    defaultSellerId,
    orders: new OrderBook(inventories, { ...DEFAULT_TIMINGS, ...options.lifecycle }),
    lwa,
    throttle: new Throttle(plans, options.throttle !== false),
    faults: new Faults(options.faults, options.random),
    addInventoryTokens: new Map(),
    pageSize: options.pageSize ?? 50,
  };
  const reset = () => {
    inventories.reset(clock.now());
    ctx.orders.clear();
    ctx.lwa.reset();
    ctx.throttle.reset();
    ctx.addInventoryTokens.clear();
  };

  const app = new Hono<SandboxEnv>();
  app.use(async (c, next) => {
    await next();
    c.res.headers.set("x-amzn-RequestId", crypto.randomUUID());
  });
  app.onError((error, c) => {
    const amazon = error instanceof AmazonError ? error : internalFailure();
    if (!(error instanceof AmazonError)) console.error("sandbox: unexpected error", error);
    return c.json(errorBody(amazon), amazon.status);
  });
  app.notFound((c) =>
    c.json(
      { errors: [{ code: "NotFound", message: `No operation matches ${c.req.method} ${c.req.path}.`, details: "" }] },
      404,
    ),
  );
  registerLwa(app, ctx.lwa);
  registerConnect(app, ctx, { control: options.control !== false });
  registerPreview(app, ctx);
  registerOrders(app, ctx);
  registerTracking(app, ctx);
  registerReturns(app, ctx);
  registerFeatures(app, ctx);
  registerInventory(app, ctx);
  registerMws(app, ctx);
  registerV20260704(app, ctx);
  if (options.control !== false) registerControl(app, ctx, reset);
  return Object.assign(app, { sandbox: Object.assign(ctx, { reset }) });
}

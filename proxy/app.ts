// The proxy as one Hono app: web-standard Request/Response only, so every runtime entry is a thin adapter.
// createApp wires, in the order a request travels: stores → merchants (the key names one: the environment's in a
// private app, a tenant in connector mode; each has its dialect → admission → previews → orders) → the gate (CORS
// per merchant) → routes.
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ResilienceOptions } from "./admission/options.ts";
import { corsGrant, merchantGate } from "./auth/index.ts";
import type { Config } from "./config/index.ts";
import { ADMIN_PREFIX, type AppContext, type AppEnv } from "./context.ts";
import { type FulfillmentDialect, UnsupportedByDialect, UpstreamError } from "./fulfillment/model.ts";
import { consoleLogger, createRedactor, type Logger, redactingLogger } from "./log/index.ts";
import { createMerchants } from "./merchants/index.ts";
import { Problem, problemResponse, problemType, unsupportedProblem, upstreamProblem } from "./problems/index.ts";
import { cartValueRoutes } from "./routes/cart-values.ts";
import { deliveryOptionsRoutes } from "./routes/delivery-options.ts";
import { metaRoutes } from "./routes/meta.ts";
import { orderRoutes } from "./routes/orders.ts";
import { type Clock, systemClock } from "./shared/clock.ts";
import { createMemoryStores } from "./stores/memory.ts";
import type { StoreHealth } from "./stores/open.ts";
import type { Stores } from "./stores/types.ts";
import type { TenantStore } from "./tenants/store.ts";

export interface AppDeps {
  /** fetch used for Amazon and LWA (tests pass MSW-intercepted or counting fetches). */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Receives redacted structured logs; default JSON lines on the console. */
  logger?: Logger;
  /** The element bundle served at /widget.js; null when not built. */
  widgetScript?: () => Promise<string | null>;
  /** The <mcf-order-status> bundle served at /order-status.js; null when not built. */
  orderStatusScript?: () => Promise<string | null>;
  /** Shared state for multi-instance deployments (Redis, Durable Objects, Deno KV); in-memory by default. */
  stores?: Partial<Stores>;
  /** Replace the configured Amazon dialect (a test double, or a dialect built elsewhere). */
  dialect?: FulfillmentDialect;
  /** Admission and pipeline options over the configuration's (tests inject sleep and randomness). */
  resilience?: ResilienceOptions;
  /** A private app's state prefix: part of every store key (default "default"). */
  merchant?: string;
  /** Connector mode (config.connector): the tenant store the entry opened. Use createConnectorApp. */
  tenants?: TenantStore;
  /** More routes, mounted after the API's own (connector mode: the operator API and the onboarding page). */
  routes?: (app: Hono<AppEnv>, ctx: AppContext) => void;
  /** Amends /openapi.json (connector mode adds the operator API). */
  openApi?: (document: Record<string, unknown>) => Record<string, unknown>;
  /** What /v1/health tells of the stores (engine, and whether buckets fell back to this instance's share). */
  storeHealth?: () => StoreHealth;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * In-memory bounds for many merchants in one process: each tenant keeps its LWA token and its recently signed
 * answers, and a private app's bounds (256 answers, 1,000 tokens) would make 1,000 active tenants evict each other
 * (bench:overhead measured +90 % p50 from re-signing). About 12 MB for answers and 10 MB for tokens at most.
 */
const CONNECTOR_MEMORY_BOUNDS = { answers: 4_096, tokens: 10_000 };

export function createApp(config: Config, deps: AppDeps = {}): Hono {
  const clock = deps.clock ?? systemClock;
  const redactor = createRedactor([
    config.lwa.clientSecret,
    config.lwa.refreshToken,
    config.secretKey,
    config.connector?.adminKey,
    config.mws?.secretKey,
    config.mws?.authToken,
    ...config.quoteKeys.map((key) => key.secret),
  ]);
  const logger = redactingLogger(deps.logger ?? consoleLogger(redactor), redactor);
  const stores: Stores = {
    ...createMemoryStores({
      clock,
      bounds: { previews: config.memory.previews, ...(config.connector ? CONNECTOR_MEMORY_BOUNDS : {}) },
    }),
    ...deps.stores,
  };
  if (config.connector && !deps.tenants) throw new TypeError("connector mode (MCF_ADMIN_KEY) needs a tenant store");
  const tenants = config.connector ? deps.tenants : undefined;
  const merchants = createMerchants({
    config,
    stores,
    clock,
    logger,
    onSecret: redactor.add,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.resilience ? { resilience: deps.resilience } : {}),
    ...(tenants ? { tenants } : {}),
    ...(deps.merchant ? { merchant: deps.merchant } : {}),
    ...(deps.dialect ? { dialect: deps.dialect } : {}),
  });
  const ctx: AppContext = {
    config,
    merchants,
    stores,
    storeHealth: deps.storeHealth ?? (() => ({ engine: stores.engine })),
    clock,
    logger,
    redactor,
    widgetScript: deps.widgetScript ?? (async () => null),
    orderStatusScript: deps.orderStatusScript ?? (async () => null),
    openApi: deps.openApi ?? ((document) => document),
  };

  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    const started = clock.now();
    await next();
    c.res.headers.set("x-request-id", requestId);
    if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "no-store");
    logger.log(c.res.status >= 500 ? "error" : "info", "request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: clock.now() - started,
    });
  });

  // Checked before the key is looked up (a database read in connector mode); readable by the page that sent it.
  const tooLarge = (c: Context) => {
    throw new Problem(
      {
        title: "Request body too large",
        status: 413,
        detail: `Request bodies are limited to ${config.maxBodyBytes} bytes.`,
        errors: [{ path: "body", message: `must be at most ${config.maxBodyBytes} bytes` }],
      },
      corsGrant(c.req.header("origin")),
    );
  };
  const limitStreamedBody = bodyLimit({ maxSize: config.maxBodyBytes, onError: tooLarge });
  app.use("/v1/*", (c, next) => {
    // A declared length is checked from the header alone (the runtime's HTTP parser enforces it). Hono's bodyLimit
    // would touch the body stream first, which makes @hono/node-server build a full Request on every call.
    const length = c.req.header("content-length");
    if (length !== undefined && /^\d+$/.test(length) && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > config.maxBodyBytes ? tooLarge(c) : next();
    }
    return limitStreamedBody(c, next);
  });

  const gate = merchantGate(merchants);
  app.use("/v1/*", async (c, next) => {
    // Health is public and the operator API has its own key; every other /v1 call names its merchant.
    if (c.req.path === "/v1/health" || c.req.path.startsWith(`${ADMIN_PREFIX}/`)) return next();
    return gate(c, next);
  });

  metaRoutes(app, ctx);
  deliveryOptionsRoutes(app);
  cartValueRoutes(app, ctx);
  orderRoutes(app, ctx);
  deps.routes?.(app, ctx);

  app.notFound((c) =>
    problemResponse({
      type: problemType(404),
      title: "Not found",
      status: 404,
      detail: `No route for ${c.req.method} ${c.req.path}.`,
      errors: [{ path: "url", message: "is not a route of this proxy" }],
      requestId: c.get("requestId"),
    }),
  );

  app.onError((error, c) => {
    const requestId = c.get("requestId");
    if (error instanceof Problem) {
      return problemResponse({ ...error.body, requestId }, error.headers);
    }
    if (error instanceof UnsupportedByDialect) {
      return problemResponse({ ...unsupportedProblem(error).body, requestId });
    }
    if (error instanceof UpstreamError) {
      logger.log("warn", "upstream failure", {
        requestId,
        operation: error.operation,
        status: error.status,
        amznRequestId: error.amznRequestId,
        message: error.message,
      });
      const problem = upstreamProblem(error);
      return problemResponse(
        { ...problem.body, detail: redactor.text(problem.body.detail), requestId },
        problem.headers,
      );
    }
    if (error instanceof HTTPException) {
      return problemResponse({
        type: problemType(error.status),
        title: error.message || "Error",
        status: error.status,
        detail: error.message,
        requestId,
      });
    }
    logger.log("error", "unhandled error", { requestId, error });
    return problemResponse({
      type: problemType(500),
      title: "Internal error",
      status: 500,
      detail: "The proxy failed unexpectedly; the request id identifies it in the logs.",
      requestId,
    });
  });

  // Callers (runtime entries) need only fetch/request; the request-id variable is internal.
  return app as unknown as Hono;
}

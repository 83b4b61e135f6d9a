// The proxy as one Hono app: web-standard Request/Response only, so every runtime entry is a thin adapter.
// createApp wires, in the order a request travels: stores → the merchant's dialect → admission → the preview
// pipeline and answers → the order service → routes.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { createGuard, guardOrders } from "./admission/guard.ts";
import { type ResilienceOptions, resolveOptions } from "./admission/options.ts";
import { corsAllowList } from "./auth/index.ts";
import type { Config } from "./config/index.ts";
import type { AppContext, AppEnv } from "./context.ts";
import { createDialect } from "./dialects/index.ts";
import { type FulfillmentDialect, UnsupportedByDialect, UpstreamError } from "./fulfillment/model.ts";
import { consoleLogger, createRedactor, type Logger, redactingLogger } from "./log/index.ts";
import { createOrderService } from "./orders/service.ts";
import { createAnswers } from "./previews/answer.ts";
import { createPreviewPipeline } from "./previews/pipeline.ts";
import { createSignedAnswers } from "./previews/signed-answers.ts";
import { Problem, problemResponse, problemType, unsupportedProblem, upstreamProblem } from "./problems/index.ts";
import { cartValueRoutes } from "./routes/cart-values.ts";
import { deliveryOptionsRoutes } from "./routes/delivery-options.ts";
import { metaRoutes } from "./routes/meta.ts";
import { orderRoutes } from "./routes/orders.ts";
import { type Clock, systemClock } from "./shared/clock.ts";
import { DEFAULT_MERCHANT } from "./stores/keys.ts";
import { createMemoryStores } from "./stores/memory.ts";
import type { StoreHealth } from "./stores/open.ts";
import type { Stores } from "./stores/types.ts";

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
  /** Whose state this is: part of every store key (default "default"). */
  merchant?: string;
  /** What /v1/health tells of the stores (engine, and whether buckets fell back to this instance's share). */
  storeHealth?: () => StoreHealth;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createApp(config: Config, deps: AppDeps = {}): Hono {
  const clock = deps.clock ?? systemClock;
  const merchant = deps.merchant ?? DEFAULT_MERCHANT;
  const redactor = createRedactor([
    config.lwa.clientSecret,
    config.lwa.refreshToken,
    config.secretKey,
    config.mws?.secretKey,
    config.mws?.authToken,
    ...config.quoteKeys.map((key) => key.secret),
  ]);
  const logger = redactingLogger(deps.logger ?? consoleLogger(redactor), redactor);
  const stores: Stores = {
    ...createMemoryStores({ clock, bounds: { previews: config.memory.previews } }),
    ...deps.stores,
  };
  const dialect =
    deps.dialect ??
    createDialect(config, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      clock,
      tokens: stores.tokens,
      merchant,
      onSecret: redactor.add,
    });
  const options = resolveOptions(
    {
      ...config.resilience,
      clock,
      ...deps.resilience,
      onEvent: (event) => {
        if (event.type === "circuit" || event.type === "rejected" || event.type === "throttled") {
          logger.log("warn", `upstream ${event.type}`, { ...event });
        }
        deps.resilience?.onEvent?.(event);
      },
    },
    dialect.ratePlans,
  );
  // One guard for previews and orders: one bucket per operation and one circuit breaker.
  const guard = createGuard(options, stores.buckets, merchant);
  const signed = createSignedAnswers({ answers: stores.answers, quotes: stores.quotes, clock, merchant });
  const pipeline = createPreviewPipeline({
    dialect,
    guard,
    cache: stores.previews,
    options,
    merchant,
    // In one process, in-process coalescing is all there is to do; a store other instances read is shared.
    sharedCache: stores.engine !== "memory" && stores.engine !== "sqlite",
  });
  const ctx: AppContext = {
    config,
    dialect,
    deliveryOptions: createAnswers({ settings: config, pipeline, signed, clock }),
    orders: createOrderService({
      settings: config,
      orders: guardOrders(dialect, guard),
      idempotency: stores.idempotency,
      quotes: stores.quotes,
      answers: signed,
      clock,
      logger,
      merchant,
    }),
    stores,
    storeHealth: deps.storeHealth ?? (() => ({ engine: stores.engine })),
    clock,
    logger,
    redactor,
    widgetScript: deps.widgetScript ?? (async () => null),
    orderStatusScript: deps.orderStatusScript ?? (async () => null),
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

  app.use("/v1/*", async (c, next) => {
    // Health is public and cacheable by anyone; everything else under /v1 is subject to the allow-list.
    if (c.req.path === "/v1/health") return next();
    return corsAllowList(config)(c, next);
  });
  const tooLarge = () => {
    throw new Problem({
      title: "Request body too large",
      status: 413,
      detail: `Request bodies are limited to ${config.maxBodyBytes} bytes.`,
      errors: [{ path: "body", message: `must be at most ${config.maxBodyBytes} bytes` }],
    });
  };
  const limitStreamedBody = bodyLimit({ maxSize: config.maxBodyBytes, onError: tooLarge });
  app.use("/v1/*", (c, next) => {
    // A declared length is checked from the header alone (the runtime's HTTP parser enforces it). Hono's bodyLimit
    // would touch the body stream first, which makes @hono/node-server build a full Request on every call.
    const length = c.req.header("content-length");
    if (length !== undefined && /^\d+$/.test(length) && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > config.maxBodyBytes ? tooLarge() : next();
    }
    return limitStreamedBody(c, next);
  });

  metaRoutes(app, ctx);
  deliveryOptionsRoutes(app, ctx);
  cartValueRoutes(app, ctx);
  orderRoutes(app, ctx);

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

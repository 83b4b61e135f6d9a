// The proxy as one Hono app: web-standard Request/Response only, so every runtime entry is a thin adapter.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { corsAllowList } from "./auth/index.ts";
import type { Config } from "./config/index.ts";
import type { AppContext, AppEnv } from "./context.ts";
import { type IdempotencyStore, memoryIdempotencyStore } from "./idempotency/index.ts";
import { consoleLogger, createRedactor, type Logger, redactingLogger } from "./log/index.ts";
import { Problem, problemResponse, problemType, upstreamProblem } from "./problems/index.ts";
import {
  type Clock,
  createPreviewService,
  type PreviewCacheStore,
  type RateLimiterStore,
  type ResilienceOptions,
  withResilience,
} from "./resilience/index.ts";
import { deliveryOptionsRoutes } from "./routes/delivery-options.ts";
import { metaRoutes } from "./routes/meta.ts";
import { orderRoutes } from "./routes/orders.ts";
import { createUpstream } from "./upstream/index.ts";
import { type FulfillmentUpstream, UpstreamError } from "./upstream/types.ts";

export interface AppDeps {
  /** fetch used for Amazon and LWA (tests pass MSW-intercepted or counting fetches). */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Receives redacted structured logs; default JSON lines on the console. */
  logger?: Logger;
  /** The element bundle served at /widget.js; null when not built. */
  widgetScript?: () => Promise<string | null>;
  /** Shared state for multi-instance deployments (KV, Durable Objects, Redis); in-memory by default. */
  stores?: { idempotency?: IdempotencyStore; previewCache?: PreviewCacheStore; rateLimiter?: RateLimiterStore };
  /** Replace the SP-API client entirely (another dialect, or a test double). */
  upstream?: FulfillmentUpstream;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createApp(config: Config, deps: AppDeps = {}): Hono {
  const clock = deps.clock ?? { now: () => Date.now() };
  const redactor = createRedactor([
    config.lwa.clientSecret,
    config.lwa.refreshToken,
    config.secretKey,
    ...config.quoteKeys.map((key) => key.secret),
  ]);
  const logger = redactingLogger(deps.logger ?? consoleLogger(redactor), redactor);
  const built = deps.upstream
    ? { upstream: deps.upstream, tokens: undefined }
    : createUpstream(config, { ...(deps.fetch ? { fetch: deps.fetch } : {}), clock, onToken: redactor.add });
  const { idempotency, ...resilienceStores } = deps.stores ?? {};
  const resilience: ResilienceOptions = {
    ...config.resilience,
    clock,
    ...(Object.keys(resilienceStores).length > 0
      ? { stores: { ...config.resilience.stores, ...resilienceStores } }
      : {}),
    onEvent: (event) => {
      if (event.type === "circuit" || event.type === "rejected" || event.type === "throttled") {
        logger.log("warn", `upstream ${event.type}`, { ...event });
      }
    },
  };
  // One resilient upstream for previews and orders: one throttle per operation and one circuit breaker.
  const upstream = withResilience(built.upstream, resilience);
  const ctx: AppContext = {
    config,
    upstream,
    previews: createPreviewService(upstream, resilience),
    ...(built.tokens ? { tokens: built.tokens } : {}),
    clock,
    logger,
    redactor,
    idempotency: idempotency ?? memoryIdempotencyStore({ clock }),
    widgetScript: deps.widgetScript ?? (async () => null),
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

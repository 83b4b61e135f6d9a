// /v1/orders…: create from a quote (idempotently), release a hold, cancel, read status and package tracking.
import type { Context, Hono } from "hono";
import type { GetFulfillmentOrderResult } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import { type Caller, identify, serverOnly } from "../auth/index.ts";
import { type AppContext, type AppEnv, parseWith, readJson } from "../context.ts";
import { IDEMPOTENCY_TTL_MS } from "../idempotency/index.ts";
import {
  assertActionHonoured,
  assertBrowserMayOrder,
  assertBrowserOrdersAllowed,
  assertBrowserQuote,
  bodyDigest,
  buildCreateRequest,
  decideAction,
  deriveOrderId,
  isAlreadyExists,
  isOnHold,
  orderDifferences,
  orderView,
  quoteMismatches,
  trackingView,
} from "../orders/index.ts";
import { Problem, problemType, withRequestLines } from "../problems/index.ts";
import { issueOrderToken, TokenError, verifyOrderToken, verifyQuote } from "../quotes/index.ts";
import { createOrderRequestSchema, orderIdSchema, packageNumberSchema } from "../schemas/index.ts";
import { UpstreamError } from "../upstream/types.ts";

interface Stored {
  status: number;
  body: unknown;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function orderRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  const { config } = ctx;
  /** Per idempotency scope, the last request's settling (never rejecting) promise: retries queue behind it. */
  const inFlight = new Map<string, Promise<void>>();

  app.post("/v1/orders", async (c) => {
    const caller = identify(config, c.req.header("authorization"));
    if (caller === "browser") assertBrowserOrdersAllowed(config.browserOrders);
    const request = await readJson(c, createOrderRequestSchema);
    if (caller === "browser") assertBrowserMayOrder(request);
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new Problem({
        title: "Invalid Idempotency-Key",
        status: 400,
        detail: "The Idempotency-Key header must be 1-255 visible ASCII characters.",
        errors: [{ path: "header Idempotency-Key", message: "must be 1-255 visible ASCII characters" }],
      });
    }
    const digest = await bodyDigest(request);
    const scope = key === undefined ? undefined : `${caller}:${key}`;

    const run = async (): Promise<Stored & { replayed?: boolean }> => {
      if (scope !== undefined) {
        const previous = await ctx.idempotency.get(scope);
        if (previous) {
          if (previous.bodyDigest !== digest) throw reusedKey();
          return { status: previous.status, body: previous.body, replayed: true };
        }
      }
      const created = await createOrder(ctx, caller, request, digest);
      if (scope !== undefined) {
        await ctx.idempotency.set(scope, { bodyDigest: digest, ...created }, IDEMPOTENCY_TTL_MS);
      }
      return created;
    };

    // Requests with the same key run one after another, so a concurrent retry sees the first one's result.
    const ahead = scope === undefined ? undefined : inFlight.get(scope);
    const mine = (ahead ?? Promise.resolve()).then(run);
    if (scope !== undefined) {
      const settled = mine.then(
        () => undefined,
        () => undefined,
      );
      inFlight.set(scope, settled);
      settled.then(() => {
        if (inFlight.get(scope) === settled) inFlight.delete(scope);
      });
    }
    const result = await mine;
    return c.json(
      result.body as object,
      result.status as 201,
      result.replayed ? { "idempotent-replayed": "true" } : {},
    );
  });

  app.post("/v1/orders/:orderId/ship", async (c) => {
    serverOnly(identify(config, c.req.header("authorization")), "Releasing an order");
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const { meta } = await ctx.upstream.updateFulfillmentOrder(orderId, {
      fulfillmentAction: "Ship",
    });
    return c.json({ orderId, action: "Ship", ...(meta.amznRequestId ? { amznRequestId: meta.amznRequestId } : {}) });
  });

  app.post("/v1/orders/:orderId/cancel", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const caller = await authorizeOrder(ctx, c, orderId);
    if (caller === "browser") {
      const { data } = await ctx.upstream.getFulfillmentOrder(orderId);
      if (!isOnHold(data)) {
        throw new Problem({
          type: problemType(409, "not-on-hold"),
          title: "Order is no longer on hold",
          status: 409,
          detail: "A browser may cancel an order only while it is on Hold; ask the merchant to cancel it.",
          errors: [{ path: "orderId", message: `is ${data.fulfillmentOrder.fulfillmentOrderStatus}, not on Hold` }],
        });
      }
    }
    await ctx.upstream.cancelFulfillmentOrder(orderId);
    return c.json({ orderId, status: "Cancelled" });
  });

  app.get("/v1/orders/:orderId", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const caller = await authorizeOrder(ctx, c, orderId);
    const { data } = await ctx.upstream.getFulfillmentOrder(orderId);
    return c.json(orderView(data, caller));
  });

  app.get("/v1/orders/:orderId/packages/:packageNumber", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const packageNumber = Number(parseWith(packageNumberSchema, c.req.param("packageNumber"), "packageNumber"));
    await authorizeOrder(ctx, c, orderId);
    const { data: order } = await ctx.upstream.getFulfillmentOrder(orderId);
    if (!orderView(order, "browser").packages.some((entry) => entry.packageNumber === packageNumber)) {
      throw new Problem({
        title: "Not found",
        status: 404,
        detail: `Order ${orderId} has no package ${packageNumber}.`,
        errors: [{ path: "packageNumber", message: "is not a package of this order" }],
      });
    }
    const { data } = await ctx.upstream.getPackageTrackingDetails(packageNumber);
    return c.json({ orderId, ...trackingView(data) });
  });
}

function reusedKey(): Problem {
  return new Problem({
    type: problemType(409, "idempotency-key-reused"),
    title: "Idempotency-Key reused",
    status: 409,
    detail: "This Idempotency-Key was already used with a different request body.",
    errors: [{ path: "header Idempotency-Key", message: "was used with a different body" }],
  });
}

/** Server (secret key), or a browser holding this order's token. */
async function authorizeOrder(ctx: AppContext, c: Context<AppEnv>, orderId: string): Promise<Caller> {
  const token = c.req.header("x-order-token");
  // The order token is itself the browser's credential; a key alongside it is checked but not required.
  const authorization = c.req.header("authorization");
  const caller = token !== undefined && authorization === undefined ? "browser" : identify(ctx.config, authorization);
  if (caller === "server") return caller;
  if (token === undefined) {
    throw new Problem({
      title: "Order token required",
      status: 401,
      detail: "Browsers read or cancel an order with the orderToken returned when it was created.",
      errors: [{ path: "header X-Order-Token", message: "is required" }],
    });
  }
  if (!(await verifyOrderToken(ctx.config.quoteKeys, token, orderId, ctx.clock.now()))) {
    throw new Problem({
      title: "Invalid order token",
      status: 403,
      detail: "The order token is invalid, expired or for another order.",
      errors: [{ path: "header X-Order-Token", message: "is not valid for this order" }],
    });
  }
  return caller;
}

async function createOrder(
  ctx: AppContext,
  caller: Caller,
  request: Parameters<typeof buildCreateRequest>[0],
  digest: string,
): Promise<Stored> {
  const { config } = ctx;
  const now = ctx.clock.now();
  let quote: Awaited<ReturnType<typeof verifyQuote>>;
  try {
    quote = await verifyQuote(config.quoteKeys, request.quote, now);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    throw new Problem({
      type: problemType(422, `quote-${error.reason}`),
      title: error.reason === "expired" ? "Quote expired" : "Invalid quote",
      status: 422,
      detail:
        error.reason === "expired"
          ? "The quote has expired; ask for delivery options again."
          : `The quote ${error.message}; use a quote exactly as /v1/delivery-options returned it.`,
      errors: [{ path: "quote", message: error.message }],
    });
  }
  const mismatches = await quoteMismatches(quote, request, config.marketplaceIds);
  if (mismatches.length > 0) {
    throw new Problem({
      type: problemType(422, "quote-mismatch"),
      title: "Order does not match its quote",
      status: 422,
      detail: `The order differs from what the quote was issued for: ${mismatches.map((error) => error.path).join(", ")}.`,
      errors: mismatches,
    });
  }
  if (caller === "browser") assertBrowserQuote(quote);
  const action = decideAction(caller, request.action, quote.spd, config.browserOrders);
  // Not the Idempotency-Key: another key with the same quote and body must still find the same order.
  const sellerFulfillmentOrderId = request.orderId ?? (await deriveOrderId(quote.jti, digest, caller));
  const body = buildCreateRequest(request, quote, {
    sellerFulfillmentOrderId,
    action,
    now,
    defaultComment: config.defaultOrderComment,
  });

  let answer = {
    status: "Received",
    action,
    speed: body.shippingSpeedCategory as string,
    deliveryWindow: body.deliveryWindow,
  };
  let amznRequestId: string | undefined;
  try {
    amznRequestId = (await ctx.upstream.createFulfillmentOrder(body)).meta.amznRequestId;
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    // Amazon already has this id (an earlier attempt got through), or we cannot tell: read it back.
    const mayExist = isAlreadyExists(error.status, error.errors) || error.status === 0;
    const existing = mayExist ? await readBack(ctx, sellerFulfillmentOrderId) : undefined;
    if (!existing) throw withRequestLines(error, request.items);
    const differences = orderDifferences(existing, body);
    if (differences.length > 0) {
      ctx.logger.log("warn", "order id already used by another order", {
        orderId: sellerFulfillmentOrderId,
        differences,
      });
      throw new Problem({
        type: problemType(409, "order-id-taken"),
        title: "Order id already used",
        status: 409,
        detail: `Amazon already has a different order ${sellerFulfillmentOrderId} (it differs in ${differences.join(", ")}).`,
        errors: [{ path: "orderId", message: "is already used by another order" }],
      });
    }
    assertActionHonoured(sellerFulfillmentOrderId, action, existing);
    // The same order: answer what Amazon has, not what this request asked for.
    const order = existing.fulfillmentOrder;
    answer = {
      status: order.fulfillmentOrderStatus,
      action: order.fulfillmentAction ?? action,
      speed: order.shippingSpeedCategory,
      deliveryWindow: order.deliveryWindow,
    };
    ctx.logger.log("info", "order already existed; read back", { orderId: sellerFulfillmentOrderId, ...answer });
  }
  ctx.logger.log("info", "order created", {
    orderId: sellerFulfillmentOrderId,
    action: answer.action,
    speed: answer.speed,
    caller,
    amznRequestId,
  });
  const orderToken = await issueOrderToken(
    config.quoteKeys,
    sellerFulfillmentOrderId,
    now,
    config.orderTokenTtlSeconds,
  );
  return {
    status: 201,
    body: {
      orderId: sellerFulfillmentOrderId,
      status: answer.status,
      action: answer.action,
      speed: answer.speed,
      ...(answer.deliveryWindow
        ? { deliveryWindow: { start: answer.deliveryWindow.startDate, end: answer.deliveryWindow.endDate } }
        : {}),
      price: { amount: quote.amt, currency: quote.cur },
      orderToken: orderToken.token,
      orderTokenExpiresAt: new Date(orderToken.expiresAt).toISOString(),
      ...(amznRequestId ? { amznRequestId } : {}),
    },
  };
}

async function readBack(ctx: AppContext, orderId: string): Promise<GetFulfillmentOrderResult | undefined> {
  try {
    return (await ctx.upstream.getFulfillmentOrder(orderId)).data;
  } catch {
    return undefined;
  }
}

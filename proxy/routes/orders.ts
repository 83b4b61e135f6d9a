// /v1/orders…: create from a quote (idempotently), release a hold, cancel, read status and package tracking.
// Each route parses, authorises and answers; the order service does the rest.
import type { Context, Hono } from "hono";
import { authorizeOrder, identify, serverOnly } from "../auth/index.ts";
import { type AppContext, type AppEnv, parseWith, readJson } from "../context.ts";
import { assertBrowserMayOrder, assertBrowserOrdersAllowed } from "../orders/rules.ts";
import { createOrderRequestSchema, orderIdSchema, packageNumberSchema } from "../schemas/index.ts";

export function orderRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  const { config } = ctx;
  const orderCaller = (c: Context<AppEnv>, orderId: string) =>
    authorizeOrder(
      config,
      { authorization: c.req.header("authorization"), orderToken: c.req.header("x-order-token") },
      orderId,
      ctx.clock.now(),
    );

  app.post("/v1/orders", async (c) => {
    const caller = identify(config, c.req.header("authorization"));
    if (caller === "browser") assertBrowserOrdersAllowed(config.browserOrders);
    const request = await readJson(c, createOrderRequestSchema);
    if (caller === "browser") assertBrowserMayOrder(request);
    const result = await ctx.orders.create(caller, request, c.req.header("idempotency-key"));
    return c.json(result.body, result.status as 201, result.replayed ? { "idempotent-replayed": "true" } : {});
  });

  app.post("/v1/orders/:orderId/ship", async (c) => {
    serverOnly(identify(config, c.req.header("authorization")), "Releasing an order");
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    return c.json(await ctx.orders.release(orderId));
  });

  app.post("/v1/orders/:orderId/cancel", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const caller = await orderCaller(c, orderId);
    return c.json(await ctx.orders.cancel(caller, orderId));
  });

  app.get("/v1/orders/:orderId", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const caller = await orderCaller(c, orderId);
    return c.json(await ctx.orders.read(caller, orderId));
  });

  app.get("/v1/orders/:orderId/packages/:packageNumber", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const packageNumber = Number(parseWith(packageNumberSchema, c.req.param("packageNumber"), "packageNumber"));
    await orderCaller(c, orderId);
    return c.json(await ctx.orders.tracking(orderId, packageNumber));
  });
}

// /v1/orders…: create from a quote (idempotently), release a hold, cancel, read status and package tracking.
// Each route parses, authorises and answers; the order service does the rest.
import type { Context, Hono } from "hono";
import { authorizeOrder, serverOnly } from "../auth/index.ts";
import { type AppContext, type AppEnv, parseWith, readJson } from "../context.ts";
import { assertConnected } from "../merchants/index.ts";
import { assertBrowserMayOrder, assertBrowserOrdersAllowed } from "../orders/rules.ts";
import { createOrderRequestSchema, orderIdSchema, packageNumberSchema } from "../schemas/index.ts";

export function orderRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  /** The merchant, once it can reach Amazon (a disconnected tenant's orders are a clear 503). */
  const connected = (c: Context<AppEnv>) => {
    assertConnected(c.var.merchant);
    return c.var.merchant;
  };
  const authorized = async (c: Context<AppEnv>, orderId: string) => {
    const merchant = connected(c);
    await authorizeOrder(
      c.var.caller,
      merchant.config.quoteKeys,
      c.req.header("x-order-token"),
      orderId,
      ctx.clock.now(),
    );
    return merchant;
  };

  app.post("/v1/orders", async (c) => {
    const { caller } = c.var;
    const merchant = connected(c);
    if (caller === "browser") assertBrowserOrdersAllowed(merchant.config.browserOrders);
    const request = await readJson(c, createOrderRequestSchema);
    if (caller === "browser") assertBrowserMayOrder(request);
    const result = await merchant.orders.create(caller, request, c.req.header("idempotency-key"));
    return c.json(result.body, result.status as 201, result.replayed ? { "idempotent-replayed": "true" } : {});
  });

  app.post("/v1/orders/:orderId/ship", async (c) => {
    serverOnly(c.var.caller, "Releasing an order");
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    return c.json(await connected(c).orders.release(orderId));
  });

  app.post("/v1/orders/:orderId/cancel", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const merchant = await authorized(c, orderId);
    return c.json(await merchant.orders.cancel(c.var.caller, orderId));
  });

  app.get("/v1/orders/:orderId", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const merchant = await authorized(c, orderId);
    return c.json(await merchant.orders.read(c.var.caller, orderId));
  });

  app.get("/v1/orders/:orderId/packages/:packageNumber", async (c) => {
    const orderId = parseWith(orderIdSchema, c.req.param("orderId"), "orderId");
    const packageNumber = Number(parseWith(packageNumberSchema, c.req.param("packageNumber"), "packageNumber"));
    const merchant = await authorized(c, orderId);
    return c.json(await merchant.orders.tracking(orderId, packageNumber));
  });
}

// POST /v1/delivery-options: the cart and the address so far → delivery options with prices and signed quotes.
import type { Hono } from "hono";
import { type AppEnv, readJson } from "../context.ts";
import { deliveryOptionsRequestSchema } from "../schemas/index.ts";

export function deliveryOptionsRoutes(app: Hono<AppEnv>): void {
  app.post("/v1/delivery-options", async (c) => {
    const body = await readJson(c, deliveryOptionsRequestSchema);
    const json = await c.var.merchant.deliveryOptions(c.var.caller, body, {
      signal: c.req.raw.signal,
      // Workers end an isolate's work with the response unless told to wait for a background refresh. Hono throws
      // when there is no execution context (Node, tests), so it is looked up only when a refresh actually starts.
      waitUntil: (promise) => {
        try {
          c.executionCtx.waitUntil(promise);
        } catch {
          // No execution context: the refresh simply runs on in this process.
        }
      },
    });
    return c.body(json, 200, { "content-type": "application/json" });
  });
}

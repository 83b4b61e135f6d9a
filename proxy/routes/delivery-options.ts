// POST /v1/delivery-options: the cart and the address so far → delivery options with prices and signed quotes.
import type { Hono } from "hono";
import { identify } from "../auth/index.ts";
import { type AppContext, type AppEnv, readJson } from "../context.ts";
import { deliveryOptionsRequestSchema } from "../schemas/index.ts";

export function deliveryOptionsRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  app.post("/v1/delivery-options", async (c) => {
    const caller = identify(ctx.config, c.req.header("authorization"));
    const body = await readJson(c, deliveryOptionsRequestSchema);
    const json = await ctx.deliveryOptions(caller, body, {
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

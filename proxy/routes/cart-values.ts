// POST /v1/cart-values (merchant's server): the cart's value from the merchant's own unit prices, signed, so that
// prices which depend on it (free over a threshold) never rest on a value the shopper's browser could set.
import type { Hono } from "hono";
import { serverOnly } from "../auth/index.ts";
import { type AppContext, type AppEnv, readJson } from "../context.ts";
import { findMarketplace } from "../marketplaces/index.ts";
import { cartValue } from "../previews/options.ts";
import { validationProblem } from "../problems/index.ts";
import { itemsDigest } from "../quotes/digest.ts";
import { issueCartValue } from "../quotes/index.ts";
import { cartValueRequestSchema } from "../schemas/index.ts";

/** A cart value lives as long as a checkout may reasonably take. */
export const CART_VALUE_TTL_SECONDS = 3_600;

export function cartValueRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  app.post("/v1/cart-values", async (c) => {
    serverOnly(c.var.caller, "Stating a cart's value");
    const { config } = c.var.merchant;
    const body = await readJson(c, cartValueRequestSchema);
    const marketplaceId = body.marketplaceId ?? config.marketplaceIds[0]!;
    if (!config.marketplaceIds.includes(marketplaceId)) {
      throw validationProblem([
        { path: "marketplaceId", message: `must be one of ${config.marketplaceIds.join(", ")}` },
      ]);
    }
    const currency = findMarketplace(marketplaceId)?.currency ?? "USD";
    const amount = cartValue(body.items, currency);
    const signed = await issueCartValue(
      config.quoteKeys,
      { mkt: marketplaceId, itm: await itemsDigest(body.items), amt: amount, cur: currency },
      ctx.clock.now(),
      CART_VALUE_TTL_SECONDS,
    );
    return c.json({
      cartValue: signed.token,
      value: { amount, currency },
      expiresAt: new Date(signed.expiresAt).toISOString(),
    });
  });
}

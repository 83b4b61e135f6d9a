import type { Context } from "hono";
import type { SandboxApp, SandboxContext, SandboxEnv } from "../context.ts";
import { isoInstant } from "../dates/index.ts";
import { fulfillmentOrderView } from "../orders/store.ts";

export const CONTROL_PREFIX = "/_sandbox";

const UNITS: Record<string, number> = { ms: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

function problem(message: string) {
  return { error: "invalid_request", message };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return {};
  return JSON.parse(text);
}

/**
 * Test and demo controls, outside Amazon's API: no access token, no throttling, no faults.
 * `reset` re-seeds every seller's stock from the catalog and forgets orders, tokens and buckets.
 */
export function registerControl(app: SandboxApp, ctx: SandboxContext, reset: () => void): void {
  app.get(`${CONTROL_PREFIX}/clock`, (c) =>
    c.json({ now: isoInstant(ctx.clock.now()), epochMs: ctx.clock.now(), offsetMs: ctx.clock.offset }),
  );

  app.post(`${CONTROL_PREFIX}/clock/advance`, async (c) => {
    let body: unknown;
    try {
      body = await readJson(c.req.raw);
    } catch {
      return c.json(problem('body must be JSON like {"hours": 2}'), 400);
    }
    let ms = 0;
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const unit = UNITS[key];
      if (unit === undefined)
        return c.json(problem(`${key} is not a unit; use ms, seconds, minutes, hours or days`), 400);
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        return c.json(problem(`${key} must be a non-negative number`), 400);
      ms += value * unit;
    }
    ctx.clock.advance(ms);
    ctx.orders.settleAll(ctx.clock.now());
    return c.json({ now: isoInstant(ctx.clock.now()), epochMs: ctx.clock.now(), offsetMs: ctx.clock.offset });
  });

  app.get(`${CONTROL_PREFIX}/faults`, (c) => c.json(ctx.faults.plan));

  const setFaults = (mode: "replace" | "merge") => async (c: Context<SandboxEnv>) => {
    try {
      const body = await readJson(c.req.raw);
      if (mode === "replace") ctx.faults.replace(body);
      else ctx.faults.merge(body);
    } catch (error) {
      return c.json(problem(error instanceof Error ? error.message : String(error)), 400);
    }
    return c.json(ctx.faults.plan);
  };
  app.put(`${CONTROL_PREFIX}/faults`, setFaults("replace"));
  app.patch(`${CONTROL_PREFIX}/faults`, setFaults("merge"));
  app.delete(`${CONTROL_PREFIX}/faults`, (c) => {
    ctx.faults.clear();
    return c.json({});
  });

  // One seller's stock per marketplace (the default seller's unless the path names one) and every seller's orders.
  const state = (c: Context<SandboxEnv>) => {
    ctx.orders.settleAll(ctx.clock.now());
    const sellerId = c.req.param("sellerId") ?? ctx.defaultSellerId;
    const inventory = ctx.inventories.of(sellerId);
    return c.json({
      now: isoInstant(ctx.clock.now()),
      sellerId,
      marketplaces: ctx.marketplaces.map((m) => ({
        id: m.id,
        countryCode: m.countryCode,
        currencyCode: m.currencyCode,
        timeZone: m.timeZone,
        speeds: m.speeds,
        cutoffHour: m.cutoffHour,
        inventory: inventory.list(m.id).map((i) => ({
          sellerSku: i.sku,
          fulfillable: i.fulfillable,
          reserved: i.reserved,
        })),
      })),
      // One entry per seller, however many refresh tokens (approvals) it holds.
      sellers: [...new Set(ctx.lwa.sellers.map((s) => s.sellerId))].map((id) => ({
        sellerId: id,
        orders: ctx.orders.all(id).map(fulfillmentOrderView),
      })),
    });
  };
  app.get(`${CONTROL_PREFIX}/state`, state);
  app.get(`${CONTROL_PREFIX}/sellers/:sellerId/state`, state);

  app.post(`${CONTROL_PREFIX}/reset`, (c) => {
    reset();
    return c.json({ now: isoInstant(ctx.clock.now()) });
  });
}

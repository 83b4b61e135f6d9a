// The baseline of the flash-sale benchmark: a minimal Hono pass-through that asks Amazon for a preview on every
// request — the same request mapping and 2020-07-01 dialect as the proxy, but no cache, no coalescing, no
// admission (throttling, retries), no degraded answers.
import { Hono } from "hono";
import { parseConfig } from "../../proxy/config/index.ts";
import type { DeliveryOptionsRequest } from "../../proxy/contract/v1.ts";
import { createDialect } from "../../proxy/dialects/index.ts";
import { UpstreamError } from "../../proxy/fulfillment/model.ts";
import { previewRequest } from "../../proxy/previews/answer.ts";

export function createNaiveProxy(env: Record<string, string>, fetchImpl: typeof fetch): Hono {
  const config = parseConfig(env);
  const dialect = createDialect(config, { fetch: fetchImpl });
  const marketplaceId = config.marketplaceIds[0]!;
  const app = new Hono();
  app.post("/v1/delivery-options", async (c) => {
    const body = (await c.req.json()) as DeliveryOptionsRequest;
    try {
      const { data } = await dialect.preview(previewRequest(body, marketplaceId, "USD"));
      return c.json({ options: data.previews, source: "live" });
    } catch (error) {
      const status = error instanceof UpstreamError ? error.status : 0;
      return c.json({ title: "Upstream failure", status: 502, detail: `Amazon answered ${status}` }, 502);
    }
  });
  return app;
}

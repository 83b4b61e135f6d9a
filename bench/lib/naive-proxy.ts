// The baseline of the flash-sale benchmark: a minimal Hono pass-through that calls Amazon's
// getFulfillmentPreview for every request — the same request mapping and SP-API client as the proxy, but no
// cache, no coalescing, no throttling, no retries, no degraded answers.
import { Hono } from "hono";
import { parseConfig } from "../../proxy/config/index.ts";
import { previewRequest } from "../../proxy/routes/delivery-options.ts";
import type { DeliveryOptionsRequest } from "../../proxy/schemas/index.ts";
import { createUpstream } from "../../proxy/upstream/index.ts";
import { UpstreamError } from "../../proxy/upstream/types.ts";

export function createNaiveProxy(env: Record<string, string>, fetchImpl: typeof fetch): Hono {
  const config = parseConfig(env);
  const { upstream } = createUpstream(config, { fetch: fetchImpl });
  const marketplaceId = config.marketplaceIds[0]!;
  const app = new Hono();
  app.post("/v1/delivery-options", async (c) => {
    const body = (await c.req.json()) as DeliveryOptionsRequest;
    try {
      const { data } = await upstream.getFulfillmentPreview(previewRequest(body, marketplaceId, "USD"));
      return c.json({ options: data.fulfillmentPreviews ?? [], source: "live" });
    } catch (error) {
      const status = error instanceof UpstreamError ? error.status : 0;
      return c.json({ title: "Upstream failure", status: 502, detail: `Amazon answered ${status}` }, 502);
    }
  });
  return app;
}

// Public routes: health, the OpenAPI document and the element bundle.
import type { Hono } from "hono";
import type { AppContext, AppEnv } from "../context.ts";
import { Problem } from "../problems/index.ts";
import { openApiDocument } from "../schemas/openapi.ts";
import { sha256Base64Url } from "../shared/digest.ts";

export const VERSION = "0.1.0";

const PUBLIC = { "access-control-allow-origin": "*", "cross-origin-resource-policy": "cross-origin" };
const PUBLIC_PATHS = ["/v1/health", "/openapi.json", "/widget.js"];

export function metaRoutes(app: Hono<AppEnv>, ctx: AppContext): void {
  // Anyone may read these from any page, so a preflight (e.g. a fetch sending x-request-id) is granted too.
  app.on("OPTIONS", PUBLIC_PATHS, (c) =>
    c.body(null, 204, {
      ...PUBLIC,
      "access-control-allow-methods": "GET, HEAD, OPTIONS",
      "access-control-allow-headers": "x-request-id, if-none-match, cache-control",
      "access-control-expose-headers": "x-request-id, etag",
      "access-control-max-age": "86400",
    }),
  );

  app.get("/v1/health", async (c) => {
    const started = ctx.clock.now();
    const check = await ctx.dialect.checkHealth({ signal: c.req.raw.signal });
    const upstream = {
      dialect: ctx.dialect.name,
      kind: ctx.config.upstream.kind,
      status: check.status,
      ...(check.status === "ok" ? { latencyMs: ctx.clock.now() - started } : {}),
      ...(check.reason ? { reason: ctx.redactor.text(check.reason) } : {}),
    };
    const store = ctx.storeHealth();
    const storeDown = store.buckets?.mode === "local";
    return c.json(
      {
        status: check.status === "ok" && !storeDown ? "ok" : "degraded",
        version: VERSION,
        time: new Date(ctx.clock.now()).toISOString(),
        upstream,
        store,
      },
      200,
      { ...PUBLIC, "cache-control": "no-store" },
    );
  });

  let openApi: string | undefined;
  app.get("/openapi.json", (c) => {
    openApi ??= JSON.stringify(openApiDocument(VERSION));
    return c.body(openApi, 200, {
      ...PUBLIC,
      "content-type": "application/json",
      "cache-control": "public, max-age=300",
    });
  });

  let widget: { script: string; etag: string } | undefined;
  app.get("/widget.js", async (c) => {
    // Read on every request (the entry decides how to cache), hash only when the bundle changed.
    const script = await ctx.widgetScript();
    if (script === null) {
      throw new Problem({
        title: "Widget not built",
        status: 404,
        detail: "This proxy has no widget bundle; run `npm run build` (it serves dist/widget.js).",
      });
    }
    if (widget?.script !== script) widget = { script, etag: `"${await sha256Base64Url(script, 16)}"` };
    const headers = {
      ...PUBLIC,
      etag: widget.etag,
      "cache-control": "public, max-age=300, stale-while-revalidate=86400",
      "x-content-type-options": "nosniff",
    };
    if (c.req.header("if-none-match") === widget.etag) return c.body(null, 304, headers);
    return c.body(widget.script, 200, { ...headers, "content-type": "text/javascript; charset=utf-8" });
  });
}

// Public routes: health, the OpenAPI document and the element bundle.
import type { Hono } from "hono";
import type { AppContext, AppEnv } from "../context.ts";
import { Problem } from "../problems/index.ts";
import { openApiDocument } from "../schemas/openapi.ts";
import { sha256Base64Url } from "../shared/digest.ts";

export const VERSION = "0.1.0";

const PUBLIC = { "access-control-allow-origin": "*", "cross-origin-resource-policy": "cross-origin" };
const PUBLIC_PATHS = ["/v1/health", "/openapi.json", "/widget.js", "/order-status.js"];

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
    // A private app proves its one merchant's credentials; in connector mode each tenant's calls prove its own, and
    // the operator's /v1/admin/health lists the tenants that need attention.
    const merchant = ctx.merchants.sole;
    const check = merchant
      ? await merchant.dialect.checkHealth({ signal: c.req.raw.signal })
      : { status: "ok" as const, reason: undefined };
    const upstream = {
      dialect: merchant?.dialect.name ?? ctx.config.amazonApi,
      kind: ctx.config.upstream.kind,
      status: check.status,
      ...(merchant && check.status === "ok" ? { latencyMs: ctx.clock.now() - started } : {}),
      ...(check.reason ? { reason: ctx.redactor.text(check.reason) } : {}),
    };
    const store = ctx.storeHealth();
    const storeDown = store.buckets?.mode === "local";
    return c.json(
      {
        status: check.status === "ok" && !storeDown ? "ok" : "degraded",
        version: VERSION,
        time: new Date(ctx.clock.now()).toISOString(),
        mode: ctx.merchants.mode,
        upstream,
        store,
      },
      200,
      { ...PUBLIC, "cache-control": "no-store" },
    );
  });

  let openApi: string | undefined;
  app.get("/openapi.json", (c) => {
    openApi ??= JSON.stringify(ctx.openApi(openApiDocument(VERSION)));
    return c.body(openApi, 200, {
      ...PUBLIC,
      "content-type": "application/json",
      "cache-control": "public, max-age=300",
    });
  });

  // The element bundles, so one deploy serves the checkout and the confirmation page: read on every request (the
  // entry decides how to cache), hashed only when a bundle changed.
  const serveScript = (path: string, read: () => Promise<string | null>) => {
    let served: { script: string; etag: string } | undefined;
    app.get(path, async (c) => {
      const script = await read();
      if (script === null) {
        throw new Problem({
          title: "Element not built",
          status: 404,
          detail: `This proxy has no ${path.slice(1)}; run \`npm run build\` (it serves dist${path}).`,
        });
      }
      if (served?.script !== script) served = { script, etag: `"${await sha256Base64Url(script, 16)}"` };
      const headers = {
        ...PUBLIC,
        etag: served.etag,
        "cache-control": "public, max-age=300, stale-while-revalidate=86400",
        "x-content-type-options": "nosniff",
      };
      if (c.req.header("if-none-match") === served.etag) return c.body(null, 304, headers);
      return c.body(served.script, 200, { ...headers, "content-type": "text/javascript; charset=utf-8" });
    });
  };
  serveScript("/widget.js", ctx.widgetScript);
  serveScript("/order-status.js", ctx.orderStatusScript);
}

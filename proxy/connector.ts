// Connector mode: one proxy serving many merchants (tenants) from a tenant store. The same app as a private one,
// plus the operator API (/v1/admin/…) and the onboarding page (/connect), and the operator API in /openapi.json.
// Kept apart from app.ts so a private app's bundle (the Worker's especially) carries none of it.
import type { Hono } from "hono";
import { type AppDeps, createApp } from "./app.ts";
import type { Config } from "./config/index.ts";
import { validateFallbackRates } from "./previews/fallback.ts";
import { validatePricingRules } from "./pricing/index.ts";
import { adminOpenApi, adminRoutes, lwaRefreshTokenCheck } from "./routes/admin.ts";
import { type ConnectContext, connectRoutes } from "./routes/connect.ts";
import type { TenantStore } from "./tenants/store.ts";

/** What a deployment may add to the onboarding pages: a link to the merchant's store page, a hook on a new tenant. */
export type ConnectOptions = Pick<ConnectContext, "widgetUrl" | "docsUrl" | "storePageUrl" | "onConnected">;

export function createConnectorApp(
  config: Config,
  deps: AppDeps & { tenants: TenantStore; connect?: ConnectOptions },
): Hono {
  const { connector } = config;
  if (!connector) throw new TypeError("createConnectorApp needs connector mode (MCF_ADMIN_KEY)");
  const { tenants } = deps;
  return createApp(config, {
    ...deps,
    routes: (app, ctx) => {
      deps.routes?.(app, ctx);
      adminRoutes(app, {
        tenants,
        adminKey: connector.adminKey,
        ...(connector.redirectUri ? { publicOrigin: new URL(connector.redirectUri).origin } : {}),
        validators: { pricing: (raw) => validatePricingRules(raw), fallbackRates: (raw) => validateFallbackRates(raw) },
        verifyRefreshToken: lwaRefreshTokenCheck({
          tokenUrl: config.upstream.tokenUrl,
          clientId: config.lwa.clientId,
          clientSecret: config.lwa.clientSecret,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        }),
      });
      connectRoutes(app, {
        tenants,
        app: {
          applicationId: connector.applicationId,
          clientId: config.lwa.clientId,
          clientSecret: config.lwa.clientSecret,
          redirectUri: connector.redirectUri,
          draft: connector.draft,
        },
        lwaTokenUrl: config.upstream.tokenUrl,
        ...(connector.sellerCentralUrl ? { sellerCentralUrl: connector.sellerCentralUrl } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...deps.connect,
      });
    },
    openApi: (document) => withOperatorApi(deps.openApi ? deps.openApi(document) : document),
  });
}

type OpenApi = { components: { schemas: object; securitySchemes: object }; paths: object };

function withOperatorApi(document: Record<string, unknown>): Record<string, unknown> {
  const base = document as unknown as OpenApi;
  const admin = adminOpenApi();
  return {
    ...document,
    components: {
      ...base.components,
      securitySchemes: { ...base.components.securitySchemes, ...admin.securitySchemes },
      schemas: { ...base.components.schemas, ...admin.schemas },
    },
    paths: { ...base.paths, ...admin.paths },
  };
}

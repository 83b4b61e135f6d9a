// Cloudflare Workers entry for connector mode (`wrangler deploy --env connector`): worker.ts's handler
// (worker-handler.ts) building the connector's app over a tenant store on the D1 binding TENANTS, whose migrations
// run on the isolate's first request (TenantStore.open). Without MCF_ADMIN_KEY it serves a private app like
// worker.ts. A bundle of its own, so the private app's Worker carries none of the connector (Kysely, the operator
// API, /connect).
import type { D1DialectConfig } from "kysely-d1";
import { createApp } from "../app.ts";
import { createConnectorApp } from "../connector.ts";
import { openTenantStore } from "../tenants/open.ts";
import { workerHandler } from "./worker-handler.ts";

export { McfStoreObject } from "../stores/durable-objects.ts";

/** The D1 binding holding the tenants (d1_databases in wrangler.jsonc's connector environment). */
const TENANTS_BINDING = "TENANTS";

export default workerHandler(async ({ config, deps, env, variables }) => {
  if (!config.connector) return createApp(config, deps);
  const d1 = env[TENANTS_BINDING] as D1DialectConfig["database"] | undefined;
  if (!d1) {
    throw new Error(
      `connector mode on Workers needs the D1 binding ${TENANTS_BINDING} (d1_databases in wrangler.jsonc's ` +
        "connector environment); MCF_DATABASE_URL=postgres://… is for Node, Bun and Deno",
    );
  }
  const tenants = await openTenantStore(variables, { d1 });
  return createConnectorApp(config, { ...deps, tenants });
});

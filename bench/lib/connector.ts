// A connector-mode proxy for the benchmarks: createConnectorApp over a tenant store on node:sqlite in a temporary
// folder, holding `count` tenants created directly through TenantStore (every one active, on the sandbox's dev
// refresh token, its own selling partner id, allowed origin https://shop.example). As the Node entry builds it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { AppDeps } from "../../proxy/app.ts";
import type { Config } from "../../proxy/config/index.ts";
import { parseConfig } from "../../proxy/config/index.ts";
import { createConnectorApp } from "../../proxy/connector.ts";
import { generateTokenKey, parseTokenKeys } from "../../proxy/tenants/crypto.ts";
import { type SyncSqliteDatabase, syncSqliteDialect } from "../../proxy/tenants/sqlite.ts";
import { TenantStore } from "../../proxy/tenants/store.ts";
import type { SandboxCredentials } from "./env.ts";
import { nodeUpstreamFetch, type Running, serveFetch, silentLogger } from "./servers.ts";

export const CONNECTOR_ORIGIN = "https://shop.example";

export interface ConnectorBenchProxy extends Running {
  /** The tenants' publishable keys, in creation order. */
  publishableKeys: string[];
  store: TenantStore;
  /** SQL statements the tenant store ran since start (key resolutions that missed its cache, token reads). */
  queries(): number;
}

/** The connector's environment: the sandbox as Amazon, the dev app's LWA client, no merchant of its own. */
export function connectorEnv(sandboxUrl: string, credentials: SandboxCredentials, extra: Record<string, string> = {}) {
  return {
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: sandboxUrl,
    LWA_CLIENT_ID: credentials.clientId,
    LWA_CLIENT_SECRET: credentials.clientSecret,
    MCF_QUOTE_SECRET: "bench-quote-secret-0123456789abcdef0123456789",
    MCF_ADMIN_KEY: "bench_admin_key_0123456789",
    MCF_APP_ID: "amzn1.sellerapps.app.sandbox-dev-app",
    MCF_CONNECT_REDIRECT_URI: "http://127.0.0.1:1/connect/amazon/callback",
    MCF_TOKEN_KEY: generateTokenKey(),
    ...extra,
  };
}

export async function startConnectorBenchProxy(
  env: Record<string, string>,
  refreshToken: string,
  count: number,
  options: {
    tweak?: (config: Config) => void;
    fetch?: typeof fetch;
    /** The app's stores over the in-memory defaults (e.g. other bounds). */
    stores?: AppDeps["stores"];
  } = {},
): Promise<ConnectorBenchProxy> {
  const config = parseConfig(env);
  options.tweak?.(config);
  let queries = 0;
  const dir = await mkdtemp(join(tmpdir(), "mcf-bench-tenants-"));
  const store = await TenantStore.open({
    dialect: syncSqliteDialect(new DatabaseSync(join(dir, "tenants.db")) as unknown as SyncSqliteDatabase),
    tokenKeys: await parseTokenKeys(env.MCF_TOKEN_KEY),
    onQuery: () => {
      queries++;
    },
  });
  const publishableKeys: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await store.create({
      name: `Bench ${i}`,
      region: "na",
      marketplaceIds: ["ATVPDKIKX0DER"],
      allowedOrigins: [CONNECTOR_ORIGIN],
      sellingPartnerId: `A${String(i).padStart(5, "0")}BENCHSELLER`,
      refreshToken,
    });
    publishableKeys.push(created.publishableKey);
  }
  const app = createConnectorApp(config, {
    tenants: store,
    logger: silentLogger,
    fetch: options.fetch ?? nodeUpstreamFetch,
    ...(options.stores ? { stores: options.stores } : {}),
  });
  const server = await serveFetch(app.fetch);
  return {
    url: server.url,
    publishableKeys,
    store,
    queries: () => queries,
    async close() {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

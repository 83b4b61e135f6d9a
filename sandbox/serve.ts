/**
 * `npm run sandbox`: the simulator over HTTP.
 * Env: SANDBOX_PORT (8788), SANDBOX_HOST (127.0.0.1), SANDBOX_LWA_CLIENT_ID / _CLIENT_SECRET / _REFRESH_TOKEN
 * (dev defaults otherwise), SANDBOX_TIME_SCALE (1; e.g. 120 makes an order go Received → Complete in two minutes;
 * LWA tokens and throttling keep real time),
 * SANDBOX_CATALOG (path to a catalog JSON file; the demo catalog otherwise),
 * SANDBOX_MWS_SELLER_ID / _ACCESS_KEY_ID / _SECRET_KEY (the seller's MWS keys; dev defaults otherwise).
 */
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { DEV_MWS_KEYS, DEV_MWS_SELLER_ID, type SellerWithMws } from "./auth/mws.ts";
import { type Catalog, createSandbox, DEV_CREDENTIALS, scaledClock, systemClock } from "./index.ts";

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

const env = process.env;
const port = Number(env.SANDBOX_PORT ?? 8788);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`SANDBOX_PORT must be a port number, got ${env.SANDBOX_PORT}`);
const hostname = env.SANDBOX_HOST ?? "127.0.0.1";
const scale = Number(env.SANDBOX_TIME_SCALE ?? 1);
if (!(scale > 0) || !Number.isFinite(scale))
  fail(`SANDBOX_TIME_SCALE must be a positive number, got ${env.SANDBOX_TIME_SCALE}`);

const given = [env.SANDBOX_LWA_CLIENT_ID, env.SANDBOX_LWA_CLIENT_SECRET, env.SANDBOX_LWA_REFRESH_TOKEN];
if (given.some(Boolean) && !given.every(Boolean))
  fail("set all of SANDBOX_LWA_CLIENT_ID, SANDBOX_LWA_CLIENT_SECRET and SANDBOX_LWA_REFRESH_TOKEN, or none");
const credentials = given.every(Boolean)
  ? { clientId: given[0] as string, clientSecret: given[1] as string, refreshToken: given[2] as string }
  : DEV_CREDENTIALS;

const mwsGiven = [env.SANDBOX_MWS_SELLER_ID, env.SANDBOX_MWS_ACCESS_KEY_ID, env.SANDBOX_MWS_SECRET_KEY];
if (mwsGiven.some(Boolean) && !mwsGiven.every(Boolean))
  fail("set all of SANDBOX_MWS_SELLER_ID, SANDBOX_MWS_ACCESS_KEY_ID and SANDBOX_MWS_SECRET_KEY, or none");
// The MWS keys are the same seller's: one stock and one order book behind every dialect.
const seller: SellerWithMws = mwsGiven.every(Boolean)
  ? {
      ...credentials,
      sellerId: mwsGiven[0] as string,
      mws: { accessKeyId: mwsGiven[1] as string, secretKey: mwsGiven[2] as string },
    }
  : credentials;

let catalog: Catalog | undefined;
if (env.SANDBOX_CATALOG) {
  try {
    catalog = JSON.parse(readFileSync(env.SANDBOX_CATALOG, "utf8")) as Catalog;
  } catch (error) {
    fail(`cannot read SANDBOX_CATALOG ${env.SANDBOX_CATALOG}: ${(error as Error).message}`);
  }
}

let app: ReturnType<typeof createSandbox>;
try {
  app = createSandbox({
    clock: scale === 1 ? systemClock : scaledClock(scale),
    credentials: seller,
    ...(catalog ? { catalog } : {}),
  });
} catch (error) {
  fail((error as Error).message);
}

const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  const url = `http://${hostname}:${info.port}`;
  const lines = [
    `SP-API sandbox listening on ${url}`,
    `  LWA token endpoint: ${url}/auth/o2/token`,
    `  time scale: ${scale}x for orders (LWA tokens and throttling run in real time); control endpoints under ${url}/_sandbox/ (see docs/sandbox.md)`,
  ];
  if (credentials === DEV_CREDENTIALS) {
    lines.push(
      "  dev credentials (set SANDBOX_LWA_CLIENT_ID / _CLIENT_SECRET / _REFRESH_TOKEN to override):",
      `    LWA_CLIENT_ID=${DEV_CREDENTIALS.clientId}`,
      `    LWA_CLIENT_SECRET=${DEV_CREDENTIALS.clientSecret}`,
      `    LWA_REFRESH_TOKEN=${DEV_CREDENTIALS.refreshToken}`,
    );
  }
  lines.push(`  MWS Fulfillment Outbound Shipment: ${url}/FulfillmentOutboundShipment/2010-10-01`);
  if (!seller.mws) {
    lines.push(
      "  dev MWS keys (set SANDBOX_MWS_SELLER_ID / _ACCESS_KEY_ID / _SECRET_KEY to override):",
      `    MWS_SELLER_ID=${seller.sellerId ?? DEV_MWS_SELLER_ID}`,
      `    MWS_ACCESS_KEY_ID=${DEV_MWS_KEYS.accessKeyId}`,
      `    MWS_SECRET_KEY=${DEV_MWS_KEYS.secretKey}`,
    );
  }
  // One write, so whoever reads the banner gets it whole.
  console.log(lines.join("\n"));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
  });
}

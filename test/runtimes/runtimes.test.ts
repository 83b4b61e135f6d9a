// One sandbox on Node over HTTP; the proxy started in Node, workerd, Deno and Bun in turn, each pointed at it;
// the same HTTP contract (contract.ts) run against each.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import type { WorkerBuild } from "../../scripts/build-worker.ts";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { contractTests } from "./contract.ts";
import {
  buildWorkerBundle,
  ensureWidgetBuilt,
  type ProxyEnv,
  RUNTIMES,
  type RunningProxy,
  startRuntime,
} from "./harness.ts";

const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;
const lwa = {
  clientId: token("amzn1.application-oa2-client.rt"),
  clientSecret: token("rtsecret"),
  refreshToken: token("Atzr|rt"),
};
const keys = { secret: token("sk_rt_"), publishable: token("pk_rt_"), quote: token("quote_rt_") + token("") };
const ALLOWED_ORIGIN = "https://shop.example";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let worker: WorkerBuild;
let workerDir: string;
let env: ProxyEnv;

before(async () => {
  await ensureWidgetBuilt();
  workerDir = await mkdtemp(join(tmpdir(), "mcf-worker-"));
  worker = await buildWorkerBundle(workerDir);
  sandbox = await startSandbox({ credentials: lwa });
  env = {
    MCF_REGION: "na",
    MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: sandbox.url,
    LWA_TOKEN_URL: `${sandbox.url}/auth/o2/token`,
    LWA_CLIENT_ID: lwa.clientId,
    LWA_CLIENT_SECRET: lwa.clientSecret,
    LWA_REFRESH_TOKEN: lwa.refreshToken,
    MCF_SECRET_KEY: keys.secret,
    MCF_PUBLISHABLE_KEY: keys.publishable,
    MCF_QUOTE_SECRET: keys.quote,
    MCF_ALLOWED_ORIGINS: ALLOWED_ORIGIN,
  };
});

after(async () => {
  await sandbox?.close();
  if (workerDir) await rm(workerDir, { recursive: true, force: true });
});

const ADDRESS = {
  name: "Runtime Test",
  line1: "410 Terry Ave N",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
};

for (const runtime of RUNTIMES) {
  describe(`proxy on ${runtime}`, () => {
    let proxy: RunningProxy | undefined;
    before(async () => {
      proxy = await startRuntime(runtime, env, worker);
    });
    after(async () => {
      await proxy?.close();
    });
    contractTests({
      proxy: () => {
        if (!proxy) throw new Error(`${runtime} did not start`);
        return proxy;
      },
      secretKey: keys.secret,
      publishableKey: keys.publishable,
      allowedOrigin: ALLOWED_ORIGIN,
      secrets: [lwa.clientSecret, lwa.refreshToken, keys.secret, keys.quote],
      preview: { items: [{ sku: "MCF-TSHIRT-BLK-M", quantity: 1 }], address: ADDRESS },
      orderAddress: ADDRESS,
    });
  });
}

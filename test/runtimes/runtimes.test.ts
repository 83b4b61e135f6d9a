// One sandbox on Node over HTTP; the proxy started in Node, workerd, Deno and Bun in turn, each pointed at it;
// the same HTTP contract (contract.ts) run against each.
import { randomBytes } from "node:crypto";
import { after, before, describe } from "node:test";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { contractTests } from "./contract.ts";
import {
  buildTemporaryWorker,
  type ProxyEnv,
  RUNTIMES,
  type RunningProxy,
  startRuntime,
  type TemporaryWorkerBuild,
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
let worker: TemporaryWorkerBuild | undefined;
let env: ProxyEnv;

before(async () => {
  worker = await buildTemporaryWorker();
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
  await worker?.remove();
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
      // Every LWA access token the sandbox issues starts with Atza|.
      secrets: [lwa.clientSecret, lwa.refreshToken, keys.secret, keys.quote, "Atza|"],
      preview: { items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }], address: ADDRESS },
      orderAddress: ADDRESS,
    });
  });
}

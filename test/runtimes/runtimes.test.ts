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
const mws = { sellerId: "A1RUNTIMESELLER", accessKeyId: token("AKRT"), secretKey: token("mwsrt") };
const ALLOWED_ORIGIN = "https://shop.example";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let worker: TemporaryWorkerBuild | undefined;
let env: ProxyEnv;

before(async () => {
  worker = await buildTemporaryWorker();
  sandbox = await startSandbox({
    credentials: { ...lwa, sellerId: mws.sellerId, mws: { accessKeyId: mws.accessKeyId, secretKey: mws.secretKey } },
  });
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
    // The contract's fixed Idempotency-Keys must not meet another run's records (restart.test.ts covers the file).
    MCF_STORE: "memory",
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

/** The same contract through each Amazon dialect: SP-API 2020-07-01 on every runtime, the others on Node and workerd. */
const DIALECTS: {
  api: string;
  runtimes: readonly (typeof RUNTIMES)[number][];
  env: () => ProxyEnv;
  secrets: string[];
}[] = [
  { api: "2020-07-01", runtimes: RUNTIMES, env: () => env, secrets: [lwa.clientSecret, lwa.refreshToken, "Atza|"] },
  {
    api: "2026-07-04",
    runtimes: ["node", "workerd"],
    env: () => ({ ...env, MCF_AMAZON_API: "2026-07-04" }),
    secrets: [lwa.clientSecret, lwa.refreshToken, "Atza|"],
  },
  {
    api: "mws-2010-10-01",
    runtimes: ["node", "workerd"],
    env: () => {
      const {
        LWA_CLIENT_ID: _id,
        LWA_CLIENT_SECRET: _secret,
        LWA_REFRESH_TOKEN: _refresh,
        LWA_TOKEN_URL: _url,
        ...rest
      } = env;
      return {
        ...rest,
        MCF_AMAZON_API: "mws-2010-10-01",
        MWS_SELLER_ID: mws.sellerId,
        MWS_ACCESS_KEY_ID: mws.accessKeyId,
        MWS_SECRET_KEY: mws.secretKey,
      };
    },
    secrets: [mws.secretKey],
  },
];

for (const dialect of DIALECTS) {
  for (const runtime of dialect.runtimes) {
    const name = dialect.api === "2020-07-01" ? `proxy on ${runtime}` : `proxy on ${runtime} speaking ${dialect.api}`;
    describe(name, () => {
      let proxy: RunningProxy | undefined;
      before(async () => {
        proxy = await startRuntime(runtime, dialect.env(), worker);
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
        secrets: [...dialect.secrets, keys.secret, keys.quote],
        preview: { items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }], address: ADDRESS },
        orderAddress: ADDRESS,
      });
    });
  }
}

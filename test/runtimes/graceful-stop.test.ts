// SIGTERM stops a proxy without cutting what is in flight: an order Amazon is still creating when the signal
// arrives is answered 201, in Node, Deno and Bun; only then does the process exit.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { type ProxyEnv, type RunningProxy, startRuntime } from "./harness.ts";

const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;
const lwa = {
  clientId: token("amzn1.application-oa2-client.gs"),
  clientSecret: token("gs"),
  refreshToken: token("Atzr|gs"),
};
const keys = { secret: token("sk_gs_"), quote: token("quote_gs_") + token("") };
const CART = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];
const ADDRESS = {
  name: "Stop Test",
  line1: "410 Terry Ave N",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
};

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let env: ProxyEnv;
before(async () => {
  sandbox = await startSandbox({ credentials: lwa, throttle: false });
  env = {
    MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
    MCF_UPSTREAM: "sandbox-local",
    MCF_UPSTREAM_URL: sandbox.url,
    LWA_TOKEN_URL: `${sandbox.url}/auth/o2/token`,
    LWA_CLIENT_ID: lwa.clientId,
    LWA_CLIENT_SECRET: lwa.clientSecret,
    LWA_REFRESH_TOKEN: lwa.refreshToken,
    MCF_SECRET_KEY: keys.secret,
    MCF_QUOTE_SECRET: keys.quote,
    MCF_STORE: "memory",
  };
});
after(() => sandbox?.close());

const api = (proxy: RunningProxy, path: string, body: unknown) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

for (const runtime of ["node", "deno", "bun"] as const) {
  describe(`${runtime} on SIGTERM`, () => {
    let proxy: RunningProxy | undefined;
    after(() => proxy?.close());

    it("finishes the order in flight, then exits", async () => {
      proxy = await startRuntime(runtime, env);
      const options = await api(proxy, "/v1/delivery-options", { items: CART, address: ADDRESS });
      assert.equal(options.status, 200, await options.clone().text());
      const { options: list } = (await options.json()) as { options: { speed: string; quote: string }[] };
      const quote = list.find((option) => option.speed === "Standard")?.quote;
      // Amazon takes a second and a half to create it; the signal comes half a second in.
      sandbox.app.sandbox.faults.replace({ createFulfillmentOrder: { latencyMs: 1_500, count: 1 } });
      const order = api(proxy, "/v1/orders", { quote, items: CART, address: ADDRESS });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const exited = proxy.terminate?.();
      const answer = await order;
      assert.equal(answer.status, 201, await answer.text());
      assert.equal(await exited, 0, proxy.output());
    });
  });
}

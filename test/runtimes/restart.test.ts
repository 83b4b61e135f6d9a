// Idempotency-Keys hold across a restart: the embedded store (one SQLite file, the Node and Bun default) keeps the
// records, so after a restart the original body's retry replays its order and another body under the key is 409.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { type ProxyEnv, type RunningProxy, startRuntime } from "./harness.ts";

const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;
const lwa = {
  clientId: token("amzn1.application-oa2-client.rs"),
  clientSecret: token("rs"),
  refreshToken: token("Atzr|rs"),
};
const keys = { secret: token("sk_rs_"), quote: token("quote_rs_") + token("") };
const CART = [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }];
const ADDRESS = {
  name: "Restart Test",
  line1: "410 Terry Ave N",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
};

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let folder: string;
before(async () => {
  sandbox = await startSandbox({ credentials: lwa, throttle: false });
  folder = await mkdtemp(join(tmpdir(), "mcf-restart-"));
});
after(async () => {
  await sandbox?.close();
  await rm(folder, { recursive: true, force: true });
});

const api = (proxy: RunningProxy, path: string, body: unknown, key?: string) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${keys.secret}`,
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });

for (const runtime of ["node", "bun"] as const) {
  describe(`${runtime}: an Idempotency-Key across a restart`, () => {
    let proxy: RunningProxy | undefined;
    after(() => proxy?.close());

    it("replays the original order and refuses another body", async () => {
      const env: ProxyEnv = {
        MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
        MCF_UPSTREAM: "sandbox-local",
        MCF_UPSTREAM_URL: sandbox.url,
        LWA_TOKEN_URL: `${sandbox.url}/auth/o2/token`,
        LWA_CLIENT_ID: lwa.clientId,
        LWA_CLIENT_SECRET: lwa.clientSecret,
        LWA_REFRESH_TOKEN: lwa.refreshToken,
        MCF_SECRET_KEY: keys.secret,
        MCF_QUOTE_SECRET: keys.quote,
        MCF_STORE: `sqlite:${join(folder, `${runtime}.sqlite`)}`,
      };
      proxy = await startRuntime(runtime, env);
      const options = await api(proxy, "/v1/delivery-options", { items: CART, address: ADDRESS });
      const { options: list } = (await options.json()) as { options: { speed: string; quote: string }[] };
      const quote = list.find((option) => option.speed === "Standard")?.quote;
      const body = { quote, items: CART, address: ADDRESS };
      const created = await api(proxy, "/v1/orders", body, "restart-key");
      assert.equal(created.status, 201, await created.clone().text());
      const { orderId } = (await created.json()) as { orderId: string };

      await proxy.close();
      proxy = await startRuntime(runtime, env);
      const other = await api(proxy, "/v1/orders", { ...body, comment: "a different order" }, "restart-key");
      assert.equal(other.status, 409, await other.text());
      const replay = await api(proxy, "/v1/orders", body, "restart-key");
      assert.equal(replay.status, 201, await replay.clone().text());
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
      assert.equal(((await replay.json()) as { orderId: string }).orderId, orderId);
    });
  });
}

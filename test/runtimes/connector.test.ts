// Connector mode on every runtime, each as its own process (workerd: the connector's Worker bundle on a D1 binding)
// against one sandbox over HTTP: the operator creates two tenants, the first's publishable key previews from its
// shop's origin, its secret key places an order, and the second tenant's key cannot read that order.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { type RunningPostgres, startPostgres } from "../tenants/postgres.ts";
import {
  buildTemporaryWorker,
  type ProxyEnv,
  type RunningProxy,
  type RuntimeName,
  startRuntime,
  type TemporaryWorkerBuild,
} from "./harness.ts";
import { address, CART, poster, standardQuote, testConnector } from "./seller.ts";

const connector = testConnector("cn");
const SHOP = "https://shop.example";
const ADDRESS = address("Connector Test");

type Database = "SQLite" | "PostgreSQL" | "D1";
const CASES: { runtime: RuntimeName; database: Database }[] = [
  { runtime: "node", database: "SQLite" },
  { runtime: "bun", database: "SQLite" },
  { runtime: "bun", database: "PostgreSQL" },
  { runtime: "deno", database: "SQLite" },
  { runtime: "deno", database: "PostgreSQL" },
  { runtime: "workerd", database: "D1" },
];

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let folder: string;
let postgres: RunningPostgres | undefined;
let worker: TemporaryWorkerBuild | undefined;

before(async () => {
  [sandbox, folder, postgres, worker] = await Promise.all([
    startSandbox({ credentials: connector.credentials, throttle: false }),
    mkdtemp(join(tmpdir(), "mcf-connector-")),
    startPostgres(),
    buildTemporaryWorker("connector"),
  ]);
});
after(async () => {
  await Promise.all([sandbox?.close(), postgres?.close(), worker?.remove()]);
  await rm(folder, { recursive: true, force: true });
});

/** Where this case's tenants live: a SQLite file in the temporary folder, a database of its own, or D1. */
async function databaseEnv(runtime: RuntimeName, database: Database): Promise<ProxyEnv> {
  if (database === "D1") return {};
  if (database === "SQLite") return { MCF_DATABASE_URL: `sqlite:${join(folder, `${runtime}-tenants.db`)}` };
  if (!postgres) throw new Error("no PostgreSQL");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    await client.query(`create database ${runtime}_tenants`);
  } finally {
    await client.end();
  }
  return { MCF_DATABASE_URL: postgres.url.replace(/\/postgres$/, `/${runtime}_tenants`) };
}

const getOrder = (proxy: RunningProxy, orderId: string, key: string) =>
  fetch(`${proxy.url}/v1/orders/${encodeURIComponent(orderId)}`, { headers: { authorization: `Bearer ${key}` } });

for (const { runtime, database } of CASES) {
  describe(`${runtime} in connector mode, tenants in ${database}`, () => {
    it("serves each tenant by its keys: preview, order, and no reading another tenant's order", async () => {
      // The embedded state store would write under ./data; the tenants go where MCF_DATABASE_URL (or D1) says.
      const env = connector.env(sandbox.url, { MCF_STORE: "memory", ...(await databaseEnv(runtime, database)) });
      let proxy: RunningProxy | undefined;
      try {
        proxy = await startRuntime(runtime, env, worker, { dataDir: folder });
        const first = await connector.createTenant(proxy, connector.sellers[0]!, [SHOP]);
        const second = await connector.createTenant(proxy, connector.sellers[1]!, [SHOP]);
        assert.equal(first.status, "active");
        assert.notEqual(first.publishableKey, second.publishableKey);

        const preview = await poster(first.publishableKey)(
          proxy,
          "/v1/delivery-options",
          { items: CART, address: ADDRESS },
          undefined,
          { origin: SHOP },
        );
        const previewText = await preview.text();
        assert.equal(preview.status, 200, previewText);
        assert.equal(preview.headers.get("access-control-allow-origin"), SHOP);
        const { options } = JSON.parse(previewText) as { options: { fulfillable: boolean }[] };
        assert.ok(
          options.some((option) => option.fulfillable),
          previewText,
        );

        const quote = await standardQuote(first.post, proxy, ADDRESS);
        const created = await first.post(proxy, "/v1/orders", { quote, items: CART, address: ADDRESS });
        const createdText = await created.text();
        assert.equal(created.status, 201, createdText);
        const { orderId } = JSON.parse(createdText) as { orderId: string };

        const own = await getOrder(proxy, orderId, first.secretKey);
        assert.equal(own.status, 200, await own.text());
        const other = await getOrder(proxy, orderId, second.secretKey);
        assert.equal(other.status, 404, await other.text());

        for (const secret of [connector.keys.admin, connector.keys.token, first.secretKey, second.secretKey]) {
          assert.ok(!proxy.output().includes(secret), `${runtime} printed a secret:\n${proxy.output()}`);
        }
        for (const seller of connector.sellers) assert.ok(!proxy.output().includes(seller.refreshToken));
      } finally {
        await proxy?.close();
      }
    });
  });
}

// Each runtime entry refuses to start on a bad environment, with a message naming every missing or bad variable.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  buildTemporaryWorker,
  commandFor,
  launch,
  type ProxyEnv,
  startRuntime,
  type TemporaryWorkerBuild,
} from "./harness.ts";
import { testConnector } from "./seller.ts";

// Everything valid except: no MCF_SECRET_KEY, and a region that does not exist.
const BROKEN_ENV = {
  MCF_REGION: "mars",
  MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
  LWA_CLIENT_ID: "client-id",
  LWA_CLIENT_SECRET: "client-secret-value",
  LWA_REFRESH_TOKEN: "refresh-token-value",
  MCF_QUOTE_SECRET: "q".repeat(40),
  PORT: "0",
  HOST: "127.0.0.1",
};

const namesBothProblems = (text: string) => {
  assert.match(text, /MCF_SECRET_KEY/, text);
  assert.match(text, /MCF_REGION/, text);
  assert.ok(!text.includes("client-secret-value") && !text.includes("refresh-token-value"), "no secret echoed");
};

// Connector mode, valid but for a tenant database no runtime can open.
const connector = testConnector("st");
const CONNECTOR_ENV: ProxyEnv = {
  ...connector.env("http://127.0.0.1:9", { MCF_DATABASE_URL: "mysql://db.example/tenants", MCF_STORE: "memory" }),
  PORT: "0",
  HOST: "127.0.0.1",
};

for (const runtime of ["node", "deno", "bun"] as const) {
  it(`${runtime} exits at start naming the missing and the bad variable`, async () => {
    const { command, args, env } = commandFor(runtime);
    const launched = launch(command, args, { ...env, ...BROKEN_ENV });
    const code = await launched.exited;
    assert.notEqual(code, 0, launched.output());
    namesBothProblems(launched.output());
  });

  it(`${runtime} in connector mode exits at start naming MCF_DATABASE_URL when it cannot open it`, async () => {
    const { command, args, env } = commandFor(runtime);
    const launched = launch(command, args, { ...env, ...CONNECTOR_ENV });
    const code = await launched.exited;
    assert.notEqual(code, 0, launched.output());
    assert.match(launched.output(), /cannot start: MCF_DATABASE_URL must be a postgres:\/\/ URL/, launched.output());
    assert.ok(!launched.output().includes(connector.keys.admin), "no secret echoed");
  });
}

describe("workerd", () => {
  let worker: TemporaryWorkerBuild | undefined;
  before(async () => {
    worker = await buildTemporaryWorker();
  });
  after(() => worker?.remove());

  it("answers 500 problem+json naming the variables, and logs them, on the isolate's first request", async () => {
    const proxy = await startRuntime("workerd", BROKEN_ENV, worker);
    try {
      const response = await fetch(new URL("/v1/health", proxy.url));
      const text = await response.text();
      assert.equal(response.status, 500);
      assert.match(response.headers.get("content-type") ?? "", /application\/problem\+json/);
      assert.ok(response.headers.get("x-request-id"), "x-request-id even before the app exists");
      namesBothProblems(text);
      const deadline = Date.now() + 5_000;
      while (!proxy.output().includes("cannot start") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      namesBothProblems(proxy.output());
    } finally {
      await proxy.close();
    }
  });

  it("the private app's Worker answers connector mode with a 500 naming the connector's bundle", async () => {
    const { MCF_DATABASE_URL: _url, ...env } = CONNECTOR_ENV;
    const proxy = await startRuntime("workerd", env, worker);
    try {
      const response = await fetch(new URL("/v1/health", proxy.url));
      const text = await response.text();
      assert.equal(response.status, 500, text);
      assert.match(text, /MCF_ADMIN_KEY is set.*wrangler deploy --env connector/, text);
    } finally {
      await proxy.close();
    }
  });
});

// The Node entry as people run it: bad configuration exits non-zero naming each variable; good configuration serves.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, test } from "node:test";
import { startNodeProxy } from "../../proxy/entries/node.ts";
import { SECRETS, testEnv } from "./fixtures.ts";

const ENTRY = new URL("../../proxy/entries/node.ts", import.meta.url).pathname;

describe("proxy/entries/node.ts", () => {
  test("refuses to start without configuration, naming each missing variable, without echoing secrets", async () => {
    const child = spawn(process.execPath, [ENTRY], {
      env: { PATH: process.env.PATH, MCF_SECRET_KEY: "short", LWA_CLIENT_SECRET: SECRETS.clientSecret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, "exit");
    assert.notEqual(code, 0);
    for (const name of [
      "MCF_MARKETPLACE_ID",
      "LWA_CLIENT_ID",
      "LWA_REFRESH_TOKEN",
      "MCF_QUOTE_SECRET",
      "MCF_SECRET_KEY",
    ]) {
      assert.match(stderr, new RegExp(name));
    }
    assert.ok(!stderr.includes(SECRETS.clientSecret));
  });

  test("startNodeProxy listens on an ephemeral port and closes", async () => {
    const proxy = await startNodeProxy(testEnv(), { hostname: "127.0.0.1", port: 0, logger: { log() {} } });
    try {
      assert.match(proxy.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(proxy.port > 0);
      assert.deepEqual(proxy.config.marketplaceIds, ["ATVPDKIKX0DER"]);
      const response = await fetch(`${proxy.url}/openapi.json`);
      assert.equal(response.status, 200);
      assert.ok(response.headers.get("x-request-id"));
    } finally {
      await proxy.close();
    }
  });

  test("startNodeProxy throws the configuration error instead of listening", async () => {
    await assert.rejects(startNodeProxy({}), /MCF_MARKETPLACE_ID: is required/);
  });
});

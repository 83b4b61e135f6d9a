import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { encodeParameters, signParameters } from "../../spec/mws-signature-v2.ts";

const SERVE = fileURLToPath(new URL("../../sandbox/serve.ts", import.meta.url));
const PATH = "/FulfillmentOutboundShipment/2010-10-01";

/** `node sandbox/serve.ts` with exactly `env`, on an ephemeral port; killed if it does not print its banner in 10 s. */
async function startServe(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVE], {
    env: { PATH: process.env.PATH ?? "", SANDBOX_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 10 s: ${output}`)), 10_000);
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)[\s\S]*MWS Fulfillment Outbound Shipment/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`serve.ts exited with ${code}: ${output}`));
      });
    });
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function serviceStatus(url: string, keys: { sellerId: string; accessKeyId: string; secretKey: string }) {
  const params = await signParameters({
    host: new URL(url).host,
    path: PATH,
    params: { Action: "GetServiceStatus", SellerId: keys.sellerId },
    accessKeyId: keys.accessKeyId,
    secretKey: keys.secretKey,
    timestamp: new Date().toISOString(),
    version: "2010-10-01",
  });
  const response = await fetch(`${url}${PATH}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: encodeParameters(params),
  });
  return { status: response.status, text: await response.text() };
}

test("npm run sandbox prints the dev MWS keys, and requests signed with them are accepted", async () => {
  const server = await startServe({});
  try {
    const printed = (name: string) => new RegExp(`${name}=(\\S+)`).exec(server.output())?.[1] ?? "";
    const keys = {
      sellerId: printed("MWS_SELLER_ID"),
      accessKeyId: printed("MWS_ACCESS_KEY_ID"),
      secretKey: printed("MWS_SECRET_KEY"),
    };
    assert.ok(keys.sellerId && keys.accessKeyId && keys.secretKey, server.output());
    const answer = await serviceStatus(server.url, keys);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.text, /<Status>GREEN<\/Status>/);
  } finally {
    await server.stop();
  }
});

test("SANDBOX_MWS_* set the seller's keys (nothing printed); a partial set fails at start naming them", async () => {
  const keys = { sellerId: "A9CISELLER", accessKeyId: "AKIACI", secretKey: "ci-mws-secret" };
  const server = await startServe({
    SANDBOX_MWS_SELLER_ID: keys.sellerId,
    SANDBOX_MWS_ACCESS_KEY_ID: keys.accessKeyId,
    SANDBOX_MWS_SECRET_KEY: keys.secretKey,
  });
  try {
    assert.doesNotMatch(server.output(), /MWS_SECRET_KEY=/);
    assert.equal((await serviceStatus(server.url, keys)).status, 200);
    const devKeys = { ...keys, accessKeyId: "AKIASANDBOXMWSDEVKEY0" };
    assert.match((await serviceStatus(server.url, devKeys)).text, /InvalidAccessKeyId/);
  } finally {
    await server.stop();
  }
  await assert.rejects(
    startServe({ SANDBOX_MWS_SELLER_ID: "A9CISELLER" }),
    /set all of SANDBOX_MWS_SELLER_ID, SANDBOX_MWS_ACCESS_KEY_ID and SANDBOX_MWS_SECRET_KEY, or none/,
  );
});

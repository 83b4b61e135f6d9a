import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { tokenRequest } from "./support.ts";

const SERVE = fileURLToPath(new URL("../../sandbox/serve.ts", import.meta.url));

const START_TIMEOUT_MS = 10_000;

/**
 * Starts `node sandbox/serve.ts` on an ephemeral port and returns its URL and output. The child gets only the
 * variables given (whatever SANDBOX_* the shell holds), and is killed when it does not start in time.
 */
async function startServe(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVE], {
    env: { PATH: process.env.PATH ?? "", SANDBOX_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)[\s\S]*control endpoints/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve.ts exited with ${code}: ${output}`)));
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve.ts did not start within ${START_TIMEOUT_MS} ms: ${output}`));
    }, START_TIMEOUT_MS);
  }).finally(() => clearTimeout(timer));
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
}

test("npm run sandbox: prints dev credentials and serves them", async () => {
  const server = await startServe({});
  try {
    assert.match(server.output(), /LWA_CLIENT_ID=amzn1\.application-oa2-client\.sandboxdevclient/);
    const response = await fetch(`${server.url}/auth/o2/token`, tokenRequest());
    assert.equal(response.status, 200);
  } finally {
    await server.stop();
  }
});

test("SANDBOX_LWA_* credentials and SANDBOX_TIME_SCALE", async () => {
  const server = await startServe({
    SANDBOX_LWA_CLIENT_ID: "amzn1.application-oa2-client.ci",
    SANDBOX_LWA_CLIENT_SECRET: "ci-secret",
    SANDBOX_LWA_REFRESH_TOKEN: "Atzr|ci",
    SANDBOX_TIME_SCALE: "3600",
  });
  try {
    assert.doesNotMatch(server.output(), /LWA_CLIENT_SECRET=/);
    assert.match(server.output(), /time scale: 3600x/);
    const ok = await fetch(
      `${server.url}/auth/o2/token`,
      tokenRequest({
        refresh_token: "Atzr|ci",
        client_id: "amzn1.application-oa2-client.ci",
        client_secret: "ci-secret",
      }),
    );
    assert.equal(ok.status, 200);
    // An hour of sandbox time passes every real second: the clock visibly runs ahead.
    const first = ((await (await fetch(`${server.url}/_sandbox/clock`)).json()) as { epochMs: number }).epochMs;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = ((await (await fetch(`${server.url}/_sandbox/clock`)).json()) as { epochMs: number }).epochMs;
    assert.ok(second - first >= 50 * 3600 * 0.9);
  } finally {
    await server.stop();
  }
});

test("bad configuration fails at start naming the variable", async () => {
  for (const [env, pattern] of [
    [{ SANDBOX_TIME_SCALE: "fast" }, /SANDBOX_TIME_SCALE/],
    [{ SANDBOX_LWA_CLIENT_ID: "only-one" }, /SANDBOX_LWA_CLIENT_SECRET/],
    [{ SANDBOX_PORT: "99999" }, /SANDBOX_PORT/],
  ] as const) {
    await assert.rejects(startServe(env), pattern);
  }
});

test("SANDBOX_TIME_SCALE speeds up orders, not LWA token expiry", async () => {
  const server = await startServe({ SANDBOX_TIME_SCALE: "100000" }); // a sandbox hour every 36 real ms
  try {
    const { access_token: token } = (await (await fetch(`${server.url}/auth/o2/token`, tokenRequest())).json()) as {
      access_token: string;
    };
    await new Promise((resolve) => setTimeout(resolve, 200)); // over five sandbox hours
    const list = await fetch(`${server.url}/fba/outbound/2020-07-01/fulfillmentOrders`, {
      headers: { "x-amz-access-token": token },
    });
    assert.equal(list.status, 200, "a one-hour token lasts a real hour");
  } finally {
    await server.stop();
  }
});

// node-redis on every runtime the Redis stores are offered for: the same probe under Bun and Deno against a real
// redis-server (Node runs the whole contract in redis.test.ts).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT } from "../../scripts/build-worker.ts";
import { type RunningRedis, startRedis } from "../helpers/redis-server.ts";
import { launch } from "../runtimes/harness.ts";

const PROBE = "test/stores/redis-runtime-probe.ts";
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
const RUN_TIMEOUT_MS = 30_000;

const runtimes = {
  bun: { command: bin("bun"), args: ["--no-install", "--no-env-file", "run", PROBE], env: { DO_NOT_TRACK: "1" } },
  deno: {
    command: bin("deno"),
    args: ["run", "--node-modules-dir=manual", "--no-prompt", "--allow-net=127.0.0.1", "--allow-env", PROBE],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  },
};

describe("Redis stores on Bun and Deno", () => {
  let redis: RunningRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.close();
  });

  for (const [name, { command, args, env }] of Object.entries(runtimes)) {
    it(`${name}: atomic put-if-absent and the bucket`, async () => {
      const probe = launch(command, args, { ...env, REDIS_URL: redis.url });
      const timer = setTimeout(() => probe.child.kill("SIGKILL"), RUN_TIMEOUT_MS);
      const code = await probe.exited;
      clearTimeout(timer);
      assert.equal(code, 0, probe.output());
      const lastLine = probe.output().trim().split("\n").at(-1) ?? "";
      const seen = JSON.parse(lastLine);
      assert.equal(seen.winners, 1, probe.output());
      assert.ok([1, 2, 3, 4].includes(seen.stored.n));
      assert.deepEqual(seen.reservations, [
        { granted: true, waitMs: 0 },
        { granted: true, waitMs: 0 },
        { granted: false, waitMs: 1_000 },
      ]);
    });
  }
});

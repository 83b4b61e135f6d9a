// The two-instance checks on the real entries, configured as a deployment would be: two Node processes with
// MCF_STORE=redis://…, two Deno processes with MCF_STORE=deno-kv:<file>, and copies of the Worker bundle in workerd
// binding one Durable Object namespace. A restart is a new process (or a fresh isolate) on the same store.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedis } from "../helpers/redis-server.ts";
import {
  buildTemporaryWorker,
  commandFor,
  freePort,
  type Launched,
  launch,
  type ProxyEnv,
  startRuntime,
} from "../runtimes/harness.ts";
import { startWorkers } from "./miniflare.ts";
import { type ProxyInstance, runTwoInstanceSuite } from "./two-instances.ts";

const READY_TIMEOUT_MS = 30_000;

runTwoInstanceSuite("Redis (Node entry processes, MCF_STORE)", async (env) => {
  const redis = await startRedis();
  return {
    start: async () => ({ ...(await startRuntime("node", { ...env, MCF_STORE: redis.url })), fetch }),
    close: () => redis.close(),
  };
});

/** The Deno entry with a KV file in `folder`: the runtimes harness's command plus KV's flag and file access. */
async function startDenoEntry(env: ProxyEnv, folder: string): Promise<ProxyInstance> {
  const { command, args, env: runtimeEnv } = commandFor("deno");
  const kvArgs = args.flatMap((arg) =>
    arg.startsWith("--allow-read=") ? [`${arg},${folder}`, `--allow-write=${folder}`, "--unstable-kv"] : [arg],
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const kvEnv = { MCF_STORE: `deno-kv:${join(folder, "kv.sqlite3")}`, PORT: String(port), HOST: "127.0.0.1" };
  const deno: Launched = launch(command, kvArgs, { ...runtimeEnv, ...env, ...kvEnv });
  const stop = async () => {
    deno.child.kill("SIGKILL");
    await deno.exited;
  };
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return { url, fetch, close: stop };
    } catch {
      if (!deno.running() || performance.now() > deadline) {
        await stop();
        throw new Error(`deno entry did not answer:\n${deno.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

runTwoInstanceSuite("Deno KV (Deno entry processes, MCF_STORE=deno-kv)", async (env) => {
  const folder = await mkdtemp(join(tmpdir(), "mcf-deno-entry-kv-"));
  return {
    start: () => startDenoEntry(env, folder),
    close: () => rm(folder, { recursive: true, force: true }),
  };
});

runTwoInstanceSuite("Durable Object namespace (Worker bundle in workerd)", async (env) => {
  const build = await buildTemporaryWorker();
  // Two isolates serve; the third is the fresh isolate a "restarted" instance's retry lands on.
  const workers = await startWorkers(build.bundlePath, { bindings: env, workers: 3 }).catch(async (error) => {
    await build.remove();
    throw error;
  });
  let started = 0;
  return {
    async start() {
      const fetcher = workers.fetchers[started++];
      if (!fetcher) throw new Error("no fresh isolate left");
      return { url: "http://proxy.test", fetch: fetcher, close: async () => {} };
    },
    async close() {
      await workers.close();
      await build.remove();
    },
  };
});

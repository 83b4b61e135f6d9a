// Starts the proxy in each runtime it ships for — Node, workerd, Deno, Bun — as that runtime's own process, on
// loopback, and tears every process down on every exit path. Shared by test/runtimes and bench/runtimes.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { buildWorker, ROOT, WIDGET_PATH, type WorkerBuild, type WorkerBundleName } from "../../scripts/build-worker.ts";

export const RUNTIMES = ["node", "workerd", "deno", "bun"] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export interface RunningProxy {
  runtime: RuntimeName;
  url: string;
  /** Everything the runtime printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Milliseconds from launch until it answered its first HTTP request. */
  startupMs: number;
  close(): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code once the process is gone (process runtimes only). */
  terminate?(): Promise<number | null>;
}

export type ProxyEnv = Record<string, string>;

const READY_TIMEOUT_MS = 30_000;
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

// ── child-process bookkeeping: nothing outlives the test process ──────────────────────────────────────────────
const children = new Set<ChildProcess>();
const killAll = () => {
  for (const child of children) child.kill("SIGKILL");
};
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** A port that was free a moment ago, for runtimes whose entry we do not control (the Node entry). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Polls until the server answers any HTTP request, the process dies, or the time runs out. */
async function waitUntilAnswering(url: string, launched: Launched): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!launched.running()) throw new Error(`exited before answering:\n${launched.output()}`);
    try {
      const response = await fetch(new URL("/__ready", url), { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return;
    } catch {
      if (performance.now() > deadline) {
        throw new Error(`did not answer within ${READY_TIMEOUT_MS} ms:\n${launched.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export interface Launched {
  child: ChildProcess;
  output(): string;
  /** False once the process exited or could not be spawned at all. */
  running(): boolean;
  /** The exit code; null when killed by a signal or never spawned. */
  exited: Promise<number | null>;
}

/** Spawns one runtime process with exactly `env` (plus PATH/HOME) and collects what it prints. */
export function launch(command: string, args: string[], env: ProxyEnv): Launched {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let printed = "";
  let running = true;
  child.stdout?.on("data", (chunk: Buffer) => {
    printed += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    printed += chunk;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code) => {
      running = false;
      children.delete(child);
      resolve(code);
    });
    child.once("error", (error) => {
      running = false;
      printed += `\n${error.message}`;
      children.delete(child);
      resolve(null);
    });
  });
  return { child, output: () => printed, running: () => running, exited };
}

async function stop({ child, running, exited }: Launched): Promise<void> {
  if (!running()) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

export interface StartOptions {
  /** A folder the proxy may write (a database file in it): Deno gets read and write permission for it. */
  dataDir?: string;
}

/** How each process-based runtime runs its entry. Runtimes get loopback-only network and no telemetry. */
export function commandFor(
  runtime: Exclude<RuntimeName, "workerd">,
  { dataDir }: StartOptions = {},
): {
  command: string;
  args: string[];
  env: ProxyEnv;
} {
  switch (runtime) {
    case "node":
      return { command: process.execPath, args: ["proxy/entries/node.ts"], env: {} };
    case "deno":
      return {
        command: bin("deno"),
        args: [
          "run",
          "--node-modules-dir=manual",
          // Deno.serve otherwise aborts request.signal once a response is sent (its legacy behaviour, now warned of).
          "--unstable-no-legacy-abort",
          "--no-prompt",
          "--allow-net=127.0.0.1",
          "--allow-env",
          `--allow-read=${[join(ROOT, "dist"), ...(dataDir ? [dataDir] : [])].join(",")}`,
          ...(dataDir ? [`--allow-write=${dataDir}`] : []),
          "proxy/entries/deno.ts",
        ],
        env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      };
    case "bun":
      // Bun loads .env from its cwd (the repo root) by default: a developer's .env would change the proxy's config.
      return {
        command: bin("bun"),
        args: ["--no-install", "--no-env-file", "run", "proxy/entries/bun.ts"],
        env: { DO_NOT_TRACK: "1" },
      };
  }
}

async function startProcess(
  runtime: Exclude<RuntimeName, "workerd">,
  env: ProxyEnv,
  options: StartOptions,
): Promise<RunningProxy> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { command, args, env: runtimeEnv } = commandFor(runtime, options);
  const started = performance.now();
  const launched = launch(command, args, { ...runtimeEnv, ...env, PORT: String(port), HOST: "127.0.0.1" });
  try {
    await waitUntilAnswering(url, launched);
  } catch (error) {
    await stop(launched);
    throw new Error(`${runtime}: ${(error as Error).message}`);
  }
  return {
    runtime,
    url,
    output: launched.output,
    startupMs: performance.now() - started,
    close: () => stop(launched),
    terminate: () => {
      launched.child.kill("SIGTERM");
      return launched.exited;
    },
  };
}

export interface TemporaryWorkerBuild extends WorkerBuild {
  remove(): Promise<void>;
}

/**
 * Bundles a Worker (the private app's by default, or connector mode's) as `wrangler deploy` would ship it, into a
 * temporary folder; workerd runs this bundle.
 */
export async function buildTemporaryWorker(bundle: WorkerBundleName = "private"): Promise<TemporaryWorkerBuild> {
  await ensureWidgetBuilt();
  const outDir = await mkdtemp(join(tmpdir(), "mcf-worker-"));
  try {
    const build = await buildWorker(outDir, { assetsDirectory: join(outDir, "assets"), bundle });
    return { ...build, remove: () => rm(outDir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs the deployable bundle in workerd through Miniflare, with `env` as the Worker's vars and secrets, and the D1
 * databases its wrangler environment binds (in memory, gone with the instance).
 */
async function startWorkerd(build: WorkerBuild, env: ProxyEnv): Promise<RunningProxy> {
  let printed = "";
  const collect = (stream: Readable) =>
    stream.on("data", (chunk: Buffer) => {
      printed += chunk;
    });
  const started = performance.now();
  const { config, bundlePath } = build;
  const miniflare = new Miniflare({
    modules: true,
    modulesRoot: join(bundlePath, ".."),
    scriptPath: bundlePath,
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    bindings: env,
    d1Databases: config.d1Databases,
    assets: {
      directory: build.assetsDirectory,
      binding: config.assetsBinding,
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
    },
    host: "127.0.0.1",
    port: 0,
    cf: false, // do not fetch request.cf data from the internet
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      collect(stdout);
      collect(stderr);
    },
  });
  let url: URL;
  try {
    url = await miniflare.ready;
    const response = await fetch(new URL("/__ready", url));
    await response.body?.cancel();
  } catch (error) {
    await miniflare.dispose();
    throw new Error(`workerd: ${(error as Error).message}\n${printed}`);
  }
  const startupMs = performance.now() - started;
  return {
    runtime: "workerd",
    url: url.origin,
    output: () => printed,
    startupMs,
    close: () => miniflare.dispose(),
  };
}

/** Starts the proxy in `runtime` with `env` (workerd needs the Worker bundle). */
export function startRuntime(
  runtime: RuntimeName,
  env: ProxyEnv,
  worker?: WorkerBuild,
  options: StartOptions = {},
): Promise<RunningProxy> {
  if (runtime !== "workerd") return startProcess(runtime, env, options);
  if (!worker) throw new Error("workerd needs a Worker bundle: call buildWorkerBundle first");
  return startWorkerd(worker, env);
}

/** `vite build` when dist/widget.js is missing (a fresh clone running only `npm run test:runtimes`). */
export async function ensureWidgetBuilt(): Promise<void> {
  if (existsSync(WIDGET_PATH)) return;
  const { exited, output } = launch(process.execPath, [bin("vite"), "build", "--logLevel", "warn"], {});
  if ((await exited) !== 0) throw new Error(`vite build failed:\n${output()}`);
}

// Runs a Worker entry in workerd through Miniflare with the store Durable Object bound as in wrangler.jsonc: the
// entry is bundled with esbuild into a temporary folder first (workerd runs JavaScript). With `workers` > 1, as many
// copies of the Worker (separate isolates) bind one Durable Object namespace, as a deployment's isolates do.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { STORE_BINDING } from "../../proxy/stores/durable-objects.ts";
import { readWorkerConfig } from "../../scripts/build-worker.ts";

export interface RunningWorker {
  /** The first Worker's URL. */
  url: string;
  /** One fetch per Worker copy (the first one's reaches `url`). */
  fetchers: (typeof fetch)[];
  /** The Host header that routes a request sent to `url` to each copy (`worker-<i>.workers.test`). */
  hosts: string[];
  output(): string;
  close(): Promise<void>;
}

/**
 * Runs `workers` copies of the bundled Worker at `scriptPath` (each its own isolate), all binding one McfStoreObject
 * namespace (the class lives in the first copy, as in one deployment).
 */
export async function startWorkers(
  scriptPath: string,
  options: { bindings?: Record<string, string>; workers?: number } = {},
): Promise<RunningWorker> {
  const config = readWorkerConfig();
  const count = options.workers ?? 1;
  const host = (index: number) => `worker-${index}.workers.test`;
  const worker = (index: number) => ({
    name: `worker-${index}`,
    routes: [`${host(index)}/*`],
    modules: true,
    modulesRoot: dirname(scriptPath),
    scriptPath,
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    bindings: options.bindings ?? {},
    durableObjects: {
      [STORE_BINDING]: index === 0 ? "McfStoreObject" : { className: "McfStoreObject", scriptName: "worker-0" },
    },
  });
  let printed = "";
  const miniflare = new Miniflare({
    workers: Array.from({ length: count }, (_, index) => worker(index)),
    host: "127.0.0.1",
    port: 0,
    cf: false,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      for (const stream of [stdout, stderr]) stream.on("data", (chunk: Buffer) => (printed += chunk));
    },
  });
  try {
    const url = await miniflare.ready;
    const fetchers = await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        // Miniflare's Fetcher type leans on Workers types this project does not load; its fetch is fetch-shaped.
        const fetcher = (await miniflare.getWorker(`worker-${index}`)) as unknown as { fetch: typeof fetch };
        return ((input: string | URL | Request, init?: RequestInit) =>
          fetcher.fetch(input instanceof Request ? input.url : String(input), init)) as typeof fetch;
      }),
    );
    const hosts = Array.from({ length: count }, (_, index) => host(index));
    return { url: url.origin, fetchers, hosts, output: () => printed, close: () => miniflare.dispose() };
  } catch (error) {
    await miniflare.dispose();
    throw new Error(`workerd: ${(error as Error).message}\n${printed}`);
  }
}

/** Bundles `entry` (esbuild, into a temporary folder) and runs it as `startWorkers` does. */
export async function startStoreWorker(
  entry: string,
  options: { bindings?: Record<string, string>; workers?: number } = {},
): Promise<RunningWorker> {
  const dir = await mkdtemp(join(tmpdir(), "mcf-do-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const scriptPath = join(dir, "worker.js");
    await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile: scriptPath,
      logLevel: "error",
    });
    const running = await startWorkers(scriptPath, options);
    return {
      ...running,
      close: async () => {
        await running.close();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

// Runs a Worker entry in workerd through Miniflare with the store Durable Object bound as in wrangler.jsonc: the
// entry is bundled with esbuild into a temporary folder first (workerd runs JavaScript). With `workers` > 1, as many
// copies of the Worker (separate isolates) bind one Durable Object namespace, as a deployment's isolates do.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  output(): string;
  close(): Promise<void>;
}

export async function startStoreWorker(
  entry: string,
  options: { bindings?: Record<string, string>; workers?: number } = {},
): Promise<RunningWorker> {
  const dir = await mkdtemp(join(tmpdir(), "mcf-do-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  let printed = "";
  let miniflare: Miniflare | undefined;
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
    const config = readWorkerConfig();
    const worker = (index: number) => ({
      name: `store-${index}`,
      modules: true,
      modulesRoot: dir,
      scriptPath,
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: config.compatibilityFlags,
      bindings: options.bindings ?? {},
      durableObjects: {
        [STORE_BINDING]: index === 0 ? "McfStoreObject" : { className: "McfStoreObject", scriptName: "store-0" },
      },
    });
    miniflare = new Miniflare({
      workers: Array.from({ length: options.workers ?? 1 }, (_, index) => worker(index)),
      host: "127.0.0.1",
      port: 0,
      cf: false,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        for (const stream of [stdout, stderr]) stream.on("data", (chunk: Buffer) => (printed += chunk));
      },
    });
    const url = await miniflare.ready;
    const running = miniflare;
    const fetchers = await Promise.all(
      Array.from({ length: options.workers ?? 1 }, async (_, index) => {
        // Miniflare's Fetcher type leans on Workers types this project does not load; its fetch is fetch-shaped.
        const fetcher = (await running.getWorker(`store-${index}`)) as unknown as { fetch: typeof fetch };
        return ((input: string | URL | Request, init?: RequestInit) =>
          fetcher.fetch(input instanceof Request ? input.url : String(input), init)) as typeof fetch;
      }),
    );
    return {
      url: url.origin,
      fetchers,
      output: () => printed,
      close: async () => {
        await running.dispose();
        await remove();
      },
    };
  } catch (error) {
    await miniflare?.dispose();
    await remove();
    throw new Error(`workerd: ${(error as Error).message}\n${printed}`);
  }
}

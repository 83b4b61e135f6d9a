// Runs a Worker entry in workerd through Miniflare with the store Durable Object bound as in wrangler.jsonc: the
// entry is bundled with esbuild into a temporary folder first (workerd runs JavaScript).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { STORE_BINDING } from "../../proxy/stores/durable-objects.ts";
import { readWorkerConfig } from "../../scripts/build-worker.ts";

export interface RunningWorker {
  url: string;
  output(): string;
  close(): Promise<void>;
}

export async function startStoreWorker(entry: string, bindings: Record<string, string> = {}): Promise<RunningWorker> {
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
    miniflare = new Miniflare({
      modules: true,
      modulesRoot: dir,
      scriptPath,
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: config.compatibilityFlags,
      bindings,
      durableObjects: { [STORE_BINDING]: "McfStoreObject" },
      host: "127.0.0.1",
      port: 0,
      cf: false,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        for (const stream of [stdout, stderr]) stream.on("data", (chunk: Buffer) => (printed += chunk));
      },
    });
    const url = await miniflare.ready;
    const running = miniflare;
    return {
      url: url.origin,
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

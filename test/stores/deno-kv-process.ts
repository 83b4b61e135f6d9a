// A real deno process serving the Deno KV stores (deno-kv-server.ts) on a file-backed KV in a temporary folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/build-worker.ts";
import { launch } from "../runtimes/harness.ts";

const READY_TIMEOUT_MS = 30_000;

export interface DenoKvServer {
  url: string;
  /** The folder holding the KV file: pass it to start a second process on the same KV. */
  folder: string;
  stop(): Promise<void>;
}

/** Starts the server on the KV file in `dir` (a fresh folder, removed on stop, when not given). */
export async function startDenoKvServer(dir?: string): Promise<DenoKvServer> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), "mcf-deno-kv-")));
  const args = [
    "run",
    "--node-modules-dir=manual",
    "--no-prompt",
    "--unstable-kv",
    "--allow-net=127.0.0.1",
    `--allow-read=${folder}`,
    `--allow-write=${folder}`,
    "test/stores/deno-kv-server.ts",
    join(folder, "kv.sqlite3"),
  ];
  const server = launch(join(ROOT, "node_modules/.bin/deno"), args, { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" });
  const stop = async () => {
    server.child.kill("SIGKILL");
    await server.exited;
    if (!dir) await rm(folder, { recursive: true, force: true });
  };
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    const port = /listening on (\d+)/.exec(server.output())?.[1];
    if (port) return { url: `http://127.0.0.1:${port}`, folder, stop };
    if (!server.running() || performance.now() > deadline) {
      await stop();
      throw new Error(`deno KV server did not start:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

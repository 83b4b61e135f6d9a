// Two proxy instances on one Deno KV: each instance's stores are served by its own deno process opening the same
// KV file, so they share state only through KV (as Deno Deploy isolates do).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDenoKvServer } from "./deno-kv-process.ts";
import { remoteStores } from "./remote-client.ts";
import { runTwoInstanceSuite } from "./two-instances.ts";

runTwoInstanceSuite("Deno KV file", async () => {
  const folder = await mkdtemp(join(tmpdir(), "mcf-deno-kv-shared-"));
  return {
    async connect() {
      const server = await startDenoKvServer(folder);
      return { stores: await remoteStores(server.url), close: server.stop };
    },
    close: () => rm(folder, { recursive: true, force: true }),
  };
});

// Two in-process proxy apps on one Deno KV: each app's stores are served by its own deno process opening the same
// KV file, so they share state only through KV.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDenoKvServer } from "./deno-kv-process.ts";
import { remoteStores } from "./remote-client.ts";
import { inProcessFleet, runTwoInstanceSuite } from "./two-instances.ts";

runTwoInstanceSuite("Deno KV file", async (env) => {
  const folder = await mkdtemp(join(tmpdir(), "mcf-deno-kv-shared-"));
  return inProcessFleet({
    async connect() {
      const server = await startDenoKvServer(folder);
      return { stores: await remoteStores(server.url), close: server.stop };
    },
    close: () => rm(folder, { recursive: true, force: true }),
  })(env);
});

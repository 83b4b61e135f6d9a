// The contract suite on Deno KV: a real deno process with a file-backed KV in a temporary folder serves the stores,
// and the suite calls them over loopback HTTP.
import { runStoreContract } from "./contract.ts";
import { startDenoKvServer } from "./deno-kv-process.ts";
import { remoteStores } from "./remote-client.ts";

runStoreContract("deno-kv", async () => {
  const server = await startDenoKvServer();
  return { stores: await remoteStores(server.url), close: server.stop };
});

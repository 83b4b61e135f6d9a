// The contract suite on Durable Objects in real workerd (Miniflare 4): a test Worker exposes the stores over fetch.
import { runStoreContract } from "./contract.ts";
import { startStoreWorker } from "./miniflare.ts";
import { remoteStores } from "./remote-client.ts";

runStoreContract("durable-objects", async () => {
  const worker = await startStoreWorker("test/stores/durable-objects-worker.ts");
  return { stores: await remoteStores(worker.url), close: worker.close };
});

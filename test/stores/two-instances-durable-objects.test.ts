// Two in-process proxy apps on one Durable Object namespace: each app's stores are reached through its own copy of
// the test Worker (its own isolate in workerd), both bound to the same McfStoreObject namespace.
import { startStoreWorker } from "./miniflare.ts";
import { remoteStores } from "./remote-client.ts";
import { inProcessFleet, runTwoInstanceSuite } from "./two-instances.ts";

runTwoInstanceSuite("Durable Object namespace", async (env) => {
  const worker = await startStoreWorker("test/stores/durable-objects-worker.ts", { workers: 2 });
  let connections = 0;
  return inProcessFleet({
    async connect() {
      const fetcher = worker.fetchers[connections++ % worker.fetchers.length]!;
      return { stores: await remoteStores(worker.url, fetcher), close: async () => {} };
    },
    close: worker.close,
  })(env);
});

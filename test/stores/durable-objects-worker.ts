// The test Worker for durable-objects.test.ts: the Durable Object stores, served over fetch (remote-server.ts).
import { createDurableObjectStores, type DurableObjectStoresEnv } from "../../proxy/stores/durable-objects.ts";
import { serveStores } from "./remote-server.ts";

export { McfStoreObject } from "../../proxy/stores/durable-objects.ts";

let handle: ((request: Request) => Promise<Response>) | undefined;

export default {
  fetch(request: Request, env: DurableObjectStoresEnv): Promise<Response> {
    handle ??= serveStores(createDurableObjectStores(env));
    return handle(request);
  },
};

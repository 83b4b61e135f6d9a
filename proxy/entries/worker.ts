// Cloudflare Workers entry (module worker) of a private app. Vars and secrets arrive as `env` bindings on each
// request; they are mapped onto the config once per isolate (worker-handler.ts). /widget.js comes from the
// static-assets binding (see wrangler.jsonc). Connector mode is another bundle (worker-connector.ts, on the same
// handler), so this one carries neither the operator API nor the tenant database.
import { createApp } from "../app.ts";
import { workerHandler } from "./worker-handler.ts";

export { McfStoreObject } from "../stores/durable-objects.ts";

export default workerHandler(({ config, deps }) => {
  if (config.connector) {
    throw new Error(
      "MCF_ADMIN_KEY is set (connector mode), but this is the private app's Worker: deploy the connector's bundle " +
        "with `wrangler deploy --env connector` (proxy/entries/worker-connector.ts, a D1 binding TENANTS)",
    );
  }
  return createApp(config, deps);
});

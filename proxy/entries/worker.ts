// Cloudflare Workers entry (module worker). Vars and secrets arrive as `env` bindings on each request; they are
// mapped onto the config once per isolate. /widget.js comes from the static-assets binding (see wrangler.jsonc).
import type { ExecutionContext, Hono } from "hono";
import { createApp } from "../app.ts";
import { parseConfig } from "../config/index.ts";
import { createDurableObjectStores, type DurableObjectStoresEnv, STORE_BINDING } from "../stores/durable-objects.ts";
import { cannotStartMessage, widgetFromFile } from "./listen.ts";

export { McfStoreObject } from "../stores/durable-objects.ts";

/** The Workers static-assets binding: fetches a file of the uploaded `dist/worker-assets` directory. */
interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

export interface WorkerEnv {
  ASSETS?: AssetsBinding;
  [binding: string]: unknown;
}

/** Only string bindings are configuration (vars and secrets); KV, assets and the like are objects. */
function configVariables(env: WorkerEnv): Record<string, string | undefined> {
  const variables: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") variables[name] = value;
  return variables;
}

function scriptFromAssets(assets: AssetsBinding | undefined, file: string): () => Promise<string | null> {
  return widgetFromFile(async () => {
    if (!assets) throw new Error("no ASSETS binding");
    const response = await assets.fetch(new Request(`https://assets.invalid/${file}`));
    if (!response.ok) throw new Error(`assets answered ${response.status}`);
    return response.text();
  });
}

function misconfigured(message: string): Response {
  const problem = {
    type: "about:blank",
    title: "Proxy misconfigured",
    status: 500,
    detail: `${message}\nSet secrets with \`wrangler secret put NAME\` and other settings under "vars" in wrangler.jsonc.`,
  };
  const headers = {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    "x-request-id": crypto.randomUUID(),
  };
  return new Response(JSON.stringify(problem), { status: 500, headers });
}

// Workers only hand `env` to handlers, so "start" is the isolate's first request: parse then, once.
let app: Hono | undefined;
let configError: string | undefined;

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    if (!app && configError === undefined) {
      try {
        // With the MCF_STATE Durable Object binding, the state of every isolate is one (buckets, idempotency, caches).
        const shared = env[STORE_BINDING]
          ? createDurableObjectStores(env as unknown as DurableObjectStoresEnv)
          : undefined;
        app = createApp(parseConfig(configVariables(env)), {
          widgetScript: scriptFromAssets(env.ASSETS, "widget.js"),
          orderStatusScript: scriptFromAssets(env.ASSETS, "order-status.js"),
          ...(shared ? { stores: shared } : {}),
        });
      } catch (error) {
        configError = error instanceof Error ? error.message : String(error);
        console.error(cannotStartMessage(error));
      }
    }
    if (!app) return misconfigured(configError ?? "Invalid configuration.");
    return app.fetch(request, env, ctx);
  },
};

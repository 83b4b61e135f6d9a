// The module Worker's handler both Worker entries share (worker.ts: a private app; worker-connector.ts: connector
// mode): the configuration from `env` once per isolate, the shared state in the MCF_STATE Durable Object, /widget.js
// from the static-assets binding, and a 500 problem naming the variables while the configuration is unusable.
// Not an entry itself: a Worker's entry module may export only handlers and classes.
import type { ExecutionContext, Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { type Config, parseConfig } from "../config/index.ts";
import { createDurableObjectStores, type DurableObjectStoresEnv, STORE_BINDING } from "../stores/durable-objects.ts";
import { cannotStartMessage, widgetFromFile } from "./listen.ts";

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

/** Builds the app from the parsed configuration (the private app's, or the connector's over its tenant store). */
export type WorkerAppBuilder = (input: {
  config: Config;
  deps: AppDeps;
  env: WorkerEnv;
  /** The string bindings: the configuration's variables. */
  variables: Record<string, string | undefined>;
}) => Hono | Promise<Hono>;

/**
 * A module Worker's handler around `build`. Workers only hand `env` to handlers, so "start" is the isolate's first
 * request: the configuration is parsed then, once (a bad one is answered with the 500 naming it until fixed). A
 * build that fails later (the tenant database not reachable) is logged, answered the same way, and retried on the
 * next request.
 */
export function workerHandler(build: WorkerAppBuilder) {
  let app: Promise<Hono> | undefined;
  let configError: string | undefined;
  const fail = (error: unknown) => {
    console.error(cannotStartMessage(error));
    return misconfigured(error instanceof Error ? error.message : String(error));
  };
  return {
    async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
      if (configError !== undefined) return misconfigured(configError);
      if (!app) {
        const variables = configVariables(env);
        let config: Config;
        try {
          config = parseConfig(variables);
        } catch (error) {
          configError = error instanceof Error ? error.message : String(error);
          return fail(error);
        }
        // With the MCF_STATE Durable Object binding, the state of every isolate is one (buckets, idempotency, caches).
        const shared = env[STORE_BINDING]
          ? createDurableObjectStores(env as unknown as DurableObjectStoresEnv)
          : undefined;
        const deps: AppDeps = {
          widgetScript: scriptFromAssets(env.ASSETS, "widget.js"),
          orderStatusScript: scriptFromAssets(env.ASSETS, "order-status.js"),
          ...(shared ? { stores: shared } : {}),
        };
        app = Promise.resolve().then(() => build({ config, deps, env, variables }));
      }
      let ready: Hono;
      try {
        ready = await app;
      } catch (error) {
        app = undefined;
        return fail(error);
      }
      return ready.fetch(request, env, ctx);
    },
  };
}

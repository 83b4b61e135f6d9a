// Node entry: `node proxy/entries/node.ts`. Maps process.env onto the validated config (exiting non-zero with a
// message naming each bad variable), serves /widget.js from dist/widget.js, listens on HOST:PORT.
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { type AppDeps, createApp } from "../app.ts";
import { type Config, parseConfig } from "../config/index.ts";
import { cannotStartMessage, listeningMessage, widgetFromFile } from "./listen.ts";

export interface NodeProxy {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  config: Config;
  app: Hono;
  close(): Promise<void>;
}

export interface NodeProxyOptions extends AppDeps {
  /** Default: env.HOST, else 0.0.0.0 (127.0.0.1 is wise for tests and the demo). */
  hostname?: string;
  /** Default: config.port (PORT); 0 picks a free port. */
  port?: number;
}

const DIST_WIDGET = new URL("../../dist/widget.js", import.meta.url);

/** The built element, read on first use; null (→ 404) until `vite build` produced it. */
export const widgetFromDist = widgetFromFile(() => readFile(DIST_WIDGET, "utf8"));

/** Parses env (throws ConfigError naming each bad variable), builds the app and listens. */
export async function startNodeProxy(
  env: Record<string, string | undefined>,
  options: NodeProxyOptions = {},
): Promise<NodeProxy> {
  const config = parseConfig(env);
  const { hostname: host, port: portOption, ...deps } = options;
  const app = createApp(config, { widgetScript: widgetFromDist, ...deps });
  const hostname = host ?? (env.HOST?.trim() || "0.0.0.0");
  const server = serve({ fetch: app.fetch, port: portOption ?? config.port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const shown = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  return {
    url: `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`,
    port,
    config,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open; they carry no work once we are closing.
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
}

if (import.meta.main) {
  try {
    const proxy = await startNodeProxy(process.env);
    console.log(listeningMessage(process.env.HOST?.trim() || "0.0.0.0", proxy.port));
    const stop = () => void proxy.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    console.error(cannotStartMessage(error));
    process.exit(1);
  }
}

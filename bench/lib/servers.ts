// Servers the benchmarks run against: the proxy (with a config tweak and a counting fetch), the naive
// pass-through, and a bare node:http server answering fixed JSON. Each listens on an ephemeral loopback port.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type AppDeps, createApp } from "../../proxy/app.ts";
import { type Config, parseConfig } from "../../proxy/config/index.ts";
import { createKeepAliveFetch } from "../../proxy/entries/node.ts";
import type { Logger } from "../../proxy/log/index.ts";

export interface Running {
  url: string;
  close(): Promise<void>;
}

export const silentLogger: Logger = { log: () => {} };

type Fetch = typeof fetch;

/** What the Node entry (`startNodeProxy`) uses to reach Amazon: node:http keep-alive agents (idle sockets unref'd). */
export const nodeUpstreamFetch: Fetch = createKeepAliveFetch().fetch;

async function listen(server: http.Server): Promise<Running> {
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Serves a Hono-style fetch handler on an ephemeral loopback port. */
export function serveFetch(fetchHandler: (request: Request) => Response | Promise<Response>): Promise<Running> {
  return listen(serve({ fetch: fetchHandler, port: 0, hostname: "127.0.0.1" }) as http.Server);
}

/** The proxy as the Node entry builds it, from `env`; `tweak` may adjust the parsed config (e.g. rate plans). */
export function startBenchProxy(
  env: Record<string, string>,
  options: { fetch?: Fetch; tweak?: (config: Config) => void; logger?: Logger } = {},
): Promise<Running> {
  const config = parseConfig(env);
  options.tweak?.(config);
  const deps: AppDeps = { logger: options.logger ?? silentLogger, fetch: options.fetch ?? nodeUpstreamFetch };
  return serveFetch(createApp(config, deps).fetch);
}

/** The baseline: node:http answering the same fixed JSON to every request. */
export function startBareServer(body: string): Promise<Running> {
  const bytes = Buffer.from(body);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length });
      res.end(bytes);
    });
  });
  server.listen(0, "127.0.0.1");
  return listen(server);
}

export interface UpstreamCounts {
  previewCalls: number;
  preview429: number;
  calls: number;
}

/** A fetch that counts what reaches Amazon (the sandbox): preview calls and their 429s. */
export function countingFetch(counts: UpstreamCounts, inner: Fetch = nodeUpstreamFetch): Fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const response = await inner(input, init);
    if (url.includes("/fba/outbound/")) {
      counts.calls++;
      if (url.endsWith("/fulfillmentOrders/preview")) {
        counts.previewCalls++;
        if (response.status === 429) counts.preview429++;
      }
    }
    return response;
  };
}

/** Starts a server (see server-worker.ts) in its own thread. */
export async function startInWorker(spec: import("./server-worker.ts").ServerSpec): Promise<Running> {
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(new URL("./server-worker.ts", import.meta.url), { workerData: spec });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("message", (message: { url: string }) => resolve(message.url));
    worker.once("error", reject);
  });
  return {
    url,
    close: async () => {
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      worker.postMessage("close");
      await exited;
    },
  };
}

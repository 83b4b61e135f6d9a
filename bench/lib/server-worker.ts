// Runs one server in a worker thread, so the load generator (main thread) and the server each get a core.
// workerData: {kind: "bare" | "hono", body} or {kind: "proxy", env}; posts {url} once listening, closes on "close".
import { parentPort, workerData } from "node:worker_threads";
import { Hono } from "hono";
import { type Running, serveFetch, startBareServer, startBenchProxy } from "./servers.ts";

export type ServerSpec = { kind: "bare" | "hono"; body: string } | { kind: "proxy"; env: Record<string, string> };

/** The framework floor: Hono on @hono/node-server answering the same fixed JSON. */
function startHonoServer(body: string): Promise<Running> {
  const app = new Hono();
  app.post("*", (c) => c.body(body, 200, { "content-type": "application/json" }));
  return serveFetch(app.fetch);
}

const spec = workerData as ServerSpec;
const server: Running =
  spec.kind === "proxy"
    ? await startBenchProxy(spec.env)
    : spec.kind === "hono"
      ? await startHonoServer(spec.body)
      : await startBareServer(spec.body);
parentPort!.postMessage({ url: server.url });
parentPort!.on("message", async (message) => {
  if (message === "close") {
    await server.close();
    process.exit(0);
  }
});

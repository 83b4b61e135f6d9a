// Runs one server in a worker thread, so the load generator (main thread) and the server each get a core.
// workerData: {kind: "bare", body} or {kind: "proxy", env}; posts {url} once listening, closes on "close".
import { parentPort, workerData } from "node:worker_threads";
import { type Running, startBareServer, startBenchProxy } from "./servers.ts";

export type ServerSpec = { kind: "bare"; body: string } | { kind: "proxy"; env: Record<string, string> };

const spec = workerData as ServerSpec;
const server: Running = spec.kind === "bare" ? await startBareServer(spec.body) : await startBenchProxy(spec.env);
parentPort!.postMessage({ url: server.url });
parentPort!.on("message", async (message) => {
  if (message === "close") {
    await server.close();
    process.exit(0);
  }
});

// Run by deno-kv.test.ts in a real deno process: the Deno KV stores on a file-backed KV (argument 1), served over
// HTTP on a free loopback port, which it prints.
import { createDenoKvStores, type DenoKv } from "../../proxy/stores/deno-kv.ts";
import { serveStores } from "./remote-server.ts";

declare const Deno: {
  args: string[];
  openKv(path: string): Promise<DenoKv>;
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

const kv = await Deno.openKv(Deno.args[0] ?? "");
const handle = serveStores(createDenoKvStores(kv));
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`listening on ${port}`) }, handle);

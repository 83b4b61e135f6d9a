import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createSandbox, type Sandbox, type SandboxOptions } from "../../sandbox/index.ts";

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). LWA is at `${url}/auth/o2/token`. */
  url: string;
  app: Sandbox;
  close(): Promise<void>;
}

/** Serves a fresh sandbox over real HTTP on an ephemeral loopback port. */
export function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const app = createSandbox(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        app,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}

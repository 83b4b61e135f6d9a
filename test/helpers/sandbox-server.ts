import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createSandbox, DEV_CREDENTIALS, type Sandbox, type SandboxOptions } from "../../sandbox/index.ts";

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

/** An access token for the sandbox's dev seller, as Amazon's own clients get one (for calling SP-API directly). */
export async function devAccessToken(sandboxUrl: string): Promise<string> {
  const reply = await fetch(`${sandboxUrl}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: DEV_CREDENTIALS.refreshToken,
      client_id: DEV_CREDENTIALS.clientId,
      client_secret: DEV_CREDENTIALS.clientSecret,
    }),
  });
  if (!reply.ok) throw new Error(`sandbox LWA answered ${reply.status}: ${await reply.text()}`);
  return ((await reply.json()) as { access_token: string }).access_token;
}

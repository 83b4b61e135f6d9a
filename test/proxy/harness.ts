// Proxy + sandbox over real HTTP, with every upstream call counted and every response and log line kept for the
// secret scans.
import type { AppDeps } from "../../proxy/app.ts";
import { DEV_CREDENTIALS, type SandboxOptions } from "../../sandbox/index.ts";
import { startProxy } from "../helpers/proxy-server.ts";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { manualClock, SECRETS, testEnv } from "./fixtures.ts";

/** JSON bodies under test are read field by field, and each assertion checks what it reads. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export interface Seen {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface Harness {
  proxyUrl: string;
  sandboxUrl: string;
  clock: ReturnType<typeof manualClock>;
  /** Upstream calls as "METHOD /path", in order (LWA included). */
  calls: string[];
  /** Access tokens the sandbox issued to the proxy. */
  accessTokens: string[];
  logs: string[];
  responses: Seen[];
  /** fetch against the proxy that remembers the response. */
  request(
    path: string,
    init?: RequestInit & { json?: unknown; key?: "secret" | "publishable" | "none" },
  ): Promise<Seen & { body: Json }>;
  countOf(fragment: string): number;
  advanceSandbox(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string | undefined> = {},
  options: { sandbox?: SandboxOptions; deps?: AppDeps } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ throttle: false, ...options.sandbox });
  const clock = manualClock(Date.now());
  const calls: string[] = [];
  const accessTokens: string[] = [];
  const logs: string[] = [];
  const responses: Seen[] = [];
  const countingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(`${init?.method ?? "GET"} ${url.pathname}${url.search}`);
    const response = await fetch(input, init);
    if (url.pathname.endsWith("/auth/o2/token") && response.ok) {
      const copy = (await response.clone().json()) as { access_token?: string };
      if (copy.access_token) accessTokens.push(copy.access_token);
    }
    return response;
  };
  const proxy = await startProxy(
    testEnv({
      MCF_UPSTREAM_URL: sandbox.url,
      LWA_CLIENT_ID: DEV_CREDENTIALS.clientId,
      LWA_CLIENT_SECRET: DEV_CREDENTIALS.clientSecret,
      LWA_REFRESH_TOKEN: DEV_CREDENTIALS.refreshToken,
      ...env,
    }),
    {
      fetch: countingFetch,
      clock,
      logger: { log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })) },
      ...options.deps,
    },
  );
  return {
    proxyUrl: proxy.url,
    sandboxUrl: sandbox.url,
    clock,
    calls,
    accessTokens,
    logs,
    responses,
    async request(path, init = {}) {
      const { json, key = "secret", ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== "none" && !headers.has("authorization")) {
        headers.set("authorization", `Bearer ${key === "secret" ? SECRETS.secretKey : SECRETS.publishableKey}`);
      }
      if (json !== undefined) headers.set("content-type", "application/json");
      const response = await fetch(`${proxy.url}${path}`, {
        ...rest,
        method: rest.method ?? (json === undefined ? "GET" : "POST"),
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      const text = await response.text();
      const seen = { status: response.status, headers: Object.fromEntries(response.headers), text };
      responses.push(seen);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { ...seen, body };
    },
    countOf(fragment) {
      return calls.filter((call) => call.includes(fragment)).length;
    },
    async advanceSandbox(ms) {
      await fetch(`${sandbox.url}/_sandbox/clock/advance`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms }),
      });
    },
    async close() {
      await proxy.close();
      await sandbox.close();
    },
  };
}

/** Every secret that must never leave the proxy. */
export function secretsOf(harness: Harness): string[] {
  return [
    DEV_CREDENTIALS.clientSecret,
    DEV_CREDENTIALS.refreshToken,
    SECRETS.secretKey,
    SECRETS.quoteSecret,
    ...harness.accessTokens,
  ];
}

// Starts the proxy over real HTTP on an ephemeral loopback port, for tests and benchmarks.
import { type NodeProxyOptions, startNodeProxy } from "../../proxy/entries/node.ts";

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * `env` uses the proxy's variable names (see docs/proxy.md); PORT is ignored (always an ephemeral port).
 * `deps` are the app's dependencies (fetch, clock, logger, widgetScript, stores, dialect, resilience).
 */
export async function startProxy(
  env: Record<string, string | undefined>,
  deps: Omit<NodeProxyOptions, "hostname" | "port"> = {},
): Promise<RunningProxy> {
  const proxy = await startNodeProxy(env, { ...deps, hostname: "127.0.0.1", port: 0 });
  return { url: proxy.url, close: () => proxy.close() };
}

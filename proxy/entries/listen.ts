// What the Deno and Bun entries share: turn the environment into an app plus a listen address, or one clear error.
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { parseConfig } from "../config/index.ts";

export interface ListenPlan {
  app: Hono;
  hostname: string;
  port: number;
}

/**
 * Parses the environment once, at start; throws parseConfig's error naming every missing or bad variable.
 * Listens on `PORT` (default 8787, 0 picks a free port) and `HOST` (default all interfaces).
 */
export function planListen(
  env: Record<string, string | undefined>,
  widgetScript: () => Promise<string | null>,
): ListenPlan {
  const config = parseConfig(env);
  return { app: createApp(config, { widgetScript }), hostname: env.HOST?.trim() || "0.0.0.0", port: config.port };
}

/** Reads the built element on first use and keeps it; null (→ 404) while `vite build` has not produced it. */
export function widgetFromFile(read: () => Promise<string>): () => Promise<string | null> {
  let script: Promise<string | null> | undefined;
  return () => {
    script ??= read().catch(() => {
      script = undefined; // retried on the next request, so a later build is picked up
      return null;
    });
    return script;
  };
}

/** The line people and the runtime tests look for. */
export const listeningMessage = (hostname: string, port: number): string =>
  `mcf-checkout proxy listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;

/** The line printed before exiting when the configuration is unusable. */
export const cannotStartMessage = (error: unknown): string =>
  `mcf-checkout proxy cannot start: ${error instanceof Error ? error.message : String(error)}`;

// What every runtime entry shares (the Worker's too, so nothing here may pull in a server-only store engine).

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

/** How long a stopping proxy waits for requests in flight (an order's create, retries and read-back fit in it). */
export const SHUTDOWN_GRACE_MS = 30_000;

/** The line people and the runtime tests look for. */
export const listeningMessage = (hostname: string, port: number): string =>
  `mcf-checkout proxy listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;

/** The line printed before exiting when the configuration is unusable. */
export const cannotStartMessage = (error: unknown): string =>
  `mcf-checkout proxy cannot start: ${error instanceof Error ? error.message : String(error)}`;

// What every route needs, built once per app.
import type { Context } from "hono";
import type { Config } from "./config/index.ts";
import type { IdempotencyStore } from "./idempotency/index.ts";
import type { Logger, Redactor } from "./log/index.ts";
import { issuesToErrors, Problem, validationProblem } from "./problems/index.ts";
import type { Clock, PreviewService } from "./resilience/index.ts";
import type { TokenProvider } from "./upstream/lwa.ts";
import type { FulfillmentUpstream } from "./upstream/types.ts";

export interface AppContext {
  config: Config;
  /** The upstream behind throttling, retries and the circuit breaker: for order operations. */
  upstream: FulfillmentUpstream;
  previews: PreviewService;
  /** Present when the proxy owns the LWA exchange (not when a test injects an upstream). */
  tokens?: TokenProvider;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  idempotency: IdempotencyStore;
  widgetScript: () => Promise<string | null>;
}

export type AppEnv = { Variables: { requestId: string } };

interface SafeParser<T> {
  safeParse(
    input: unknown,
    params?: { reportInput?: boolean },
  ): { success: true; data: T } | { success: false; error: { issues: readonly unknown[] } };
}

/** Reads a JSON body and validates it; any failure is a 4xx problem naming the field. */
export async function readJson<T>(c: Context<AppEnv>, schema: SafeParser<T>): Promise<T> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new Problem({
      title: "Unsupported media type",
      status: 415,
      detail: "Send the body as JSON.",
      errors: [{ path: "header Content-Type", message: "must be application/json" }],
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw validationProblem([{ path: "body", message: "is not valid JSON" }]);
  }
  return parseWith(schema, raw, "body");
}

export function parseWith<T>(schema: SafeParser<T>, raw: unknown, root: string): T {
  // reportInput: each issue carries the value it refused, so a wrong type ("3" for a number) is told apart from a
  // missing field (zod/mini leaves `input` out otherwise, and every type error would read "is required").
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw validationProblem(issuesToErrors(parsed.error.issues as Parameters<typeof issuesToErrors>[0], root));
}

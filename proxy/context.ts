// What every route needs, built once per app; and reading a JSON body against its schema.
import type { Context } from "hono";
import type { Caller } from "./auth/index.ts";
import type { Config } from "./config/index.ts";
import type { Logger, Redactor } from "./log/index.ts";
import type { Merchant, Merchants } from "./merchants/index.ts";
import { issuesToErrors, Problem, validationProblem } from "./problems/index.ts";
import type { Clock } from "./shared/clock.ts";
import type { StoreHealth } from "./stores/open.ts";
import type { Stores } from "./stores/types.ts";

export interface AppContext {
  /** The deployment's configuration; each merchant's own settings are in `c.var.merchant.config`. */
  config: Config;
  /** Which merchant a request is for (the gate sets `c.var.merchant` and `c.var.caller`). */
  merchants: Merchants;
  stores: Stores;
  storeHealth: () => StoreHealth;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  widgetScript: () => Promise<string | null>;
  orderStatusScript: () => Promise<string | null>;
  /** Amends the OpenAPI document (connector mode adds the operator API). */
  openApi: (document: Record<string, unknown>) => Record<string, unknown>;
}

/** The operator API's prefix: its own key (MCF_ADMIN_KEY) guards it, not a merchant's. */
export const ADMIN_PREFIX = "/v1/admin";

export type AppEnv = { Variables: { requestId: string; merchant: Merchant; caller: Caller } };

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

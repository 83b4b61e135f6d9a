import type { MiddlewareHandler } from "hono";
import type { SandboxContext, SandboxEnv } from "../context.ts";
import { OPERATIONS } from "../faults/index.ts";
import { rateHeader } from "../throttle/index.ts";
import {
  type AmazonError,
  errorBody,
  internalFailure,
  invalidInput,
  quotaExceeded,
  serviceUnavailable,
} from "./errors.ts";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Never settles until the client goes away: a hung upstream. */
function hang(signal: AbortSignal): Promise<Response> {
  return new Promise((resolve) => {
    const done = () => resolve(new Response(null, { status: 499 }));
    if (signal.aborted) done();
    else signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Every SP-API operation passes through here: access token, injected faults, the usage plan's token bucket, then
 * the handler. Order matters: Amazon authenticates before it throttles.
 */
export function operation(ctx: SandboxContext, name: string): MiddlewareHandler<SandboxEnv> {
  // Fault plans are checked against OPERATIONS: a route under another name could never be faulted.
  if (!OPERATIONS.includes(name)) throw new Error(`operation ${name} is missing from OPERATIONS`);
  return async (c, next) => {
    c.set("operation", name);
    c.set("sellerId", ctx.lwa.authorize(c.req.header("x-amz-access-token")));
    const plan = ctx.throttle.plans[name];
    if (plan) c.header("x-amzn-RateLimit-Limit", rateHeader(plan));
    const fault = ctx.faults.decide(name);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    const fail = (error: AmazonError) => c.json(errorBody(error), error.status);
    switch (fault.outcome) {
      case "hang":
        return hang(c.req.raw.signal);
      case "throttle":
        return fail(quotaExceeded());
      case "unavailable":
        return fail(serviceUnavailable());
      case "error":
        return fail(internalFailure());
    }
    if (!ctx.throttle.check(c.get("sellerId"), name, ctx.realTime.now()).allowed) return fail(quotaExceeded());
    ctx.orders.settleAll(ctx.clock.now());
    await next();
    if (fault.outcome === "malformed") {
      const text = await c.res.text();
      const headers = new Headers(c.res.headers);
      c.res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: c.res.status, headers });
    }
  };
}

/** Parses a JSON body or answers Amazon's 400. */
export async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidInput("The request body is not valid JSON.");
  }
}

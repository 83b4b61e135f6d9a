// Who is calling: the merchant's server (secret key) or a shopper's browser (publishable key, or no key when none
// is configured), for which merchant, and whether the browser's origin is allowed.
import type { MiddlewareHandler } from "hono";
import type { QuoteKey } from "../config/index.ts";
import type { AppEnv } from "../context.ts";
import type { Identified, Merchant, Merchants } from "../merchants/index.ts";
import { Problem, problemType } from "../problems/index.ts";
import { verifyOrderToken } from "../quotes/index.ts";

export type Caller = "server" | "browser";

/** Constant-time comparison, so response timing does not reveal how much of a key was right. */
export function safeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}

export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

export function serverOnly(caller: Caller, what: string): void {
  if (caller !== "server") {
    throw new Problem({
      title: "Forbidden",
      status: 403,
      detail: `${what} needs the secret key; browsers may not do it.`,
      errors: [{ path: "header Authorization", message: "must carry the secret key" }],
    });
  }
}

export function originAllowed(allowedOrigins: readonly string[], origin: string): boolean {
  return allowedOrigins.includes("*") || allowedOrigins.includes(origin);
}

/** The routes an order token opens on its own (read, cancel, tracking): every other call still needs its key. */
const ORDER_TOKEN_ROUTE = /^\/v1\/orders\/[^/]+(\/cancel|\/packages\/[^/]+)?$/;

const ALLOWED_HEADERS = "authorization, content-type, idempotency-key, x-order-token, x-request-id";
const EXPOSED_HEADERS = "x-request-id, idempotent-replayed, retry-after";

/** What lets the page at `origin` read a response (every refusal carries it, so the element can say what to fix). */
export function corsGrant(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSED_HEADERS, vary: "Origin" };
}

/**
 * The gate of the API: names the merchant and the caller from the key, then applies the merchant's CORS allow-list.
 * Any request from a foreign origin is refused with 403 before it reaches a route (so a POST from a hostile page
 * never touches Amazon), and every refusal carries CORS headers for that origin so the element can read why and tell
 * its developer what to fix. Preflights are therefore answered for every origin: a refused preflight would leave the
 * page only a bare network error. A secret key sent from a page is a leaked key: refused.
 */
export function merchantGate(merchants: Merchants): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    const grant = origin === undefined ? undefined : corsGrant(origin);
    if (grant && c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        ...grant,
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": "600",
      });
    }
    // A private app knows its allow-list before the key is read, so a foreign page learns first what it can fix.
    const refuseForeign = (merchant: Merchant) => {
      if (origin === undefined || originAllowed(merchant.config.allowedOrigins, origin)) return;
      const list =
        merchants.mode === "private" ? "this proxy's MCF_ALLOWED_ORIGINS" : "this merchant's allowed origins";
      throw new Problem(
        {
          type: problemType(403, "origin-not-allowed"),
          title: "Origin not allowed",
          status: 403,
          detail: `${origin} is not in ${list}.`,
          errors: [{ path: "header Origin", message: "is not allowed" }],
        },
        grant,
      );
    };
    if (merchants.sole) refuseForeign(merchants.sole);
    let identified: Identified;
    try {
      const followsOrder = c.req.header("x-order-token") !== undefined && ORDER_TOKEN_ROUTE.test(c.req.path);
      identified = await merchants.identify(c.req.header("authorization"), followsOrder);
    } catch (error) {
      if (grant && error instanceof Problem) throw new Problem(error.body, { ...error.headers, ...grant });
      throw error;
    }
    const { merchant, caller } = identified;
    if (!merchants.sole) refuseForeign(merchant);
    if (grant && caller === "server") {
      throw new Problem(
        {
          type: problemType(403, "secret-key-in-browser"),
          title: "Secret key used from a browser",
          status: 403,
          detail:
            "The secret key was sent from a web page, where anyone can read it: treat it as leaked and rotate it. " +
            "Pages use the publishable key; the secret key belongs on the merchant's server only.",
          errors: [{ path: "header Authorization", message: "carries the secret key from a browser" }],
        },
        grant,
      );
    }
    c.set("merchant", merchant);
    c.set("caller", caller);
    await next();
    if (grant) for (const [name, value] of Object.entries(grant)) c.res.headers.set(name, value);
  };
}

/** Server (secret key), or a browser holding this order's token; throws the problem that says which is missing. */
export async function authorizeOrder(
  caller: Caller,
  quoteKeys: readonly QuoteKey[],
  orderToken: string | undefined,
  orderId: string,
  now: number,
): Promise<void> {
  if (caller === "server") return;
  if (orderToken === undefined) {
    throw new Problem({
      title: "Order token required",
      status: 401,
      detail: "Browsers read or cancel an order with the orderToken returned when it was created.",
      errors: [{ path: "header X-Order-Token", message: "is required" }],
    });
  }
  if (!(await verifyOrderToken(quoteKeys, orderToken, orderId, now))) {
    throw new Problem({
      title: "Invalid order token",
      status: 403,
      detail: "The order token is invalid, expired or for another order.",
      errors: [{ path: "header X-Order-Token", message: "is not valid for this order" }],
    });
  }
}

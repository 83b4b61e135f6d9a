// Who is calling: the merchant's server (secret key) or a shopper's browser (publishable key, or no key when none
// is configured), and whether the browser's origin is allowed.
import type { Context, MiddlewareHandler } from "hono";
import type { Config } from "../config/index.ts";
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

/** Identifies the caller or throws a 401 problem naming the Authorization header. */
export function identify(config: Config, authorization: string | undefined): Caller {
  const key = bearer(authorization);
  if (authorization !== undefined && key === undefined) {
    throw unauthorized("must be `Bearer <key>`");
  }
  if (key !== undefined && safeEqual(key, config.secretKey)) return "server";
  if (key !== undefined && config.publishableKey !== undefined && safeEqual(key, config.publishableKey)) {
    return "browser";
  }
  if (key !== undefined) throw unauthorized("is not a key of this proxy");
  if (config.publishableKey === undefined) return "browser";
  throw unauthorized("is required: send the publishable key or the secret key as `Bearer <key>`");
}

function unauthorized(message: string): Problem {
  return new Problem(
    {
      title: "Unauthorized",
      status: 401,
      detail: `The Authorization header ${message}.`,
      errors: [{ path: "header Authorization", message }],
    },
    { "www-authenticate": 'Bearer realm="mcf-checkout"' },
  );
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

export function originAllowed(config: Config, origin: string): boolean {
  return config.allowedOrigins.includes("*") || config.allowedOrigins.includes(origin);
}

const ALLOWED_HEADERS = "authorization, content-type, idempotency-key, x-order-token, x-request-id";
const EXPOSED_HEADERS = "x-request-id, idempotent-replayed, retry-after";

/**
 * CORS for the API. Any request from a foreign origin is refused with 403 before it reaches a route (so a POST from
 * a hostile page never touches Amazon), and the refusal carries CORS headers for that origin so the element can read
 * why and tell its developer which origin to allow. Preflights are therefore answered for every origin: a refused
 * preflight would leave the page only a bare network error. A secret key sent from a page is a leaked key: refused.
 */
export function corsAllowList(config: Config): MiddlewareHandler {
  return async (c: Context, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    const grant = {
      "access-control-allow-origin": origin,
      "access-control-expose-headers": EXPOSED_HEADERS,
      vary: "Origin",
    };
    if (c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        ...grant,
        "access-control-allow-methods": "GET, POST, OPTIONS",
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": "600",
      });
    }
    if (!originAllowed(config, origin)) {
      throw new Problem(
        {
          type: problemType(403, "origin-not-allowed"),
          title: "Origin not allowed",
          status: 403,
          detail: `${origin} is not in this proxy's MCF_ALLOWED_ORIGINS.`,
          errors: [{ path: "header Origin", message: "is not allowed" }],
        },
        grant,
      );
    }
    const key = bearer(c.req.header("authorization"));
    if (key !== undefined && safeEqual(key, config.secretKey)) {
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
    await next();
    for (const [name, value] of Object.entries(grant)) c.res.headers.set(name, value);
  };
}

/** Server (secret key), or a browser holding this order's token; throws the problem that says which is missing. */
export async function authorizeOrder(
  config: Config,
  headers: { authorization: string | undefined; orderToken: string | undefined },
  orderId: string,
  now: number,
): Promise<Caller> {
  const token = headers.orderToken;
  // The order token is itself the browser's credential; a key alongside it is checked but not required.
  const caller =
    token !== undefined && headers.authorization === undefined ? "browser" : identify(config, headers.authorization);
  if (caller === "server") return caller;
  if (token === undefined) {
    throw new Problem({
      title: "Order token required",
      status: 401,
      detail: "Browsers read or cancel an order with the orderToken returned when it was created.",
      errors: [{ path: "header X-Order-Token", message: "is required" }],
    });
  }
  if (!(await verifyOrderToken(config.quoteKeys, token, orderId, now))) {
    throw new Problem({
      title: "Invalid order token",
      status: 403,
      detail: "The order token is invalid, expired or for another order.",
      errors: [{ path: "header X-Order-Token", message: "is not valid for this order" }],
    });
  }
  return caller;
}

// The merchant server's side of the proxy contract: server-to-server calls with the secret key.
// This is the code a merchant would write in their own backend; the demo routes use nothing else.
import type { Problem } from "../widget/client.ts";
import type { OrderResponse } from "../widget/types.ts";
import type { PackageTracking, ProxyOrder } from "./pages/order.ts";

export class ProxyProblem extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = "ProxyProblem";
    this.problem = problem;
  }
}

/** The proxy's 201 answer to POST /v1/orders. */
export type CreatedOrder = OrderResponse;

export type { PackageTracking, Problem, ProxyOrder };

export interface MerchantClient {
  /** The cart's value from the store's own prices, signed by the proxy (what free shipping over a threshold uses). */
  cartValue(items: { sku: string; quantity: number; unitPrice: string }[], marketplaceId: string): Promise<string>;
  createOrder(body: object, idempotencyKey: string): Promise<CreatedOrder>;
  shipOrder(orderId: string): Promise<unknown>;
  cancelOrder(orderId: string): Promise<unknown>;
  /** With `orderToken`, reads the order as the shopper's browser would (proves the caller holds that order). */
  getOrder(orderId: string, orderToken?: string): Promise<ProxyOrder>;
  getPackage(orderId: string, packageNumber: number): Promise<PackageTracking>;
}

/**
 * `baseUrl` is where the proxy answers `/v1/...` (it may carry a path prefix). `publishableKey`: the store's, sent
 * with an order token as a browser sends it (a connector names the merchant by it; a private app takes the token
 * alone).
 */
export function merchantClient(
  baseUrl: string,
  secretKey: string,
  fetchImpl: typeof fetch = fetch,
  publishableKey?: string,
): MerchantClient {
  const call = async <T>(method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
    const asBrowser = headers["x-order-token"] !== undefined;
    const key = asBrowser ? publishableKey : secretKey;
    const response = await fetchImpl(`${baseUrl.replace(/\/$/, "")}${path}`, {
      method,
      headers: {
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const payload = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok) {
      const problem: Problem =
        payload && typeof payload.title === "string"
          ? { ...(payload as unknown as Problem), status: response.status }
          : { title: response.statusText || "Proxy error", status: response.status };
      throw new ProxyProblem(problem);
    }
    return payload as T;
  };
  const order = (orderId: string) => `/v1/orders/${encodeURIComponent(orderId)}`;
  return {
    cartValue: async (items, marketplaceId) =>
      (await call<{ cartValue: string }>("POST", "/v1/cart-values", { marketplaceId, items })).cartValue,
    createOrder: (body, idempotencyKey) =>
      call<CreatedOrder>("POST", "/v1/orders", body, { "idempotency-key": idempotencyKey }),
    shipOrder: (orderId) => call("POST", `${order(orderId)}/ship`, {}),
    cancelOrder: (orderId) => call("POST", `${order(orderId)}/cancel`, {}),
    getOrder: (orderId, orderToken) =>
      call("GET", order(orderId), undefined, orderToken ? { "x-order-token": orderToken } : {}),
    getPackage: (orderId, packageNumber) => call("GET", `${order(orderId)}/packages/${packageNumber}`),
  };
}

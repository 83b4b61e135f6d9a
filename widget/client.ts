// The elements' only way out: JSON calls to the proxy, RFC 9457 problem+json turned into ProblemError.
import type {
  DeliveryOptionsRequest,
  DeliveryOptionsResponse,
  OrderResponse,
  OrderView,
  PackageTrackingView,
} from "./types.ts";

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** A failed call: the proxy's problem document, or status 0 when the proxy could not be reached. */
export class ProblemError extends Error {
  declare type?: string;
  declare title: string;
  declare status: number;
  declare detail?: string;
  declare errors?: { path: string; message: string }[];

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    Object.assign(this, problem);
    this.name = "ProblemError";
  }
}

/**
 * POSTs `body` as JSON, or GETs without one. Aborting `signal` rejects with the abort; a call still unanswered after
 * `timeout` ms, like an unreachable proxy, rejects with a status-0 ProblemError.
 */
async function call<T>(
  url: string,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string>,
  signal?: AbortSignal,
  timeout?: number,
): Promise<T> {
  if (key) headers.authorization = `Bearer ${key}`;
  if (body) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: body ? "POST" : "GET",
      headers,
      body: body ? JSON.stringify(body) : undefined,
      signal: signal && AbortSignal.any([signal, AbortSignal.timeout(timeout!)]),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ProblemError({ title: "Network error", status: 0, detail: String(error) });
  }
  const payload = await response.json().catch(() => undefined);
  if (response.ok && payload) return payload as T;
  throw new ProblemError(
    payload?.title ? { ...payload, status: response.status } : { title: response.statusText, status: response.status },
  );
}

export const fetchDeliveryOptions = (
  endpoint: string,
  key: string | undefined,
  request: DeliveryOptionsRequest,
  signal: AbortSignal,
  timeout: number,
) => call<DeliveryOptionsResponse>(`${endpoint}/v1/delivery-options`, key, request, {}, signal, timeout);

export const createOrder = (endpoint: string, key: string | undefined, order: object, idempotencyKey?: string) =>
  call<OrderResponse>(`${endpoint}/v1/orders`, key, order, idempotencyKey ? { "idempotency-key": idempotencyKey } : {});

/** An order as the shopper may see it, with its order token; `path` adds `/packages/{n}` for a package's tracking. */
const orderCall = <T>(
  endpoint: string,
  key: string | undefined,
  orderId: string,
  token: string,
  path: string,
  signal: AbortSignal,
  timeout: number,
) =>
  call<T>(
    `${endpoint}/v1/orders/${encodeURIComponent(orderId)}${path}`,
    key,
    undefined,
    { "x-order-token": token },
    signal,
    timeout,
  );

export const fetchOrder = (
  endpoint: string,
  key: string | undefined,
  orderId: string,
  token: string,
  signal: AbortSignal,
  timeout: number,
) => orderCall<OrderView>(endpoint, key, orderId, token, "", signal, timeout);

export const fetchTracking = (
  endpoint: string,
  key: string | undefined,
  orderId: string,
  token: string,
  packageNumber: number,
  signal: AbortSignal,
  timeout: number,
) => orderCall<PackageTrackingView>(endpoint, key, orderId, token, `/packages/${packageNumber}`, signal, timeout);

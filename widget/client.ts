// The element's only way out: JSON POSTs to the proxy, RFC 9457 problem+json turned into ProblemError.
import type { DeliveryOptionsRequest, DeliveryOptionsResponse, OrderResponse } from "./types.ts";

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
 * POSTs JSON. Aborting `signal` rejects with the abort; a call still unanswered after `timeout` ms, like an
 * unreachable proxy, rejects with a status-0 ProblemError.
 */
async function post<T>(
  url: string,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string>,
  signal?: AbortSignal,
  timeout?: number,
): Promise<T> {
  if (key) headers.authorization = `Bearer ${key}`;
  headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
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
) => post<DeliveryOptionsResponse>(`${endpoint}/v1/delivery-options`, key, request, {}, signal, timeout);

export const createOrder = (endpoint: string, key: string | undefined, order: object, idempotencyKey?: string) =>
  post<OrderResponse>(`${endpoint}/v1/orders`, key, order, idempotencyKey ? { "idempotency-key": idempotencyKey } : {});

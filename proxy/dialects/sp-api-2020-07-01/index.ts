// SP-API Fulfillment Outbound 2020-07-01 as a FulfillmentDialect: the model mapped onto Amazon's wire shapes
// (wire.ts), JSON wrapped in `payload`, every answer checked before the proxy trusts it.
import { everyOperation, type FulfillmentDialect, type Operation, type UpstreamMeta } from "../../fulfillment/model.ts";
import { createSpApiTransport, malformed, type SpApiDialectOptions, tokenHealth } from "../sp-api-http.ts";
import {
  fromWireOrder,
  fromWirePreviewResult,
  fromWireTracking,
  toWireCreateRequest,
  toWirePreviewRequest,
  WireMismatch,
} from "./wire.ts";

/** Amazon's usage plans for the operations we call: each 2 req/s, burst 30. */
export const RATE_PLANS_2020_07_01 = everyOperation({ ratePerSecond: 2, burst: 30 });

export function createSpApi20200701(options: SpApiDialectOptions): FulfillmentDialect {
  const send = createSpApiTransport({ ...options, basePath: "/fba/outbound/2020-07-01" });

  /** The `payload` of a 2xx answer, read by `map`; a body that does not fit is a malformed answer. */
  const read = <T>(operation: Operation, meta: UpstreamMeta, body: unknown, map: (payload: unknown) => T) => {
    try {
      const payload = body && typeof body === "object" ? (body as { payload?: unknown }).payload : undefined;
      return { data: map(payload), meta };
    } catch (error) {
      if (error instanceof WireMismatch) throw malformed(operation, meta, error.message);
      throw error;
    }
  };
  const id = (orderId: string) => `/fulfillmentOrders/${encodeURIComponent(orderId)}`;

  return {
    name: "2020-07-01",
    ratePlans: RATE_PLANS_2020_07_01,
    async preview(request, o) {
      const answer = await send(
        "preview",
        "POST",
        "/fulfillmentOrders/preview",
        toWirePreviewRequest(request),
        o?.signal,
      );
      return read("preview", answer.meta, answer.body, fromWirePreviewResult);
    },
    async createOrder(order, o) {
      const { meta } = await send("createOrder", "POST", "/fulfillmentOrders", toWireCreateRequest(order), o?.signal);
      return { data: { confirmed: true }, meta };
    },
    async releaseHold(orderId, o) {
      const { meta } = await send("updateOrder", "PUT", id(orderId), { fulfillmentAction: "Ship" }, o?.signal);
      return { data: null, meta };
    },
    async getOrder(orderId, o) {
      const answer = await send("getOrder", "GET", id(orderId), undefined, o?.signal);
      return read("getOrder", answer.meta, answer.body, fromWireOrder);
    },
    async cancelOrder(orderId, o) {
      const { meta } = await send("cancelOrder", "PUT", `${id(orderId)}/cancel`, undefined, o?.signal);
      return { data: null, meta };
    },
    async getTracking(_order, packageNumber, o) {
      const path = `/tracking?packageNumber=${packageNumber}`;
      const answer = await send("getTracking", "GET", path, undefined, o?.signal);
      return read("getTracking", answer.meta, answer.body, fromWireTracking);
    },
    checkHealth: (o) => tokenHealth(options.tokens, o?.signal),
  };
}

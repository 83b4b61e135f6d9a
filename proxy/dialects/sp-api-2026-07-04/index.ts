// SP-API Fulfillment Outbound 2026-07-04 as a FulfillmentDialect: the model mapped onto the 2026 wire (wire.ts),
// every answer checked (answers.ts) before the proxy trusts it. 2026-07-04 has no payload envelope, no tracking
// operation (tracking is read from the order's packages) and may accept an order without processing it yet (202).
import type { FulfillmentDialect, Operation, UpstreamMeta } from "../../fulfillment/model.ts";
import { everyOperation, UpstreamError } from "../../fulfillment/model.ts";
import { createSpApiTransport, malformed, type SpApiDialectOptions, tokenHealth } from "../sp-api-http.ts";
import { acceptedAnswer, check, orderEnvelope, previewAnswer } from "./answers.ts";
import {
  ACTIONS,
  fromWireOrder,
  fromWirePreview,
  toWireCreateRequest,
  toWirePreviewRequest,
  trackingFromOrder,
} from "./wire.ts";

export type SpApi20260704Options = SpApiDialectOptions;

/**
 * The model's usage plans (operation descriptions): getOrderPreview, createOrder, updateOrder, getOrder and
 * cancelOrder each 2 req/s, burst 30. Tracking is a getOrder call, so it has getOrder's plan.
 */
export const RATE_PLANS_2026_07_04 = everyOperation({ ratePerSecond: 2, burst: 30 });

export const BASE_PATH_2026_07_04 = "/fulfillment/outbound/2026-07-04";

export function createSpApi20260704(options: SpApi20260704Options): FulfillmentDialect {
  const send = createSpApiTransport({ ...options, basePath: BASE_PATH_2026_07_04 });

  /** The body checked against `schema`; one that does not fit is a malformed answer (502, retried, not cached). */
  const read = <T>(operation: Operation, meta: UpstreamMeta, body: unknown, schema: Parameters<typeof check<T>>[0]) => {
    const result = check(schema, body);
    if (!result.ok) throw malformed(operation, meta, result.problem);
    return result.data;
  };
  const id = (orderId: string) => `/orders/${encodeURIComponent(orderId)}`;

  return {
    name: "2026-07-04",
    ratePlans: RATE_PLANS_2026_07_04,
    async preview(request, o) {
      const answer = await send("preview", "POST", "/previews", toWirePreviewRequest(request), o?.signal);
      const body = read("preview", answer.meta, answer.body, previewAnswer);
      return { data: fromWirePreview(body, request), meta: answer.meta };
    },
    async createOrder(order, o) {
      const answer = await send("createOrder", "POST", "/orders", toWireCreateRequest(order), o?.signal);
      if (answer.status === 202) {
        read("createOrder", answer.meta, answer.body, acceptedAnswer);
        return { data: { confirmed: false }, meta: answer.meta };
      }
      read("createOrder", answer.meta, answer.body, orderEnvelope);
      return { data: { confirmed: true }, meta: answer.meta };
    },
    async releaseHold(orderId, o) {
      const body = { fulfillmentConfiguration: { action: ACTIONS.Ship } };
      const { meta } = await send("updateOrder", "PUT", id(orderId), body, o?.signal);
      return { data: null, meta };
    },
    async getOrder(orderId, o) {
      const answer = await send("getOrder", "GET", id(orderId), undefined, o?.signal);
      const body = read("getOrder", answer.meta, answer.body, orderEnvelope);
      return { data: fromWireOrder(body.order), meta: answer.meta };
    },
    async cancelOrder(orderId, o) {
      const { meta } = await send("cancelOrder", "PUT", `${id(orderId)}/cancel`, undefined, o?.signal);
      return { data: null, meta };
    },
    // No tracking operation: the order is read again for its packages' status, carrier, URL and proof of delivery.
    async getTracking(order, packageNumber, o) {
      const answer = await send("getTracking", "GET", id(order.orderId), undefined, o?.signal);
      const body = read("getTracking", answer.meta, answer.body, orderEnvelope);
      const tracking = trackingFromOrder(body.order, packageNumber);
      if (!tracking)
        throw new UpstreamError({
          operation: "getTracking",
          status: 404,
          message: `Order ${order.orderId} has no package ${packageNumber}.`,
          errors: [{ code: "NotFound", message: `Package ${packageNumber} is not in order ${order.orderId}.` }],
          amznRequestId: answer.meta.amznRequestId,
          retryable: false,
        });
      return { data: tracking, meta: answer.meta };
    },
    checkHealth: (o) => tokenHealth(options.tokens, o?.signal),
  };
}

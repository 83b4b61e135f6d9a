// MWS Fulfillment Outbound Shipment 2010-10-01 as a FulfillmentDialect: the original API the product was specified
// from (Amazon retired MWS on 2024-03-31). Parameters signed with Signature Version 2, XML answers checked before
// the proxy trusts them (wire.ts), MWS error codes and quota kept (http.ts).
import {
  everyOperation,
  type FulfillmentDialect,
  type Operation,
  type RatePlan,
  type UpstreamMeta,
} from "../../fulfillment/model.ts";
import { malformed } from "../sp-api-http.ts";
import { createMwsTransport, MWS_QUOTA, type MwsTransportOptions } from "./http.ts";
import {
  fromOrderResult,
  fromPreviewResult,
  fromTrackingResult,
  toCreateParams,
  toPreviewParams,
  WireMismatch,
} from "./wire.ts";

export { MWS_PATH, MWS_QUOTA, MWS_VERSION } from "./http.ts";

/** MWS hosts per region (North America, Europe, Far East), as the proxy's MCF_REGION names them. */
export const MWS_HOSTS = {
  na: "https://mws.amazonservices.com",
  eu: "https://mws-eu.amazonservices.com",
  fe: "https://mws-fe.amazonservices.com",
} as const;

/** Marketplaces whose MWS host is not their region's (SG uses the Far East host, BR the North American one). */
export const MWS_HOSTS_BY_COUNTRY: Readonly<Record<string, string>> = {
  CA: "https://mws.amazonservices.ca",
  MX: "https://mws.amazonservices.com.mx",
  IN: "https://mws.amazonservices.in",
  JP: "https://mws.amazonservices.jp",
  AU: "https://mws.amazonservices.com.au",
};

/** The MWS host for a region and, when it has its own, the marketplace's country. */
export function mwsHost(region: keyof typeof MWS_HOSTS, countryCode?: string): string {
  return (countryCode && MWS_HOSTS_BY_COUNTRY[countryCode.toUpperCase()]) || MWS_HOSTS[region];
}

const PLAN: RatePlan = { ratePerSecond: MWS_QUOTA.restorePerSecond, burst: MWS_QUOTA.max };

/** Every action the dialect calls has the same plan: quota 30, restored at 2 per second. */
export const RATE_PLANS_MWS_2010_10_01 = everyOperation(PLAN);

export type Mws20101001Options = MwsTransportOptions;

export function createMws20101001(options: Mws20101001Options): FulfillmentDialect {
  const send = createMwsTransport(options);

  /** The Result element read by `map`; a result that does not fit is a malformed answer. */
  const read = <T>(operation: Operation, meta: UpstreamMeta, result: unknown, map: (result: unknown) => T) => {
    try {
      return { data: map(result), meta };
    } catch (error) {
      if (error instanceof WireMismatch) throw malformed(operation, meta, error.message);
      throw error;
    }
  };
  const order = (orderId: string) => ({ SellerFulfillmentOrderId: orderId });

  return {
    name: "mws-2010-10-01",
    ratePlans: RATE_PLANS_MWS_2010_10_01,
    async preview(request, o) {
      const answer = await send("preview", "GetFulfillmentPreview", toPreviewParams(request), o?.signal);
      return read("preview", answer.meta, answer.result, fromPreviewResult);
    },
    async createOrder(newOrder, o) {
      const { meta } = await send("createOrder", "CreateFulfillmentOrder", toCreateParams(newOrder), o?.signal);
      return { data: { confirmed: true }, meta };
    },
    async releaseHold(orderId, o) {
      const params = { ...order(orderId), FulfillmentAction: "Ship" };
      const { meta } = await send("updateOrder", "UpdateFulfillmentOrder", params, o?.signal);
      return { data: null, meta };
    },
    async getOrder(orderId, o) {
      const answer = await send("getOrder", "GetFulfillmentOrder", order(orderId), o?.signal);
      return read("getOrder", answer.meta, answer.result, fromOrderResult);
    },
    async cancelOrder(orderId, o) {
      const { meta } = await send("cancelOrder", "CancelFulfillmentOrder", order(orderId), o?.signal);
      return { data: null, meta };
    },
    async getTracking(_order, packageNumber, o) {
      const params = { PackageNumber: String(packageNumber) };
      const answer = await send("getTracking", "GetPackageTrackingDetails", params, o?.signal);
      return read("getTracking", answer.meta, answer.result, fromTrackingResult);
    },
    async checkHealth(o) {
      try {
        // GetServiceStatus is no model operation; its failures never leave this function.
        const { result } = await send("getOrder", "GetServiceStatus", {}, o?.signal);
        const status = result.Status;
        if (status === "GREEN" || status === "GREEN_I") return { status: "ok" };
        return { status: "down", reason: `MWS service status is ${typeof status === "string" ? status : "unknown"}` };
      } catch (error) {
        return { status: "down", reason: error instanceof Error ? error.message : "GetServiceStatus failed" };
      }
    },
  };
}

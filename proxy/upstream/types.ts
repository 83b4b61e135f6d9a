// The one interface every upstream dialect implements (SP-API 2020-07-01 today; 2026-07-04 and legacy MWS later),
// so routes, caching and throttling never depend on which Amazon API is behind them.
import type {
  CreateFulfillmentOrderRequest,
  GetFulfillmentOrderResult,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
  PackageTrackingDetails,
  UpdateFulfillmentOrderRequest,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";

export type {
  CreateFulfillmentOrderRequest,
  GetFulfillmentOrderResult,
  GetFulfillmentPreviewRequest,
  GetFulfillmentPreviewResult,
  PackageTrackingDetails,
  UpdateFulfillmentOrderRequest,
};

/** The Fulfillment Outbound operations the proxy calls; names match Amazon's operationIds. */
export type UpstreamOperation =
  | "getFulfillmentPreview"
  | "createFulfillmentOrder"
  | "updateFulfillmentOrder"
  | "getFulfillmentOrder"
  | "cancelFulfillmentOrder"
  | "getPackageTrackingDetails";

export interface CallOptions {
  signal?: AbortSignal;
}

/** What came back besides the body: Amazon's request id and the rate it says applies (x-amzn-RateLimit-Limit). */
export interface UpstreamMeta {
  status: number;
  amznRequestId?: string;
  rateLimitPerSecond?: number;
}

export interface UpstreamResult<T> {
  data: T;
  meta: UpstreamMeta;
}

/** One entry of Amazon's `{errors: [{code, message, details}]}` body. */
export interface AmazonErrorEntry {
  code: string;
  message: string;
  details?: string;
}

/**
 * Any failure of an upstream call. `status` is Amazon's HTTP status, or 0 when no answer arrived
 * (network error, timeout, open circuit). `retryable` tells resilience code whether a retry is safe and useful.
 */
export class UpstreamError extends Error {
  readonly operation: UpstreamOperation | "token";
  readonly status: number;
  readonly errors: AmazonErrorEntry[];
  readonly amznRequestId: string | undefined;
  readonly retryable: boolean;
  readonly rateLimitPerSecond: number | undefined;

  constructor(init: {
    operation: UpstreamOperation | "token";
    status: number;
    message: string;
    errors?: AmazonErrorEntry[];
    amznRequestId?: string;
    retryable?: boolean;
    rateLimitPerSecond?: number;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = "UpstreamError";
    this.operation = init.operation;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.amznRequestId = init.amznRequestId;
    this.retryable = init.retryable ?? (init.status === 0 || init.status === 429 || init.status >= 500);
    this.rateLimitPerSecond = init.rateLimitPerSecond;
  }
}

/** A Fulfillment Outbound API, whatever its dialect. Implementations throw UpstreamError on any failure. */
export interface FulfillmentUpstream {
  readonly dialect: string;
  getFulfillmentPreview(
    body: GetFulfillmentPreviewRequest,
    options?: CallOptions,
  ): Promise<UpstreamResult<GetFulfillmentPreviewResult>>;
  createFulfillmentOrder(body: CreateFulfillmentOrderRequest, options?: CallOptions): Promise<UpstreamResult<null>>;
  updateFulfillmentOrder(
    sellerFulfillmentOrderId: string,
    body: UpdateFulfillmentOrderRequest,
    options?: CallOptions,
  ): Promise<UpstreamResult<null>>;
  getFulfillmentOrder(
    sellerFulfillmentOrderId: string,
    options?: CallOptions,
  ): Promise<UpstreamResult<GetFulfillmentOrderResult>>;
  cancelFulfillmentOrder(sellerFulfillmentOrderId: string, options?: CallOptions): Promise<UpstreamResult<null>>;
  getPackageTrackingDetails(
    packageNumber: number,
    options?: CallOptions,
  ): Promise<UpstreamResult<PackageTrackingDetails>>;
}

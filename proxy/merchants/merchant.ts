// One merchant as the proxy serves it, built in the order a request travels: the merchant's dialect → admission →
// the preview pipeline and answers → the order service. A private app has one (from its environment); connector
// mode builds one per tenant on first use. Only the stores are shared, and every key in them carries `merchant`.
import { createGuard, guardOrders } from "../admission/guard.ts";
import { type ResilienceOptions, resolveOptions } from "../admission/options.ts";
import type { Caller } from "../auth/index.ts";
import type { Config } from "../config/index.ts";
import type { DeliveryOptionsRequest } from "../contract/v1.ts";
import { createDialect } from "../dialects/index.ts";
import type { FulfillmentDialect, UpstreamError } from "../fulfillment/model.ts";
import type { Logger } from "../log/index.ts";
import { createOrderService, type OrderService } from "../orders/service.ts";
import { createAnswers } from "../previews/answer.ts";
import { createPreviewPipeline, type PreviewCallOptions } from "../previews/pipeline.ts";
import { createSignedAnswers } from "../previews/signed-answers.ts";
import type { Clock } from "../shared/clock.ts";
import type { Lru } from "../shared/lru.ts";
import type { Stores } from "../stores/types.ts";
import type { Tenant } from "../tenants/model.ts";

export interface Merchant {
  /** Whose state: the store-key prefix ("default" for a private app, the tenant id in connector mode). */
  id: string;
  tenant: Tenant;
  /** Whether it holds a refresh token it can use (else every Amazon call fails at once, see disconnectedDialect). */
  connected: boolean;
  /** The deployment's configuration with this merchant's settings (marketplaces, origins, pricing, keys, token). */
  config: Config;
  dialect: FulfillmentDialect;
  /** POST /v1/delivery-options from validated body to answer (JSON text). */
  deliveryOptions(caller: Caller, body: DeliveryOptionsRequest, options: PreviewCallOptions): Promise<string>;
  orders: OrderService;
}

export interface MerchantParts {
  id: string;
  tenant: Tenant;
  /** Default true. */
  connected?: boolean;
  config: Config;
  stores: Stores;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  /** Replaces the configured dialect (a test double, or a disconnected merchant's). */
  dialect?: FulfillmentDialect;
  resilience?: ResilienceOptions;
  /** Shared by every merchant of the process (connector mode), so its bound is the process's. */
  knownQuoteIds?: Lru<readonly string[]>;
  /** Told about secrets learned at run time (access tokens), for the log redactor. */
  onSecret?: (secret: string) => void;
  /** LWA refused this merchant's refresh token (invalid_grant, …); may give the error to throw instead. */
  onCredentialsRejected?: (code: string) => UpstreamError | undefined | Promise<UpstreamError | undefined>;
}

export function createMerchant(parts: MerchantParts): Merchant {
  const { id, config, stores, clock, logger } = parts;
  const dialect =
    parts.dialect ??
    createDialect(config, {
      ...(parts.fetch ? { fetch: parts.fetch } : {}),
      clock,
      tokens: stores.tokens,
      merchant: id,
      ...(parts.onSecret ? { onSecret: parts.onSecret } : {}),
      ...(parts.onCredentialsRejected ? { onCredentialsRejected: parts.onCredentialsRejected } : {}),
    });
  const options = resolveOptions(
    {
      ...config.resilience,
      clock,
      ...parts.resilience,
      onEvent: (event) => {
        if (event.type === "circuit" || event.type === "rejected" || event.type === "throttled") {
          logger.log("warn", `upstream ${event.type}`, { merchant: id, ...event });
        }
        parts.resilience?.onEvent?.(event);
      },
    },
    dialect.ratePlans,
  );
  // One guard for previews and orders: one bucket per operation and one circuit breaker, both this merchant's.
  const guard = createGuard(options, stores.buckets, id);
  const signed = createSignedAnswers({
    answers: stores.answers,
    quotes: stores.quotes,
    clock,
    merchant: id,
    ...(parts.knownQuoteIds ? { knownQuoteIds: parts.knownQuoteIds } : {}),
  });
  const pipeline = createPreviewPipeline({
    dialect,
    guard,
    cache: stores.previews,
    options,
    merchant: id,
    // In one process, in-process coalescing is all there is to do; a store other instances read is shared.
    sharedCache: stores.engine !== "memory" && stores.engine !== "sqlite",
  });
  return {
    id,
    tenant: parts.tenant,
    connected: parts.connected ?? true,
    config,
    dialect,
    deliveryOptions: createAnswers({ settings: config, pipeline, signed, clock }),
    orders: createOrderService({
      settings: config,
      orders: guardOrders(dialect, guard),
      idempotency: stores.idempotency,
      quotes: stores.quotes,
      answers: signed,
      clock,
      logger,
      merchant: id,
    }),
  };
}

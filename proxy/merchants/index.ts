// Which merchant a request is for, and that merchant ready to serve. A private app has one merchant, from its
// environment; connector mode resolves the request's key to a tenant in the tenant store and builds that tenant's
// merchant on first use (kept while the tenant is unchanged, rebuilt when its settings or status change).
import type { ResilienceOptions } from "../admission/options.ts";
import type { Caller } from "../auth/index.ts";
import type { Config } from "../config/index.ts";
import { everyOperation, type FulfillmentDialect, type Operation, UpstreamError } from "../fulfillment/model.ts";
import type { Logger } from "../log/index.ts";
import { KNOWN_QUOTE_IDS } from "../previews/signed-answers.ts";
import { Problem, problemType } from "../problems/index.ts";
import type { Clock } from "../shared/clock.ts";
import { createLru } from "../shared/lru.ts";
import { DEFAULT_MERCHANT } from "../stores/keys.ts";
import type { Stores } from "../stores/types.ts";
import { environmentDirectory, identifyTenant, type TenantDirectory } from "../tenants/directory.ts";
import type { Tenant } from "../tenants/model.ts";
import { createMerchant, type Merchant } from "./merchant.ts";
import { tenantQuoteKeys, tenantSettings } from "./settings.ts";

export type { Merchant } from "./merchant.ts";

export interface MerchantsOptions {
  config: Config;
  stores: Stores;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  resilience?: ResilienceOptions;
  onSecret: (secret: string) => void;
  /** Connector mode: the tenant store. Absent: a private app, whose one merchant is the environment's. */
  tenants?: TenantDirectory;
  /** Private app only: its store-key prefix (default "default") and a dialect to use instead of the configured one. */
  merchant?: string;
  dialect?: FulfillmentDialect;
  /** Connector mode: how many tenants' merchants stay built (each is small; its state lives in the stores). */
  maxMerchants?: number;
}

export interface Identified {
  merchant: Merchant;
  caller: Caller;
}

export interface Merchants {
  readonly mode: "private" | "connector";
  /** The private app's merchant (connector mode has none without a key). */
  readonly sole: Merchant | undefined;
  /**
   * The merchant and caller an Authorization header names. `orderToken`: the request carries an order token, which
   * is a browser's credential on its own in a private app. Throws a 401/403 problem naming the header.
   */
  identify(authorization: string | undefined, orderToken: boolean): Promise<Identified>;
}

export const DEFAULT_MAX_MERCHANTS = 2_000;

export function createMerchants(options: MerchantsOptions): Merchants {
  const { config, stores, clock, logger } = options;
  const shared = { stores, clock, logger, onSecret: options.onSecret, ...pick(options) };

  if (!options.tenants) {
    const { secretKey, publishableKey } = config;
    const directory = environmentDirectory({
      region: config.region,
      marketplaceIds: config.marketplaceIds,
      allowedOrigins: config.allowedOrigins,
      pricing: config.pricing,
      browserOrders: config.browserOrders,
      fallbackRates: config.resilience.fallbackRates ?? [],
      refreshToken: config.lwa.refreshToken,
      secretKey,
      ...(publishableKey !== undefined ? { publishableKey } : {}),
      ...(config.mws ? { sellingPartnerId: config.mws.sellerId } : {}),
    });
    const merchant = createMerchant({
      ...shared,
      id: options.merchant ?? DEFAULT_MERCHANT,
      tenant: directory.tenant,
      config,
      ...(options.dialect ? { dialect: options.dialect } : {}),
    });
    return {
      mode: "private",
      sole: merchant,
      async identify(authorization, orderToken) {
        if (authorization === undefined && orderToken) return { merchant, caller: "browser" };
        return { merchant, caller: (await identifyTenant(directory, authorization)).caller };
      },
    };
  }

  const directory = options.tenants;
  const built = createLru<{ version: string; merchant: Promise<Merchant> }>(
    options.maxMerchants ?? DEFAULT_MAX_MERCHANTS,
  );
  // One bound for all tenants' remembered quote ids, not one per tenant (2,000 × 4,096 would be unbounded in effect).
  const knownQuoteIds = createLru<readonly string[]>(2 * KNOWN_QUOTE_IDS, clock);

  async function build(tenant: Tenant): Promise<Merchant> {
    const refreshToken = tenant.status === "active" ? await unsealedToken(tenant) : undefined;
    if (refreshToken) options.onSecret(refreshToken);
    const settings = tenantSettings(
      config,
      tenant,
      refreshToken ?? "",
      await tenantQuoteKeys(config.quoteKeys, tenant.id),
    );
    return createMerchant({
      ...shared,
      knownQuoteIds,
      id: tenant.id,
      tenant,
      config: settings,
      // Without a token (never connected, or Amazon stopped accepting it) every call fails at once as unavailable:
      // previews fall back to the tenant's estimates, orders are refused by the order routes.
      ...(refreshToken ? {} : { dialect: disconnectedDialect(tenant), connected: false }),
      onCredentialsRejected: async (code) => {
        if (code !== "invalid_grant") return undefined;
        built.delete(tenant.id);
        // Awaited before the request answers: a Worker would drop the write once the response is out.
        const marked = await directory
          .markNeedsReauthorisation(tenant.id, tenant.authorisedAt)
          .catch((error: unknown) => logger.log("error", "could not mark the tenant", { tenant: tenant.id, error }));
        if (marked) logger.log("warn", "tenant needs re-authorisation", { tenant: tenant.id, code });
        return notConnected(tenant, "token", "needs-reauthorisation");
      },
    });
  }

  /** The tenant's refresh token; none when it cannot be unsealed (then its shoppers get estimates, not errors). */
  async function unsealedToken(tenant: Tenant): Promise<string | undefined> {
    try {
      return await directory.refreshToken(tenant.id);
    } catch (error) {
      logger.log("error", "cannot unseal the tenant's refresh token: is its MCF_TOKEN_KEY key still configured?", {
        tenant: tenant.id,
        error,
      });
      return undefined;
    }
  }

  async function merchantFor(tenant: Tenant): Promise<Merchant> {
    const version = `${tenant.updatedAt}|${tenant.status}|${tenant.authorisedAt}`;
    const found = built.get(tenant.id);
    if (found?.version === version) return found.merchant;
    const merchant = build(tenant);
    built.set(tenant.id, { version, merchant });
    merchant.catch(() => built.delete(tenant.id));
    return merchant;
  }

  return {
    mode: "connector",
    sole: undefined,
    async identify(authorization) {
      try {
        const { tenant, caller } = await identifyTenant(directory, authorization);
        return { merchant: await merchantFor(tenant), caller };
      } catch (error) {
        if (error instanceof Problem) throw error;
        logger.log("error", "tenant directory unavailable", { error });
        throw new Problem(
          {
            type: problemType(503, "directory-unavailable"),
            title: "Merchant directory unavailable",
            status: 503,
            detail: "The proxy could not look up the merchant this key names; try again shortly.",
          },
          { "retry-after": "5" },
        );
      }
    },
  };
}

function pick(options: MerchantsOptions): { fetch?: typeof fetch; resilience?: ResilienceOptions } {
  return {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.resilience ? { resilience: options.resilience } : {}),
  };
}

const NOT_CONNECTED = "SellerNotConnected";

/** What a merchant without a usable refresh token answers: unavailable (503), so previews fall back to estimates. */
function notConnected(tenant: Tenant, operation: Operation | "token", status = tenant.status): UpstreamError {
  return new UpstreamError({
    operation,
    status: 503,
    message: `${tenant.name} is not connected to Amazon (${status}).`,
    errors: [{ code: NOT_CONNECTED, message: "The seller must authorise the app (again)." }],
    retryable: false,
  });
}

/** A dialect for a tenant with no usable refresh token: every call is "unavailable", without touching Amazon. */
export function disconnectedDialect(tenant: Tenant): FulfillmentDialect {
  const fail = (operation: Operation) => () => Promise.reject(notConnected(tenant, operation));
  return {
    name: "disconnected",
    // Nothing upstream to protect: the failure is immediate, so no shopper waits in a queue for it.
    ratePlans: everyOperation({ ratePerSecond: 1_000, burst: 1_000 }),
    preview: fail("preview"),
    createOrder: fail("createOrder"),
    releaseHold: fail("updateOrder"),
    getOrder: fail("getOrder"),
    cancelOrder: fail("cancelOrder"),
    getTracking: fail("getTracking"),
    checkHealth: async () => ({ status: "down", reason: `${tenant.name} is ${tenant.status}` }),
  };
}

/** Orders need Amazon: a tenant that is not connected gets this clear 503 (its shoppers still see estimates). */
export function assertConnected(merchant: Merchant): void {
  const { tenant } = merchant;
  if (tenant.status === "active" && merchant.connected) return;
  const reason =
    tenant.status === "needs-reauthorisation" || tenant.status === "active"
      ? "Amazon no longer accepts this merchant's authorisation; the seller must reconnect the Amazon account."
      : "This merchant has not connected an Amazon account yet.";
  throw new Problem(
    {
      type: problemType(503, "merchant-not-connected"),
      title: "Merchant not connected to Amazon",
      status: 503,
      detail: `${reason} Orders cannot be placed or read until then.`,
      errors: [{ path: "header Authorization", message: `names a merchant whose status is ${tenant.status}` }],
    },
    { "retry-after": "3600" },
  );
}

// How a request's key names its merchant, whichever way merchants are kept: the tenant store (connector mode) or one
// tenant built from the environment (a private app: no database at all).
import { bearer, safeEqual } from "../auth/index.ts";
import type { Region } from "../marketplaces/index.ts";
import type { PricingRules } from "../pricing/index.ts";
import { Problem } from "../problems/index.ts";
import type { BrowserOrders, FallbackRate, Tenant } from "./model.ts";
import type { KeyKind } from "./store.ts";

/** What the app needs of a merchant directory; TenantStore implements it, so does environmentDirectory. */
export interface TenantDirectory {
  resolveKey(kind: KeyKind, key: string): Promise<Tenant | undefined>;
  /** The seller's LWA refresh token, to call Amazon for this tenant. */
  refreshToken(id: string): Promise<string | undefined>;
  /** LWA answered invalid_grant: this tenant (only) serves fallback estimates and refuses orders until it reconnects. */
  markNeedsReauthorisation(id: string, authorisedAt?: string | null): Promise<Tenant | undefined>;
  /** The tenant browsers reach without a key (a private app configured without a publishable key). */
  keyless?(): Tenant | undefined;
}

export type TenantCaller = "server" | "browser";

const KEY_SHAPE = /^[A-Za-z0-9_-]{3,200}$/;

export interface IdentifiedTenant {
  tenant: Tenant;
  caller: TenantCaller;
}

function refused(status: 401 | 403, message: string): Problem {
  return new Problem(
    {
      title: status === 401 ? "Unauthorized" : "Forbidden",
      status,
      detail: `The Authorization header ${message}.`,
      errors: [{ path: "header Authorization", message }],
    },
    status === 401 ? { "www-authenticate": 'Bearer realm="mcf-checkout"' } : {},
  );
}

/**
 * The tenant and the kind of caller an Authorization header names: the secret key is the merchant's server, the
 * publishable key a shopper's browser. Throws a 401 problem naming the header, or 403 for a disabled tenant.
 */
export async function identifyTenant(
  directory: TenantDirectory,
  authorization: string | undefined,
): Promise<IdentifiedTenant> {
  if (authorization === undefined) {
    const tenant = directory.keyless?.();
    if (tenant) return { tenant, caller: "browser" };
    throw refused(401, "is required: send the publishable key or the secret key as `Bearer <key>`");
  }
  const key = bearer(authorization);
  if (key === undefined) throw refused(401, "must be `Bearer <key>`");
  // Every key this proxy issues or accepts has this shape: anything else is refused without a lookup (or a cache slot).
  if (!KEY_SHAPE.test(key)) throw refused(401, "is not a key of this proxy");
  const server = await directory.resolveKey("secret", key);
  const identified: IdentifiedTenant | undefined = server
    ? { tenant: server, caller: "server" }
    : await directory.resolveKey("publishable", key).then((tenant) => tenant && { tenant, caller: "browser" as const });
  if (!identified) throw refused(401, "is not a key of this proxy");
  if (identified.tenant.status === "disabled") throw refused(403, "names a merchant the operator has disabled");
  return identified;
}

/** A private app's one merchant, from its environment (MCF_SECRET_KEY, LWA_REFRESH_TOKEN, …). */
export interface EnvironmentTenant {
  name?: string;
  region: Region;
  marketplaceIds: string[];
  allowedOrigins: string[];
  pricing: PricingRules;
  browserOrders: BrowserOrders;
  fallbackRates: FallbackRate[];
  sellingPartnerId?: string;
  refreshToken: string;
  secretKey: string;
  /** Absent: browsers call without a key. */
  publishableKey?: string;
}

export const ENVIRONMENT_TENANT_ID = "env";

/** The environment's merchant as a directory of one, in memory: single-merchant deployments need no database. */
export function environmentDirectory(
  env: EnvironmentTenant,
  now: () => number = Date.now,
): TenantDirectory & { readonly tenant: Tenant } {
  const created = new Date(now()).toISOString();
  let tenant: Tenant = {
    id: ENVIRONMENT_TENANT_ID,
    name: env.name ?? "Merchant",
    region: env.region,
    marketplaceIds: [...env.marketplaceIds],
    sellingPartnerId: env.sellingPartnerId ?? null,
    publishableKey: env.publishableKey ?? "",
    allowedOrigins: [...env.allowedOrigins],
    pricing: env.pricing,
    browserOrders: env.browserOrders,
    fallbackRates: [...env.fallbackRates],
    status: "active",
    connected: true,
    authorisedAt: null,
    authorisationExpiresAt: null,
    createdAt: created,
    updatedAt: created,
  };
  const matches = (kind: KeyKind, key: string) =>
    kind === "secret"
      ? safeEqual(key, env.secretKey)
      : env.publishableKey !== undefined && safeEqual(key, env.publishableKey);
  return {
    get tenant() {
      return tenant;
    },
    resolveKey: async (kind, key) => (matches(kind, key) ? tenant : undefined),
    refreshToken: async (id) => (id === ENVIRONMENT_TENANT_ID ? env.refreshToken : undefined),
    async markNeedsReauthorisation(id) {
      if (id !== ENVIRONMENT_TENANT_ID) return undefined;
      tenant = { ...tenant, status: "needs-reauthorisation", updatedAt: new Date(now()).toISOString() };
      return tenant;
    },
    keyless: () => (env.publishableKey === undefined ? tenant : undefined),
  };
}

// The merchant (tenant) as the proxy serves it, and the checks every write goes through. Pure.
// Pricing rules and fallback rates have their own validators (proxy/pricing, proxy/previews/fallback.ts): the
// caller passes them in (see TenantValidators), so this module stays free of the preview pipeline.
import * as z from "zod/mini";
import { findMarketplace, type Region } from "../marketplaces/index.ts";
import type { PricingRules } from "../pricing/index.ts";
import { type FieldError, issuesToErrors, validationProblem } from "../problems/index.ts";
import { InvalidSettings } from "../shared/invalid.ts";
import { SELLER_CENTRAL_HOSTS } from "./consent.ts";

/** One row of the merchant's fallback rate table, as TenantValidators.fallbackRates returned it. */
export type FallbackRate = object;

export type BrowserOrders = "hold" | "ship" | "off";

/**
 * `pending`: created, not yet authorised at Amazon; `active`: serving; `needs-reauthorisation`: LWA said
 * invalid_grant (or the 365 days ran out), shoppers get fallback estimates and orders a 503 until the seller
 * reconnects; `disabled`: switched off by the operator.
 */
export type TenantStatus = "pending" | "active" | "needs-reauthorisation" | "disabled";

/** What any response may show of a tenant: never the refresh token, never the secret key (not even its hash). */
export interface Tenant {
  id: string;
  name: string;
  region: Region;
  /** The first is the default for previews. */
  marketplaceIds: string[];
  sellingPartnerId: string | null;
  publishableKey: string;
  allowedOrigins: string[];
  pricing: PricingRules;
  browserOrders: BrowserOrders;
  fallbackRates: FallbackRate[];
  status: TenantStatus;
  /** Whether a refresh token is stored (the token itself never leaves the store unsealed except to call LWA). */
  connected: boolean;
  /** ISO 8601; Amazon wants re-authorisation 365 days after it. */
  authorisedAt: string | null;
  authorisationExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Amazon asks sellers to re-authorise an app every 365 days. */
export const AUTHORISATION_DAYS = 365;
export const DAY_MS = 86_400_000;

export function authorisationExpiry(authorisedAt: string | null): string | null {
  return authorisedAt ? new Date(Date.parse(authorisedAt) + AUTHORISATION_DAYS * DAY_MS).toISOString() : null;
}

const CONTROL = /\p{Cc}/u;
const name = z.string().check(
  z.trim(),
  z.minLength(1, "must not be empty"),
  z.maxLength(200),
  z.refine((value) => !CONTROL.test(value), "must not contain control characters"),
);
const region = z.enum(["na", "eu", "fe"]);
/** Marketplaces the proxy serves, for the JSON Schema twin of the check below. */
const SERVED = Object.keys(SELLER_CENTRAL_HOSTS).filter((id) => findMarketplace(id) !== undefined);
const marketplaceIds = z
  .array(
    z.string().check(
      z.refine((id) => findMarketplace(id) !== undefined, "is not a marketplace the proxy serves"),
      z.meta({ enum: SERVED }),
    ),
  )
  .check(z.minLength(1, "must name at least one marketplace"), z.maxLength(20));
const origin = z.string().check(
  z.refine((value) => {
    if (value === "*") return true;
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  }, "must be an origin like https://shop.example (scheme, host and port only) or *"),
  z.meta({ pattern: "^(\\*|[a-z][a-z0-9+.-]*://[^/?#\\s]+)$", examples: ["https://shop.example"] }),
);
const allowedOrigins = z.array(origin).check(z.maxLength(50));
/** Amazon's merchant tokens: upper-case letters and digits. */
const sellingPartnerId = z.string().check(z.regex(/^[A-Z0-9]{5,32}$/, "must be an Amazon selling partner id"));
const refreshToken = z
  .string()
  .check(z.regex(/^Atzr\|[\x21-\x7e]{1,2043}$/, "must be an LWA refresh token (Atzr|…, at most 2048 characters)"));
const browserOrders = z.enum(["hold", "ship", "off"]);
const fallbackRates = z.array(z.unknown()).check(z.maxLength(20));

export const tenantCreateSchema = z.strictObject({
  name,
  /** Default: the first marketplace's region. */
  region: z.optional(region),
  marketplaceIds,
  allowedOrigins,
  sellingPartnerId: z.optional(sellingPartnerId),
  refreshToken: z.optional(refreshToken),
  pricing: z.optional(z.unknown()),
  browserOrders: z.optional(browserOrders),
  fallbackRates: z.optional(fallbackRates),
});

export const tenantUpdateSchema = z.strictObject({
  name: z.optional(name),
  marketplaceIds: z.optional(marketplaceIds),
  allowedOrigins: z.optional(allowedOrigins),
  pricing: z.optional(z.unknown()),
  browserOrders: z.optional(browserOrders),
  fallbackRates: z.optional(fallbackRates),
  /** The operator switches a tenant off and on; the other states follow Amazon's authorisation. */
  status: z.optional(z.enum(["active", "disabled"])),
});

export interface TenantCreate {
  name: string;
  region: Region;
  marketplaceIds: string[];
  allowedOrigins: string[];
  sellingPartnerId?: string;
  refreshToken?: string;
  pricing?: PricingRules;
  browserOrders?: BrowserOrders;
  fallbackRates?: FallbackRate[];
}

export interface TenantUpdate {
  name?: string;
  marketplaceIds?: string[];
  allowedOrigins?: string[];
  pricing?: PricingRules;
  browserOrders?: BrowserOrders;
  fallbackRates?: FallbackRate[];
  status?: "active" | "disabled";
}

function regionErrors(region: Region, ids: readonly string[] | undefined): FieldError[] {
  return (ids ?? []).flatMap((id, index) => {
    const found = findMarketplace(id);
    return found && found.region !== region
      ? [{ path: `marketplaceIds[${index}]`, message: `is in region ${found.region}, not ${region}` }]
      : [];
  });
}

/** Checks owned elsewhere: each returns the clean value, or throws InvalidSettings (or an Error whose message names the path). */
export interface TenantValidators {
  pricing(raw: unknown): PricingRules;
  fallbackRates(raw: unknown): FallbackRate[];
}

/** Runs a validator that throws `Error("<field…> message")`, naming the field when its message does not. */
function delegated<T>(field: string, run: () => T): { value?: T; errors: FieldError[] } {
  try {
    return { value: run(), errors: [] };
  } catch (error) {
    if (error instanceof InvalidSettings)
      return { errors: error.problems.map(({ path, message }) => ({ path, message })) };
    const message = (error as Error).message;
    const path = new RegExp(`^(${field}\\S*)`).exec(message)?.[1];
    return { errors: [{ path: path ?? field, message: path ? message.slice(path.length).trim() : message }] };
  }
}

function finish<T extends { pricing?: unknown; fallbackRates?: unknown }>(
  value: T,
  errors: FieldError[],
  validators: TenantValidators,
): Omit<T, "pricing" | "fallbackRates"> & { pricing?: PricingRules; fallbackRates?: FallbackRate[] } {
  const { pricing: rawPricing, fallbackRates: rawRates, ...rest } = value;
  const pricing =
    rawPricing === undefined ? { errors: [] } : delegated("pricing", () => validators.pricing(rawPricing));
  const rates =
    rawRates === undefined ? { errors: [] } : delegated("fallbackRates", () => validators.fallbackRates(rawRates));
  const all = [...errors, ...pricing.errors, ...rates.errors];
  if (all.length > 0) throw validationProblem(all);
  return {
    ...rest,
    ...(pricing.value !== undefined ? { pricing: pricing.value } : {}),
    ...(rates.value !== undefined ? { fallbackRates: rates.value } : {}),
  };
}

/** The schema's errors and, so one answer names every bad field, the delegated validators' too. */
function allErrors(input: unknown, issues: Parameters<typeof issuesToErrors>[0], validators: TenantValidators) {
  const raw = (input !== null && typeof input === "object" ? input : {}) as {
    pricing?: unknown;
    fallbackRates?: unknown;
  };
  const pricing = raw.pricing === undefined ? [] : delegated("pricing", () => validators.pricing(raw.pricing)).errors;
  const rates =
    raw.fallbackRates === undefined
      ? []
      : delegated("fallbackRates", () => validators.fallbackRates(raw.fallbackRates)).errors;
  return [...issuesToErrors(issues), ...pricing, ...rates];
}

/** A validated create request; throws a validation Problem (400) naming every bad field. */
export function parseTenantCreate(input: unknown, validators: TenantValidators): TenantCreate {
  const parsed = tenantCreateSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw validationProblem(allErrors(input, parsed.error.issues, validators));
  // Every marketplace is served (the schema checked), so the first one names a region.
  const region = parsed.data.region ?? findMarketplace(parsed.data.marketplaceIds[0]!)!.region;
  return finish({ ...parsed.data, region }, regionErrors(region, parsed.data.marketplaceIds), validators);
}

/** A validated update for a tenant of `region`; throws a validation Problem (400) naming every bad field. */
export function parseTenantUpdate(input: unknown, region: Region, validators: TenantValidators): TenantUpdate {
  const parsed = tenantUpdateSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw validationProblem(allErrors(input, parsed.error.issues, validators));
  return finish(parsed.data, regionErrors(region, parsed.data.marketplaceIds), validators);
}

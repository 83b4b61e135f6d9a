// Operator API for connector mode: /v1/admin/tenants creates, reads, updates, rotates keys of, issues reconnect links
// for and deletes merchants.
// Every call takes `Authorization: Bearer <MCF_ADMIN_KEY>`. No answer ever holds a refresh token, and a secret key
// only in the answer that created or rotated it.
import type { Hono } from "hono";
import * as z from "zod/mini";
import { bearer, safeEqual } from "../auth/index.ts";
import { ADMIN_PREFIX, type AppEnv, readJson } from "../context.ts";
import { exchangeRefreshToken } from "../dialects/lwa.ts";
import { Problem, validationProblem } from "../problems/index.ts";
import { SELLER_CENTRAL_HOSTS } from "../tenants/consent.ts";
import {
  parseTenantCreate,
  parseTenantUpdate,
  type Tenant,
  type TenantValidators,
  tenantCreateSchema,
  tenantUpdateSchema,
} from "../tenants/model.ts";
import type { KeyKind, TenantStore } from "../tenants/store.ts";

export interface AdminContext {
  tenants: TenantStore;
  /** MCF_ADMIN_KEY. */
  adminKey: string;
  /** Pricing rules and fallback rates are checked by their own modules (proxy/pricing, proxy/previews). */
  validators: TenantValidators;
  /**
   * Asks LWA whether it accepts a refresh token for the app's client before it is stored (lwaRefreshTokenCheck):
   * `rejected` (invalid_grant, invalid_client) or `unavailable` (LWA unreachable or failing).
   */
  verifyRefreshToken: (refreshToken: string) => Promise<RefreshTokenCheck>;
  /**
   * Where merchants reach /connect (the origin of MCF_CONNECT_REDIRECT_URI, which Amazon redirects to): reconnect
   * links are built on it, not on the address the operator's request came in on (an internal host behind a proxy).
   */
  publicOrigin?: string;
}

export type RefreshTokenCheck = "ok" | "rejected" | "unavailable";

/** The check adminRoutes needs, against LWA with the app's client: one refresh-token exchange, its token discarded. */
export function lwaRefreshTokenCheck(lwa: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): (refreshToken: string) => Promise<RefreshTokenCheck> {
  return async (refreshToken) => {
    try {
      const reply = await exchangeRefreshToken({
        tokenUrl: lwa.tokenUrl,
        credentials: { clientId: lwa.clientId, clientSecret: lwa.clientSecret, refreshToken },
        ...(lwa.fetch ? { fetch: lwa.fetch } : {}),
        ...(lwa.timeoutMs === undefined ? {} : { timeoutMs: lwa.timeoutMs }),
      });
      if (reply.ok && typeof reply.payload.access_token === "string") return "ok";
      return reply.rejected ? "rejected" : "unavailable";
    } catch {
      return "unavailable";
    }
  };
}

export { ADMIN_PREFIX };
/** The operator's health view lists tenants whose authorisation ends within this many days. */
export const EXPIRY_WARNING_DAYS = 30;

const NO_STORE = { "cache-control": "no-store" };
const anyJson = { safeParse: (input: unknown) => ({ success: true as const, data: input }) };

function unauthorized(message: string): Problem {
  return new Problem(
    {
      title: "Operator key required",
      status: 401,
      detail: "Send Authorization: Bearer <MCF_ADMIN_KEY>.",
      errors: [{ path: "header Authorization", message }],
    },
    { "www-authenticate": 'Bearer realm="mcf-admin"' },
  );
}

function notFound(id: string): Problem {
  return new Problem({
    title: "No such tenant",
    status: 404,
    detail: `No tenant has the id ${id}.`,
    errors: [{ path: "id", message: "is not a tenant" }],
  });
}

/** Nothing is stored unless LWA accepts the refresh token now. */
async function verified(ctx: AdminContext, refreshToken: string | undefined): Promise<void> {
  if (refreshToken === undefined) return;
  const check = await ctx.verifyRefreshToken(refreshToken);
  if (check === "ok") return;
  if (check === "rejected")
    throw validationProblem([{ path: "refreshToken", message: "LWA does not accept this refresh token" }]);
  throw new Problem(
    {
      title: "LWA is unavailable",
      status: 503,
      detail: "Amazon's LWA could not check the refresh token; nothing was stored. Try again shortly.",
      errors: [{ path: "refreshToken", message: "could not be checked with LWA" }],
    },
    { "retry-after": "30" },
  );
}

function sellerTaken(sellingPartnerId: string, region: string): Problem {
  return new Problem({
    title: "Seller already connected",
    status: 409,
    detail: `A tenant already serves selling partner ${sellingPartnerId} in region ${region}.`,
    errors: [{ path: "sellingPartnerId", message: "already belongs to a tenant in this region" }],
  });
}

/** Only a seller's authorisation makes a tenant active: PATCH may not for one without a working token. */
function checkActivation(tenant: Tenant, status: string | undefined): void {
  if (status !== "active" || tenant.status === "active") return;
  if (!tenant.connected)
    throw validationProblem([
      {
        path: "status",
        message:
          "a tenant without an Amazon authorisation cannot be active; it becomes active when the seller connects",
      },
    ]);
  if (tenant.status === "needs-reauthorisation")
    throw validationProblem([
      {
        path: "status",
        message: "Amazon refused this tenant's authorisation; it becomes active when the seller re-authorises",
      },
    ]);
}

const KEY_KINDS: readonly KeyKind[] = ["publishable", "secret"];

function parseRotation(body: unknown): KeyKind[] {
  if (body === undefined || body === null) return [...KEY_KINDS];
  const keys = (body as { keys?: unknown }).keys;
  if (typeof body !== "object" || Array.isArray(body) || Object.keys(body).some((key) => key !== "keys"))
    throw validationProblem([{ path: "body", message: 'must be {"keys": ["publishable", "secret"]}' }]);
  if (keys === undefined) return [...KEY_KINDS];
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((kind) => KEY_KINDS.includes(kind)))
    throw validationProblem([{ path: "keys", message: 'must list "publishable", "secret" or both' }]);
  return [...new Set(keys as KeyKind[])];
}

export function adminRoutes(app: Hono<AppEnv>, ctx: AdminContext): void {
  if (ctx.adminKey.length < 16) throw new TypeError("MCF_ADMIN_KEY must be at least 16 characters");

  app.use(`${ADMIN_PREFIX}/*`, async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("is required");
    const key = bearer(header);
    if (key === undefined || !safeEqual(key, ctx.adminKey)) throw unauthorized("is not the operator key");
    await next();
    for (const [name, value] of Object.entries(NO_STORE)) c.res.headers.set(name, value);
  });

  const existing = async (id: string): Promise<Tenant> => {
    const tenant = await ctx.tenants.get(id);
    if (!tenant) throw notFound(id);
    return tenant;
  };

  app.get(`${ADMIN_PREFIX}/tenants`, async (c) => c.json({ tenants: await ctx.tenants.list() }));

  app.post(`${ADMIN_PREFIX}/tenants`, async (c) => {
    const input = parseTenantCreate(await readJson(c, anyJson), ctx.validators);
    const taken = async () =>
      input.sellingPartnerId !== undefined &&
      (await ctx.tenants.findBySellingPartner(input.sellingPartnerId, input.region)) !== undefined;
    if (await taken()) throw sellerTaken(input.sellingPartnerId!, input.region);
    await verified(ctx, input.refreshToken);
    let created: Awaited<ReturnType<TenantStore["create"]>>;
    try {
      created = await ctx.tenants.create(input);
    } catch (error) {
      // Two creates of one seller at once: the unique index lets one through.
      if (await taken()) throw sellerTaken(input.sellingPartnerId!, input.region);
      throw error;
    }
    const { tenant, secretKey } = created;
    c.header("location", `${ADMIN_PREFIX}/tenants/${tenant.id}`);
    return c.json({ ...tenant, secretKey }, 201);
  });

  app.get(`${ADMIN_PREFIX}/tenants/:id`, async (c) => c.json(await existing(c.req.param("id"))));

  app.patch(`${ADMIN_PREFIX}/tenants/:id`, async (c) => {
    const tenant = await existing(c.req.param("id"));
    const update = parseTenantUpdate(await readJson(c, anyJson), tenant.region, ctx.validators);
    checkActivation(tenant, update.status);
    const updated = await ctx.tenants.update(tenant.id, update);
    if (!updated) throw notFound(tenant.id);
    return c.json(updated);
  });

  app.post(`${ADMIN_PREFIX}/tenants/:id/keys`, async (c) => {
    const id = c.req.param("id");
    const hasBody = (c.req.header("content-length") ?? "0") !== "0" || c.req.header("transfer-encoding");
    const kinds = parseRotation(hasBody ? await readJson(c, anyJson) : undefined);
    const rotated = await ctx.tenants.rotateKeys(id, kinds);
    if (!rotated) throw notFound(id);
    return c.json({ ...rotated.tenant, ...(kinds.includes("secret") ? { secretKey: rotated.secretKey } : {}) });
  });

  app.post(`${ADMIN_PREFIX}/tenants/:id/reconnect`, async (c) => {
    const tenant = await existing(c.req.param("id"));
    const marketplaceId = tenant.marketplaceIds.find((id) => SELLER_CENTRAL_HOSTS[id] !== undefined);
    if (!marketplaceId)
      throw validationProblem([{ path: "marketplaceIds", message: "none has a Seller Central consent page" }]);
    const { token, expiresAt } = await ctx.tenants.states.issueReconnect({
      name: tenant.name,
      marketplaceId,
      tenantId: tenant.id,
    });
    const url = new URL("/connect/amazon/reconnect", ctx.publicOrigin ?? c.req.url);
    url.searchParams.set("token", token);
    return c.json({ url: url.href, expiresAt });
  });

  app.delete(`${ADMIN_PREFIX}/tenants/:id`, async (c) => {
    const id = c.req.param("id");
    if (!(await ctx.tenants.delete(id))) throw notFound(id);
    return c.body(null, 204);
  });

  app.get(`${ADMIN_PREFIX}/health`, async (c) => {
    const tenants = await ctx.tenants.list();
    const expiring = await ctx.tenants.expiringWithin(EXPIRY_WARNING_DAYS);
    const brief = (tenant: Tenant) => ({
      id: tenant.id,
      name: tenant.name,
      status: tenant.status,
      authorisationExpiresAt: tenant.authorisationExpiresAt,
    });
    return c.json({
      tenants: tenants.length,
      expiringWithinDays: EXPIRY_WARNING_DAYS,
      expiring: expiring.map(brief),
      needsReauthorisation: tenants.filter((tenant) => tenant.status === "needs-reauthorisation").map(brief),
    });
  });
}

const jsonSchema = (schema: z.core.$ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
};

/** The operator API for /openapi.json: paths, component schemas and the security scheme, to merge in. */
export function adminOpenApi(): {
  paths: Record<string, unknown>;
  schemas: Record<string, unknown>;
  securitySchemes: Record<string, unknown>;
} {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const answer = (description: string, schema: unknown) => ({
    description,
    content: { "application/json": { schema } },
  });
  const problem = {
    description: "RFC 9457 problem details",
    content: { "application/problem+json": { schema: ref("Problem") } },
  };
  const security = [{ adminKey: [] }];
  const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
  const withKeys = { allOf: [ref("Tenant"), { type: "object", properties: { secretKey: { type: "string" } } }] };
  return {
    securitySchemes: {
      adminKey: { type: "http", scheme: "bearer", description: "MCF_ADMIN_KEY, the operator's key" },
    },
    schemas: {
      TenantCreateRequest: jsonSchema(tenantCreateSchema),
      TenantUpdateRequest: jsonSchema(tenantUpdateSchema),
      TenantKeysRequest: {
        type: "object",
        additionalProperties: false,
        properties: { keys: { type: "array", minItems: 1, items: { enum: KEY_KINDS } } },
      },
      Tenant: {
        type: "object",
        required: ["id", "name", "region", "marketplaceIds", "publishableKey", "allowedOrigins", "status"],
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          region: { enum: ["na", "eu", "fe"] },
          marketplaceIds: { type: "array", items: { type: "string" } },
          sellingPartnerId: { type: ["string", "null"] },
          publishableKey: { type: "string" },
          allowedOrigins: { type: "array", items: { type: "string" } },
          pricing: { type: "object" },
          browserOrders: { enum: ["hold", "ship", "off"] },
          fallbackRates: { type: "array", items: { type: "object" } },
          status: { enum: ["pending", "active", "needs-reauthorisation", "disabled"] },
          connected: { type: "boolean" },
          authorisedAt: { type: ["string", "null"], format: "date-time" },
          authorisationExpiresAt: { type: ["string", "null"], format: "date-time" },
          createdAt: { type: "string", format: "date-time" },
          updatedAt: { type: "string", format: "date-time" },
        },
      },
    },
    paths: {
      [`${ADMIN_PREFIX}/tenants`]: {
        get: {
          summary: "List tenants (never a refresh token or secret key)",
          security,
          responses: {
            "200": answer("Tenants", {
              type: "object",
              properties: { tenants: { type: "array", items: ref("Tenant") } },
            }),
            "401": problem,
          },
        },
        post: {
          summary:
            "Create a tenant (a refreshToken is checked with LWA first); the answer shows its secret key this once",
          security,
          requestBody: body("TenantCreateRequest"),
          responses: {
            "201": answer("The tenant with publishableKey and secretKey", withKeys),
            "400": problem,
            "401": problem,
            "409": problem,
            "415": problem,
            "503": problem,
          },
        },
      },
      [`${ADMIN_PREFIX}/tenants/{id}`]: {
        parameters: [idParameter],
        get: {
          summary: "Read a tenant",
          security,
          responses: { "200": answer("The tenant", ref("Tenant")), "401": problem, "404": problem },
        },
        patch: {
          summary: "Update pricing, origins, policy, fallback rates, name, marketplaces or status",
          security,
          requestBody: body("TenantUpdateRequest"),
          responses: { "200": answer("The tenant", ref("Tenant")), "400": problem, "401": problem, "404": problem },
        },
        delete: {
          summary: "Delete a tenant; its refresh token is wiped",
          security,
          responses: { "204": { description: "Deleted" }, "401": problem, "404": problem },
        },
      },
      [`${ADMIN_PREFIX}/tenants/{id}/keys`]: {
        parameters: [idParameter],
        post: {
          summary: "Rotate keys (default both); a new secret key is shown this once",
          security,
          requestBody: { required: false, content: { "application/json": { schema: ref("TenantKeysRequest") } } },
          responses: {
            "200": answer("The tenant, with secretKey when rotated", withKeys),
            "400": problem,
            "401": problem,
            "404": problem,
          },
        },
      },
      [`${ADMIN_PREFIX}/tenants/{id}/reconnect`]: {
        parameters: [idParameter],
        post: {
          summary:
            "A one-time link (10 minutes) for the tenant's seller to re-authorise it; the only way to renew an existing tenant's token through /connect",
          security,
          responses: {
            "200": answer("The link", {
              type: "object",
              required: ["url", "expiresAt"],
              properties: {
                url: { type: "string", format: "uri" },
                expiresAt: { type: "string", format: "date-time" },
              },
            }),
            "400": problem,
            "401": problem,
            "404": problem,
          },
        },
      },
      [`${ADMIN_PREFIX}/health`]: {
        get: {
          summary: "Tenants to re-authorise: expiring within 30 days, or needing it now",
          security,
          responses: { "200": answer("Health view", { type: "object" }), "401": problem },
        },
      },
    },
  };
}

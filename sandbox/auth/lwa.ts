import type { Clock } from "../clock.ts";
import type { SandboxApp } from "../context.ts";
import { unauthorized } from "../http/errors.ts";
import type { MwsKeys } from "./mws.ts";

/** One seller's LWA app credentials. `sellerId` scopes orders, stock and throttle buckets. */
export interface SellerCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId?: string;
  /** The same seller's MWS keys (sandbox/auth/mws.ts): requests signed with them act on this seller's state. */
  mws?: MwsKeys;
  /**
   * `false`: a test seller the sandbox knows (the consent page lists it) that has not authorised the app yet, so LWA
   * does not accept this refresh token; approving on the consent page gives it one. Default: authorised.
   */
  authorised?: boolean;
}

/** A seller as the sandbox keeps it: every field set but the optional MWS keys and `authorised`. */
export type KnownSeller = Required<Omit<SellerCredentials, "mws" | "authorised">> &
  Pick<SellerCredentials, "mws" | "authorised">;

export const DEV_CREDENTIALS: KnownSeller = {
  clientId: "amzn1.application-oa2-client.sandboxdevclient",
  clientSecret: "amzn1.oa2-cs.v1.sandbox-dev-secret",
  refreshToken: "Atzr|sandbox-dev-refresh-token",
  sellerId: "A1SANDBOXSELLER",
};

export const TOKEN_PATH = "/auth/o2/token";

/**
 * A public SP-API app as LWA knows it: the application id sellers authorise, its LWA client, its registered OAuth
 * redirect URIs (none: any loopback http(s) URL, for local development) and whether it is still in Draft.
 */
export interface ConnectorApp {
  applicationId: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  draft?: boolean;
}

export const DEV_APP: Required<ConnectorApp> = {
  applicationId: "amzn1.sellerapps.app.sandbox-dev-app",
  clientId: DEV_CREDENTIALS.clientId,
  clientSecret: DEV_CREDENTIALS.clientSecret,
  redirectUris: [],
  draft: false,
};

/** Amazon: "The spapi_oauth_code expires after five minutes." */
export const AUTHORIZATION_CODE_LIFETIME_MS = 5 * 60_000;

interface IssuedCode {
  applicationId: string;
  clientId: string;
  sellerId: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface IssuedToken {
  sellerId: string;
  expiresAt: number;
}

function randomToken(): string {
  const bytes = new Uint8Array(48);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** LWA's own error shape (not SP-API's). */
function lwaError(status: 400 | 401, error: string, description: string) {
  return { status, body: { error, error_description: description } };
}

export class Lwa {
  readonly sellers: KnownSeller[];
  readonly lifetimeSeconds: number;
  /** Public apps by application id (the dev app always, others registered at runtime). */
  readonly apps = new Map<string, Required<ConnectorApp>>([[DEV_APP.applicationId, DEV_APP]]);
  #tokens = new Map<string, IssuedToken>();
  #codes = new Map<string, IssuedCode>();
  #revoked = new Set<string>();
  #configuredSellers: number;
  #clock: Clock;

  constructor(credentials: SellerCredentials[], clock: Clock, lifetimeSeconds = 3600) {
    if (credentials.length === 0) throw new TypeError("credentials must name at least one seller");
    this.sellers = credentials.map((c, i) => {
      for (const field of ["clientId", "clientSecret", "refreshToken"] as const) {
        if (typeof c[field] !== "string" || c[field].length === 0)
          throw new TypeError(`credentials[${i}].${field} must be a non-empty string`);
      }
      return { ...c, sellerId: c.sellerId ?? (i === 0 ? DEV_CREDENTIALS.sellerId : `A${i + 1}SANDBOXSELLER`) };
    });
    this.#configuredSellers = this.sellers.length;
    this.#clock = clock;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  registerApp(app: ConnectorApp): void {
    for (const field of ["applicationId", "clientId", "clientSecret"] as const) {
      if (typeof app[field] !== "string" || app[field].length === 0)
        throw new TypeError(`app.${field} must be a non-empty string`);
    }
    this.apps.set(app.applicationId, { ...app, redirectUris: [...app.redirectUris], draft: app.draft ?? false });
  }

  /** A seller approved `app` on the consent page: a single-use code bound to the app's client and redirect URI. */
  issueCode(app: ConnectorApp, sellerId: string, redirectUri: string): string {
    const code = `AN${randomToken()
      .replace(/[^A-Za-z]/g, "")
      .slice(0, 18)
      .toUpperCase()}`;
    this.#codes.set(code, {
      applicationId: app.applicationId,
      clientId: app.clientId,
      sellerId,
      redirectUri,
      expiresAt: this.#clock.now() + AUTHORIZATION_CODE_LIFETIME_MS,
      used: false,
    });
    return code;
  }

  /**
   * The sellers that have authorised the app whose LWA client is `clientId`: each holds a refresh token of that client
   * which LWA accepts (configured, or granted through the consent page; not revoked).
   */
  authorisedSellers(clientId: string): Set<string> {
    return new Set(
      this.sellers.filter((seller) => seller.clientId === clientId && this.#accepts(seller)).map((s) => s.sellerId),
    );
  }

  #accepts(seller: KnownSeller): boolean {
    return seller.authorised !== false && !this.#revoked.has(seller.refreshToken);
  }

  /** Every refresh token of a seller stops working (the seller revoked the app in Seller Central). */
  revokeSeller(sellerId: string): number {
    const revoked = this.sellers.filter((seller) => seller.sellerId === sellerId);
    for (const seller of revoked) this.#revoked.add(seller.refreshToken);
    for (const [token, issued] of this.#tokens) if (issued.sellerId === sellerId) this.#tokens.delete(token);
    return revoked.length;
  }

  /** `grant_type=authorization_code`: the code's client authenticates, then the code is checked and used up. */
  #exchangeCode(params: Record<string, string | undefined>): { status: 200 | 400 | 401; body: object } {
    const { client_id: clientId, client_secret: clientSecret, code, redirect_uri: redirectUri } = params;
    if (!clientId) return lwaError(400, "invalid_request", "The request is missing a required parameter : client_id");
    const clients = [...this.apps.values()].filter((app) => app.clientId === clientId);
    if (clients.length === 0 || !clients.some((app) => app.clientSecret === clientSecret))
      return lwaError(401, "invalid_client", "Client authentication failed");
    if (!code) return lwaError(400, "invalid_request", "The request is missing a required parameter : code");
    if (!redirectUri)
      return lwaError(400, "invalid_request", "The request is missing a required parameter : redirect_uri");
    const issued = this.#codes.get(code);
    if (!issued || issued.clientId !== clientId)
      return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : code");
    if (issued.used) return lwaError(400, "invalid_grant", "The authorization code has already been used");
    if (this.#clock.now() >= issued.expiresAt) return lwaError(400, "invalid_grant", "The authorization code expired");
    if (issued.redirectUri !== redirectUri)
      return lwaError(400, "invalid_grant", "The redirect_uri does not match the one the code was issued for");
    issued.used = true;
    const app = this.apps.get(issued.applicationId)!;
    const refreshToken = `Atzr|${randomToken()}`;
    this.sellers.push({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken,
      sellerId: issued.sellerId,
    });
    return this.#grant(issued.sellerId, refreshToken);
  }

  #grant(sellerId: string, refreshToken: string): { status: 200; body: object } {
    const accessToken = `Atza|${randomToken()}`;
    this.#tokens.set(accessToken, { sellerId, expiresAt: this.#clock.now() + this.lifetimeSeconds * 1000 });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: "bearer",
        expires_in: this.lifetimeSeconds,
      },
    };
  }

  /** The token exchange: returns the HTTP status and JSON body LWA would send. */
  exchange(params: Record<string, string | undefined>): { status: 200 | 400 | 401; body: object } {
    const grantType = params.grant_type;
    if (!grantType) return lwaError(400, "invalid_request", "The request is missing a required parameter : grant_type");
    if (grantType === "authorization_code") return this.#exchangeCode(params);
    if (grantType !== "refresh_token")
      return lwaError(400, "unsupported_grant_type", `The authorization grant type is not supported : ${grantType}`);
    const { client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken } = params;
    if (!clientId) return lwaError(400, "invalid_request", "The request is missing a required parameter : client_id");
    const app = this.sellers.filter((s) => s.clientId === clientId);
    if (app.length === 0 || !app.some((s) => s.clientSecret === clientSecret))
      return lwaError(401, "invalid_client", "Client authentication failed");
    if (!refreshToken)
      return lwaError(400, "invalid_request", "The request is missing a required parameter : refresh_token");
    const seller = app.find(
      (s) => s.clientSecret === clientSecret && s.refreshToken === refreshToken && this.#accepts(s),
    );
    if (!seller) return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    return this.#grant(seller.sellerId, refreshToken);
  }

  /** The seller behind an access token, or the 403 Amazon answers. */
  authorize(accessToken: string | undefined): string {
    if (!accessToken) throw unauthorized("");
    const issued = this.#tokens.get(accessToken);
    if (!issued) throw unauthorized("The access token you provided is revoked, malformed or invalid.");
    if (this.#clock.now() >= issued.expiresAt) {
      this.#tokens.delete(accessToken);
      throw unauthorized("The access token you provided has expired.");
    }
    return issued.sellerId;
  }

  /** Forgets tokens, codes, sellers connected through consent and apps registered at runtime. */
  reset(): void {
    this.#tokens.clear();
    this.#codes.clear();
    this.#revoked.clear();
    this.sellers.length = this.#configuredSellers;
    for (const id of this.apps.keys()) if (id !== DEV_APP.applicationId) this.apps.delete(id);
  }
}

async function readParams(request: Request): Promise<Record<string, string | undefined>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (type.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object") {
        return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : undefined]));
      }
    } catch {
      return {};
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function registerLwa(app: SandboxApp, lwa: Lwa): void {
  app.post(TOKEN_PATH, async (c) => {
    const { status, body } = lwa.exchange(await readParams(c.req.raw));
    c.header("cache-control", "no-store");
    return c.json(body, status);
  });
}

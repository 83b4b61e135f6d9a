import type { Clock } from "../clock.ts";
import type { SandboxApp } from "../context.ts";
import { unauthorized } from "../http/errors.ts";

/** One seller's LWA app credentials. `sellerId` scopes orders, inventory is shared per marketplace. */
export interface SellerCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId?: string;
}

export const DEV_CREDENTIALS: Required<SellerCredentials> = {
  clientId: "amzn1.application-oa2-client.sandboxdevclient",
  clientSecret: "amzn1.oa2-cs.v1.sandbox-dev-secret",
  refreshToken: "Atzr|sandbox-dev-refresh-token",
  sellerId: "A1SANDBOXSELLER",
};

export const TOKEN_PATH = "/auth/o2/token";

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
  readonly sellers: Required<SellerCredentials>[];
  readonly lifetimeSeconds: number;
  #tokens = new Map<string, IssuedToken>();
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
    this.#clock = clock;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** The token exchange: returns the HTTP status and JSON body LWA would send. */
  exchange(params: Record<string, string | undefined>): { status: 200 | 400 | 401; body: object } {
    const grantType = params.grant_type;
    if (!grantType) return lwaError(400, "invalid_request", "The request is missing a required parameter : grant_type");
    if (grantType !== "refresh_token")
      return lwaError(400, "unsupported_grant_type", `The authorization grant type is not supported : ${grantType}`);
    const { client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken } = params;
    if (!clientId) return lwaError(400, "invalid_request", "The request is missing a required parameter : client_id");
    const app = this.sellers.filter((s) => s.clientId === clientId);
    if (app.length === 0 || !app.some((s) => s.clientSecret === clientSecret))
      return lwaError(401, "invalid_client", "Client authentication failed");
    if (!refreshToken)
      return lwaError(400, "invalid_request", "The request is missing a required parameter : refresh_token");
    const seller = app.find((s) => s.clientSecret === clientSecret && s.refreshToken === refreshToken);
    if (!seller) return lwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    const accessToken = `Atza|${randomToken()}`;
    this.#tokens.set(accessToken, {
      sellerId: seller.sellerId,
      expiresAt: this.#clock.now() + this.lifetimeSeconds * 1000,
    });
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

  reset(): void {
    this.#tokens.clear();
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

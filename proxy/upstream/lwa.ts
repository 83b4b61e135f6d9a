// Login With Amazon: exchanges the seller's refresh token for short-lived access tokens, cached until 60 s before
// they expire, with one exchange at a time however many requests wait for it.
import type { Clock } from "../resilience/index.ts";
import { UpstreamError } from "./types.ts";

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface TokenProviderOptions {
  credentials: LwaCredentials;
  tokenUrl: string;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
  /** Told about every new access token, so logs can redact it. */
  onToken?: (accessToken: string) => void;
}

export interface TokenProvider {
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /** Forget the cached token (Amazon said it is no longer valid). */
  invalidate(): void;
}

/** Refresh this long before Amazon's stated expiry, as the official SDKs do. */
export const REFRESH_MARGIN_MS = 60_000;
/**
 * Rejected credentials stay rejected until someone fixes the configuration: for this long the same failure is answered
 * without asking LWA again, so public routes (/v1/health, previews) cannot make the proxy hammer the token endpoint.
 */
export const REJECTION_CACHE_MS = 60_000;

const REJECTED = new Set(["invalid_grant", "invalid_client", "unauthorized_client", "access_denied", "invalid_scope"]);

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? { now: () => Date.now() };
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let rejected: { error: UpstreamError; until: number } | undefined;

  async function exchange(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: options.credentials.refreshToken,
      client_id: options.credentials.clientId,
      client_secret: options.credentials.clientSecret,
    });
    let response: Response;
    try {
      response = await doFetch(options.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8", accept: "application/json" },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      const timedOut = (cause as Error)?.name === "TimeoutError";
      throw new UpstreamError({
        operation: "token",
        status: 0,
        message: timedOut ? "The LWA token endpoint timed out." : "The LWA token endpoint is unreachable.",
        cause,
      });
    }
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const code = typeof payload.error === "string" ? payload.error : "";
      const credentialsRejected = REJECTED.has(code) || response.status === 401;
      const error = new UpstreamError({
        operation: "token",
        status: response.status,
        message: credentialsRejected
          ? `LWA rejected the credentials (${code || response.status}): check LWA_CLIENT_ID, LWA_CLIENT_SECRET and LWA_REFRESH_TOKEN.`
          : `The LWA token exchange failed (${code || response.status}).`,
        errors: code ? [{ code, message: String(payload.error_description ?? code) }] : [],
        retryable: !credentialsRejected && (response.status >= 500 || response.status === 429),
      });
      if (credentialsRejected) rejected = { error, until: clock.now() + REJECTION_CACHE_MS };
      throw error;
    }
    const token = payload.access_token;
    const expiresIn = Number(payload.expires_in ?? 3600);
    if (typeof token !== "string" || token === "" || !Number.isFinite(expiresIn)) {
      throw new UpstreamError({ operation: "token", status: 502, message: "LWA answered without an access token." });
    }
    options.onToken?.(token);
    cached = { token, refreshAt: clock.now() + expiresIn * 1000 - REFRESH_MARGIN_MS };
    return token;
  }

  return {
    getAccessToken(signal) {
      signal?.throwIfAborted();
      if (cached && clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
      if (rejected && clock.now() < rejected.until) return Promise.reject(rejected.error);
      pending ??= exchange().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

// Login With Amazon: exchanges the seller's refresh token for short-lived access tokens, kept in the tokens store
// until 60 s before they expire, with one exchange at a time per process however many requests wait for it.
// Rejected credentials are remembered too, so public routes cannot make the proxy hammer the token endpoint.
import { UpstreamError } from "../fulfillment/model.ts";
import { type Clock, systemClock } from "../shared/clock.ts";
import { sha256Base64Url } from "../shared/digest.ts";
import { DEFAULT_MERCHANT, merchantKey } from "../stores/keys.ts";
import { createMemoryStore } from "../stores/memory.ts";
import type { KeyValueStore } from "../stores/types.ts";

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
  /** Where tokens live (shared by a fleet); default a small in-memory store. */
  store?: KeyValueStore;
  /** Whose tokens: part of every store key. */
  merchant?: string;
  /** Told about every new access token, so logs can redact it. */
  onToken?: (accessToken: string) => void;
  /**
   * Told when LWA refuses the credentials (its error code, e.g. invalid_grant for a revoked refresh token); may give
   * the error to throw instead (connector mode: "this merchant is not connected", which previews degrade on).
   */
  onRejected?: (code: string) => UpstreamError | undefined | Promise<UpstreamError | undefined>;
}

export interface TokenProvider {
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /** Forget the cached token (Amazon said it is no longer valid). */
  invalidate(): Promise<void>;
}

/** Refresh this long before Amazon's stated expiry, as the official SDKs do. */
export const REFRESH_MARGIN_MS = 60_000;
/** Rejected credentials stay rejected for this long without asking LWA again (until someone fixes them). */
export const REJECTION_CACHE_MS = 60_000;

const REJECTED = new Set(["invalid_grant", "invalid_client", "unauthorized_client", "access_denied", "invalid_scope"]);

interface StoredToken {
  token: string;
  refreshAt: number;
}
interface StoredRejection {
  status: number;
  message: string;
  code: string;
  description: string;
  until: number;
}

const rejectionError = (rejection: StoredRejection) =>
  new UpstreamError({
    operation: "token",
    status: rejection.status,
    message: rejection.message,
    errors: rejection.code ? [{ code: rejection.code, message: rejection.description }] : [],
    retryable: false,
  });

/** What LWA answered one refresh-token exchange. */
export interface RefreshExchange {
  ok: boolean;
  status: number;
  payload: Record<string, unknown>;
  /** LWA's error code ("" when none). */
  code: string;
  /** LWA refused the credentials: the refresh token (invalid_grant) or the client (invalid_client, any 401). */
  rejected: boolean;
}

/**
 * One `grant_type=refresh_token` exchange at LWA's token endpoint (the token provider's, and the operator API's check
 * of a refresh token before storing it). Throws fetch's error when LWA cannot be reached or times out.
 */
export async function exchangeRefreshToken(request: {
  tokenUrl: string;
  credentials: LwaCredentials;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<RefreshExchange> {
  const { credentials } = request;
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: credentials.refreshToken,
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  const response = await (request.fetch ?? fetch)(request.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8", accept: "application/json" },
    body,
    signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
  });
  const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const code = typeof payload.error === "string" ? payload.error : "";
  return {
    ok: response.ok,
    status: response.status,
    payload,
    code,
    rejected: !response.ok && (REJECTED.has(code) || response.status === 401),
  };
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? createMemoryStore({ maxEntries: 4, clock });
  const merchant = options.merchant ?? DEFAULT_MERCHANT;
  // The client id is part of the key: one merchant connected through two apps has two tokens.
  const tokenKey = merchantKey(merchant, "lwa", options.credentials.clientId, "access");
  // A refusal belongs to the credentials refused: a seller who re-authorises (a new refresh token) is heard at once.
  let rejectionKeyOf: Promise<string> | undefined;
  const rejectionKey = () =>
    (rejectionKeyOf ??= sha256Base64Url(options.credentials.refreshToken, 9).then((fingerprint) =>
      merchantKey(merchant, "lwa", options.credentials.clientId, "rejected", fingerprint),
    ));
  let pending: Promise<string> | undefined;
  /** The last token told to onToken: a token another instance stored is told once, when first seen. */
  let told: string | undefined;

  async function exchange(): Promise<string> {
    let reply: RefreshExchange;
    try {
      reply = await exchangeRefreshToken({
        tokenUrl: options.tokenUrl,
        credentials: options.credentials,
        fetch: doFetch,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
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
    const { payload, status, code } = reply;
    if (!reply.ok) {
      const message = reply.rejected
        ? `LWA rejected the credentials (${code || status}): check LWA_CLIENT_ID, LWA_CLIENT_SECRET and LWA_REFRESH_TOKEN.`
        : `The LWA token exchange failed (${code || status}).`;
      const description = String(payload.error_description ?? code);
      if (reply.rejected) {
        const rejection = {
          status,
          message,
          code,
          description,
          until: clock.now() + REJECTION_CACHE_MS,
        };
        await store.set(await rejectionKey(), rejection, REJECTION_CACHE_MS).catch(() => {});
        throw (await options.onRejected?.(code)) ?? rejectionError(rejection);
      }
      throw new UpstreamError({
        operation: "token",
        status,
        message,
        errors: code ? [{ code, message: description }] : [],
        retryable: status >= 500 || status === 429,
      });
    }
    const token = payload.access_token;
    const expiresIn = Number(payload.expires_in ?? 3600);
    if (typeof token !== "string" || token === "" || !Number.isFinite(expiresIn)) {
      throw new UpstreamError({ operation: "token", status: 502, message: "LWA answered without an access token." });
    }
    options.onToken?.(token);
    const lifetimeMs = expiresIn * 1000 - REFRESH_MARGIN_MS;
    if (lifetimeMs > 0) {
      const stored: StoredToken = { token, refreshAt: clock.now() + lifetimeMs };
      told = token;
      await store.set(tokenKey, stored, lifetimeMs).catch(() => {});
    }
    return token;
  }

  async function cachedOrExchange(): Promise<string> {
    // A store that fails is no reason to fail the call: exchange instead.
    const cached = await store.get<StoredToken>(tokenKey).catch(() => undefined);
    if (cached && clock.now() < cached.refreshAt) {
      if (cached.token !== told) options.onToken?.(cached.token);
      told = cached.token;
      return cached.token;
    }
    const rejected = await store.get<StoredRejection>(await rejectionKey()).catch(() => undefined);
    if (rejected && clock.now() < rejected.until) {
      // Another instance heard the refusal: this one acts on it as well.
      throw (await options.onRejected?.(rejected.code)) ?? rejectionError(rejected);
    }
    return exchange();
  }

  return {
    getAccessToken(signal) {
      signal?.throwIfAborted();
      pending ??= cachedOrExchange().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async invalidate() {
      await store.delete(tokenKey).catch(() => {});
    },
  };
}

// OAuth `state` for Amazon's website authorization workflow: short-lived (10 minutes at most), single-use and bound
// to the onboarding session that asked for it. Only hashes are stored. A reconnect link (the operator's, for one
// tenant) is a row of the same kind bound to no browser session: opening it issues a state bound to that tenant and
// to the browser that opened it.
import type { Kysely } from "kysely";
import { hashSecretKey, randomId } from "./crypto.ts";
import type { TenantDatabase } from "./schema.ts";

export const MAX_STATE_TTL_MS = 10 * 60_000;

/** What the onboarding page asked for before sending the seller to Amazon. */
export interface ConsentRequest {
  /** The store name for a new tenant. */
  name: string;
  marketplaceId: string;
  /** The store's origin, for the new tenant's CORS allow-list. */
  origin?: string;
  /** Set only by a reconnect link: the one tenant whose authorisation this consent may replace. */
  tenantId?: string;
  /** The merchant's language, for the pages after the callback. */
  locale?: string;
}

export type StateCheck =
  | { ok: true; request: ConsentRequest }
  | { ok: false; reason: "unknown" | "expired" | "session" };

export interface OAuthStateStore {
  /** A new state for this session; it expires after `ttlMs` (at most 10 minutes). */
  issue(sessionId: string, request: ConsentRequest, ttlMs?: number): Promise<string>;
  /** Takes the state (whatever the outcome, it cannot be used again) and checks its session and expiry. */
  consume(state: string, sessionId: string): Promise<StateCheck>;
  /** A one-time reconnect link's token for `request.tenantId`, valid 10 minutes. */
  issueReconnect(request: ConsentRequest & { tenantId: string }): Promise<{ token: string; expiresAt: string }>;
  /** Takes a reconnect link's token (whatever the outcome); only a token issueReconnect made is accepted. */
  consumeReconnect(token: string): Promise<StateCheck>;
}

/** A reconnect link's row is bound to this instead of a session: no cookie's id (no spaces) can match it. */
const RECONNECT_LINK = "reconnect link";

export function oauthStateStore(db: Kysely<TenantDatabase>, clock: { now(): number }): OAuthStateStore {
  const issue = async (sessionId: string, request: ConsentRequest, ttlMs: number) => {
    if (!(ttlMs > 0 && ttlMs <= MAX_STATE_TTL_MS)) throw new RangeError("state lifetime must be 1 ms to 10 minutes");
    const now = clock.now();
    await db.deleteFrom("mcf_oauth_states").where("expires_at", "<=", new Date(now).toISOString()).execute();
    const state = randomId("", 24);
    const expiresAt = new Date(now + ttlMs).toISOString();
    await db
      .insertInto("mcf_oauth_states")
      .values({
        state_hash: await hashSecretKey(state),
        session_hash: await hashSecretKey(sessionId),
        payload: JSON.stringify(request),
        expires_at: expiresAt,
      })
      .execute();
    return { state, expiresAt };
  };
  const consume = async (state: string, sessionId: string): Promise<StateCheck> => {
    const row = await db
      .deleteFrom("mcf_oauth_states")
      .where("state_hash", "=", await hashSecretKey(state))
      .returningAll()
      .executeTakeFirst();
    if (!row) return { ok: false, reason: "unknown" };
    if (row.session_hash !== (await hashSecretKey(sessionId))) return { ok: false, reason: "session" };
    if (row.expires_at <= new Date(clock.now()).toISOString()) return { ok: false, reason: "expired" };
    return { ok: true, request: JSON.parse(row.payload) as ConsentRequest };
  };
  return {
    issue: async (sessionId, request, ttlMs = MAX_STATE_TTL_MS) => (await issue(sessionId, request, ttlMs)).state,
    consume,
    async issueReconnect(request) {
      const { state, expiresAt } = await issue(RECONNECT_LINK, request, MAX_STATE_TTL_MS);
      return { token: state, expiresAt };
    },
    async consumeReconnect(token) {
      const check = await consume(token, RECONNECT_LINK);
      // A browser's state (bound to its session, naming no tenant) is no link.
      if (check.ok ? check.request.tenantId : check.reason === "expired") return check;
      return { ok: false, reason: "unknown" };
    },
  };
}

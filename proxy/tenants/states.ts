// OAuth `state` for Amazon's website authorization workflow: short-lived (10 minutes at most), single-use and bound
// to the onboarding session that asked for it. Only hashes are stored.
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
  /** Set when an existing tenant reconnects. */
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
}

export function oauthStateStore(db: Kysely<TenantDatabase>, clock: { now(): number }): OAuthStateStore {
  return {
    async issue(sessionId, request, ttlMs = MAX_STATE_TTL_MS) {
      if (!(ttlMs > 0 && ttlMs <= MAX_STATE_TTL_MS)) throw new RangeError("state lifetime must be 1 ms to 10 minutes");
      const now = clock.now();
      await db.deleteFrom("mcf_oauth_states").where("expires_at", "<=", new Date(now).toISOString()).execute();
      const state = randomId("", 24);
      await db
        .insertInto("mcf_oauth_states")
        .values({
          state_hash: await hashSecretKey(state),
          session_hash: await hashSecretKey(sessionId),
          payload: JSON.stringify(request),
          expires_at: new Date(now + ttlMs).toISOString(),
        })
        .execute();
      return state;
    },
    async consume(state, sessionId) {
      const row = await db
        .deleteFrom("mcf_oauth_states")
        .where("state_hash", "=", await hashSecretKey(state))
        .returningAll()
        .executeTakeFirst();
      if (!row) return { ok: false, reason: "unknown" };
      if (row.session_hash !== (await hashSecretKey(sessionId))) return { ok: false, reason: "session" };
      if (row.expires_at <= new Date(clock.now()).toISOString()) return { ok: false, reason: "expired" };
      return { ok: true, request: JSON.parse(row.payload) as ConsentRequest };
    },
  };
}

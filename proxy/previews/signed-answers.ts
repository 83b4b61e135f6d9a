// Signed answers reused for a few seconds: signing one quote per option is most of the cost of a cached preview, and
// at checkout the same cart to the same place is asked for again and again (each keystroke, each shopper in a sale).
// Sharing quotes is safe because an order id is derived from the quote *and* the whole order body, so two shoppers
// with one quote still get two orders; only identical order bodies meet, which is the dedupe wanted anyway.
// An answer is reused only for the same cached preview (its entry version), and never once one of its quotes was
// presented for an order, so a shopper who buys the same again gets a fresh quote.
import type { Clock } from "../shared/clock.ts";
import { merchantKey } from "../stores/keys.ts";
import type { KeyValueStore } from "../stores/types.ts";

/**
 * How long a signed answer is reused. Short, so quotes handed out stay nearly their full lifetime (their `expiresAt`
 * is the one signed, never extended) and a changed preview or price rule shows within seconds.
 */
export const SIGNED_ANSWER_REUSE_MS = 5_000;

export interface SignedAnswer {
  /** The mapped, signed part of the answer, serialised once (`{"options":…,"reasons":…` left open). */
  json: string;
  quoteIds: string[];
}

interface StoredAnswer extends SignedAnswer {
  /** The version of the cached preview it was made from. */
  version: string;
  signedAt: number;
}

export interface SignedAnswers {
  /**
   * The answer for `key` made from preview `version` within the window and with no quote ordered yet, or a new one
   * from `sign` (one signing per process for concurrent identical requests). A failed signing is not remembered.
   */
  reuse(key: string, version: string, sign: () => Promise<SignedAnswer>): Promise<SignedAnswer>;
  /** Remembers that a quote was presented for an order. */
  markPresented(quoteId: string, ttlMs: number): Promise<void>;
}

export function createSignedAnswers(options: {
  answers: KeyValueStore;
  quotes: KeyValueStore;
  clock: Clock;
  merchant: string;
  windowMs?: number;
}): SignedAnswers {
  const { answers, quotes, clock, merchant, windowMs = SIGNED_ANSWER_REUSE_MS } = options;
  const signing = new Map<string, Promise<SignedAnswer>>();
  const presentedKey = (quoteId: string) => merchantKey(merchant, "presented", quoteId);

  const usable = async (found: StoredAnswer | undefined, version: string, now: number) => {
    // A clock that went back counts as out of the window too.
    if (!found || found.version !== version || now < found.signedAt || now - found.signedAt >= windowMs) return false;
    const presented = await Promise.all(found.quoteIds.map((id) => quotes.get<boolean>(presentedKey(id))));
    return !presented.some(Boolean);
  };

  return {
    reuse(key, version, sign) {
      const storeKey = merchantKey(merchant, "answer", key);
      const flight = `${storeKey}|${version}`;
      const pending = signing.get(flight);
      if (pending) return pending;
      const now = clock.now();
      const answer = (async () => {
        // The store failing costs only the reuse.
        const found = await answers.get<StoredAnswer>(storeKey).catch(() => undefined);
        if (await usable(found, version, now).catch(() => false)) return found as StoredAnswer;
        const signed = await sign();
        await answers.set(storeKey, { ...signed, version, signedAt: now }, windowMs).catch(() => {});
        return signed;
      })();
      signing.set(flight, answer);
      const forget = () => signing.delete(flight);
      answer.then(forget, forget);
      return answer;
    },
    async markPresented(quoteId, ttlMs) {
      await quotes.set(presentedKey(quoteId), true, ttlMs);
    },
  };
}

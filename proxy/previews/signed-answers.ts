// Signed answers reused for a few seconds: signing one quote per option is most of the cost of a cached preview, and
// at checkout the same cart to the same place is asked for again and again (each keystroke, each shopper in a sale).
// Sharing quotes is safe because an order id is derived from the quote *and* the whole order body, so two shoppers
// with one quote still get two orders; only identical order bodies meet, which is the dedupe wanted anyway.
// An answer is reused only for the same cached preview (its entry version), and never once one of its quotes was
// presented for an order, so a shopper who buys the same again gets a fresh quote.
import type { Clock } from "../shared/clock.ts";
import { createLru, type Lru } from "../shared/lru.ts";
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

export interface StoredAnswer extends SignedAnswer {
  /** The version of the cached preview it was made from. */
  version: string;
  signedAt: number;
}

/**
 * What `reuse` reads for a key: the stored answer and whether one of its quotes was presented (a read of the store
 * failing counts as presented, which costs only the reuse). Never rejects.
 */
export type StoredRead = Promise<{ found: StoredAnswer; presented: boolean } | undefined>;

export interface SignedAnswers {
  /**
   * Starts the reads `reuse(key, …)` makes, so a caller can issue them alongside its preview read (on one Redis
   * connection they go out in the same round trip). Pass the result to `reuse` right after that read.
   */
  read(key: string): StoredRead;
  /**
   * The answer for `key` made from preview `version` within the window and with no quote ordered yet, or a new one
   * from `sign` (one signing per process for concurrent identical requests). A failed signing is not remembered.
   * `read`: what `read(key)` returned just now (read afresh without it).
   */
  reuse(key: string, version: string, sign: () => Promise<SignedAnswer>, read?: StoredRead): Promise<SignedAnswer>;
  /** Remembers that a quote was presented for an order. */
  markPresented(quoteId: string, ttlMs: number): Promise<void>;
}

/** How many keys' quote ids an instance remembers (to check their presented marks alongside the answer read). */
export const KNOWN_QUOTE_IDS = 4_096;

export function createSignedAnswers(options: {
  answers: KeyValueStore;
  quotes: KeyValueStore;
  clock: Clock;
  merchant: string;
  windowMs?: number;
  /** One memory for every merchant of the process (keys are store keys, which carry the merchant). */
  knownQuoteIds?: Lru<readonly string[]>;
}): SignedAnswers {
  const { answers, quotes, clock, merchant, windowMs = SIGNED_ANSWER_REUSE_MS } = options;
  const signing = new Map<string, Promise<SignedAnswer>>();
  /**
   * The quote ids last seen in the answer stored under each key. The presented marks of the answer a key holds are
   * read together with the answer itself when its quote ids are known already, else right after it.
   */
  const knownQuoteIds = options.knownQuoteIds ?? createLru<readonly string[]>(KNOWN_QUOTE_IDS, clock);
  const presentedKey = (quoteId: string) => merchantKey(merchant, "presented", quoteId);
  const anyPresented = (quoteIds: readonly string[]) =>
    Promise.all(quoteIds.map((id) => quotes.get<boolean>(presentedKey(id)))).then(
      (marks) => marks.some(Boolean),
      () => true,
    );

  const readStored = (storeKey: string): StoredRead => {
    const known = knownQuoteIds.get(storeKey);
    const knownPresented = known ? anyPresented(known) : undefined;
    return (async () => {
      // The store failing costs only the reuse.
      const found = await answers.get<StoredAnswer>(storeKey).catch(() => undefined);
      if (!found) return undefined;
      const same = known?.length === found.quoteIds.length && known.every((id, i) => id === found.quoteIds[i]);
      const presented = await (same && knownPresented ? knownPresented : anyPresented(found.quoteIds));
      knownQuoteIds.set(storeKey, found.quoteIds, windowMs);
      return { found, presented };
    })();
  };

  const usable = (
    read: Awaited<StoredRead>,
    version: string,
    now: number,
  ): read is { found: StoredAnswer; presented: false } => {
    if (!read || read.presented) return false;
    const { found } = read;
    // A clock that went back counts as out of the window too.
    return found.version === version && now >= found.signedAt && now - found.signedAt < windowMs;
  };

  return {
    read: (key) => readStored(merchantKey(merchant, "answer", key)),
    reuse(key, version, sign, read) {
      const storeKey = merchantKey(merchant, "answer", key);
      const flight = `${storeKey}|${version}`;
      const pending = signing.get(flight);
      if (pending) return pending;
      const now = clock.now();
      const answer = (async () => {
        const stored = await (read ?? readStored(storeKey));
        if (usable(stored, version, now)) return stored.found;
        const signed = await sign();
        await answers.set(storeKey, { ...signed, version, signedAt: now }, windowMs).catch(() => {});
        knownQuoteIds.set(storeKey, signed.quoteIds, windowMs);
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

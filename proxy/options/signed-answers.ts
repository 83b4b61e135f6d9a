// Signed answers reused for a few seconds: signing one quote per option is most of the cost of a cached preview, and
// at checkout the same cart to the same place is asked for again and again (each keystroke, each shopper in a sale).
// Sharing quotes is safe because an order id is derived from the quote *and* the whole order body, so two shoppers
// with one quote still get two orders; only identical order bodies meet, which is the dedupe wanted anyway.
import type { Clock } from "../resilience/index.ts";

/**
 * How long a signed answer is reused. Short, so quotes handed out stay nearly their full lifetime (their `expiresAt`
 * is the one signed, never extended) and a changed preview or price rule shows within seconds.
 */
export const SIGNED_ANSWER_REUSE_MS = 5_000;
/** A few hundred carts in flight at once is a busy store; beyond that the least recently used answer is dropped. */
export const SIGNED_ANSWER_MAX_ENTRIES = 256;

interface Reusable<T> {
  /** The cached preview the answer was made from: reused only while the preview service returns that same entry. */
  preview: object;
  signedAt: number;
  answer: Promise<T>;
}

export interface SignedAnswerCache<T> {
  /**
   * The answer for `key` made from `preview` within the window and still `usable`, or a new one from `sign` (one
   * signing for concurrent identical requests). A failed signing is not remembered.
   */
  reuse(key: string, preview: object, sign: () => Promise<T>): Promise<T>;
  readonly size: number;
}

export function createSignedAnswerCache<T>(options: {
  clock: Clock;
  /** False once the answer must not be handed out again (e.g. one of its quotes was ordered). */
  usable?: (answer: T) => boolean;
  windowMs?: number;
  maxEntries?: number;
}): SignedAnswerCache<T> {
  const {
    clock,
    usable = () => true,
    windowMs = SIGNED_ANSWER_REUSE_MS,
    maxEntries = SIGNED_ANSWER_MAX_ENTRIES,
  } = options;
  const entries = new Map<string, Reusable<T>>();

  const signAnew = (key: string, preview: object, signedAt: number, sign: () => Promise<T>) => {
    const answer = sign();
    const entry: Reusable<T> = { preview, signedAt, answer };
    entries.set(key, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    answer.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return answer;
  };

  return {
    get size() {
      return entries.size;
    },
    async reuse(key, preview, sign) {
      const now = clock.now();
      const found = entries.get(key);
      if (found) {
        entries.delete(key);
        // A clock that went back counts as out of the window too.
        if (found.preview === preview && now >= found.signedAt && now - found.signedAt < windowMs) {
          entries.set(key, found); // most recently used goes last
          const answer = await found.answer.catch(() => undefined);
          if (answer !== undefined && usable(answer)) return answer;
          if (entries.get(key) === found) entries.delete(key);
        }
      }
      return signAnew(key, preview, now, sign);
    },
  };
}

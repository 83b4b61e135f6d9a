// Store keys: a version prefix (a change of stored shapes starts afresh instead of misreading), the merchant, then
// the parts that name the entry. Parts are joined with ":" and may themselves contain it.

export const KEY_VERSION = "v1";

/** The merchant a single-tenant proxy serves. */
export const DEFAULT_MERCHANT = "default";

export function merchantKey(merchant: string, ...parts: string[]): string {
  return [KEY_VERSION, merchant, ...parts].join(":");
}

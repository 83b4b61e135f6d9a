import { invalidInput } from "../http/errors.ts";

/** Where the next page starts, and the query's start date so later pages keep the same filter. */
export interface PageState {
  offset: number;
  since?: number;
}

export function encodePageToken(state: PageState): string {
  return btoa(JSON.stringify({ o: state.offset, ...(state.since !== undefined ? { s: state.since } : {}) }));
}

export function decodePageToken(token: string): PageState {
  try {
    const parsed = JSON.parse(atob(token)) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return { offset: parsed.o, ...(typeof parsed.s === "number" ? { since: parsed.s } : {}) };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidInput("nextToken is invalid or expired.");
}

/** Parses an optional ISO date-time query parameter naming it in the error. */
export function sinceParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const since = Date.parse(value);
  if (Number.isNaN(since)) throw invalidInput(`${name} must be an ISO 8601 date-time.`);
  return since;
}

/** One page of rows plus the token for the next, if any. */
export function page<T>(rows: T[], state: PageState, size: number): { rows: T[]; nextToken?: string } {
  const slice = rows.slice(state.offset, state.offset + size);
  const next = state.offset + size;
  return next < rows.length ? { rows: slice, nextToken: encodePageToken({ ...state, offset: next }) } : { rows: slice };
}

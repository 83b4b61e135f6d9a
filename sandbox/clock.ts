/** Milliseconds since the epoch. Every time-driven rule in the sandbox reads time only through a Clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: deterministic tests. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** Monday 5 January 2026, 09:00 UTC: a business day in every demo marketplace. */
export const DEFAULT_MANUAL_START = Date.UTC(2026, 0, 5, 9, 0, 0);

export function manualClock(start: number = DEFAULT_MANUAL_START): ManualClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** A clock running faster than real time; `realTime` is the unscaled clock it is built on. */
export interface ScaledClock extends Clock {
  readonly scale: number;
  readonly realTime: Clock;
}

/**
 * Runs `scale` times faster than `base` from the moment it is created (demos: an order completes in minutes).
 * Only the order lifecycle speeds up: the sandbox keeps LWA tokens and throttling on `realTime`.
 */
export function scaledClock(scale: number, base: Clock = systemClock): ScaledClock {
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError(`time scale must be a positive number, got ${scale}`);
  const origin = base.now();
  return { now: () => origin + Math.round((base.now() - origin) * scale), scale, realTime: base };
}

/** The real-time clock behind `clock`: a scaled clock's base, else the clock itself. */
export function realTimeOf(clock: Clock): Clock {
  return "realTime" in clock ? (clock as ScaledClock).realTime : clock;
}

/** Wraps a clock with an offset that only grows: what `POST /_sandbox/clock/advance` moves. */
export interface AdvanceableClock extends Clock {
  advance(ms: number): void;
  readonly offset: number;
}

export function advanceableClock(base: Clock): AdvanceableClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance: (ms) => {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError("the clock only moves forward by a finite amount");
      offset += ms;
    },
    get offset() {
      return offset;
    },
  };
}

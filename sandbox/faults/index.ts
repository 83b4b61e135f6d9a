import { USAGE_PLANS } from "../throttle/index.ts";

/** Operations without a usage plan: the sandbox-only status update and the FBA Inventory sandbox operations. */
export const SANDBOX_ONLY_OPERATIONS = [
  "submitFulfillmentOrderStatusUpdate",
  "createInventoryItem",
  "addInventory",
  "deleteInventoryItem",
] as const;

/** Every operation id the sandbox serves: what a fault plan (besides "*") may name. */
export const OPERATIONS: readonly string[] = [...Object.keys(USAGE_PLANS), ...SANDBOX_ONLY_OPERATIONS];

/** What can go wrong with one operation. Rates are probabilities in [0, 1] and are drawn in the order listed. */
export interface OperationFaults {
  /** Added to every response, plus up to `jitterMs` more. */
  latencyMs?: number;
  jitterMs?: number;
  /** The request never gets an answer (until the client gives up). */
  hangRate?: number;
  /** 429 QuotaExceeded regardless of the token bucket. */
  throttleRate?: number;
  /** 503 ServiceUnavailable. */
  unavailableRate?: number;
  /** 500 InternalFailure. */
  errorRate?: number;
  /** The operation runs, then its JSON body is cut in half. */
  malformedRate?: number;
  /** Only this many requests are faulted, then the entry switches itself off. */
  count?: number;
}

/** Faults per operation id (e.g. "getFulfillmentPreview"), or "*" for every operation without its own entry. */
export type FaultPlan = Record<string, OperationFaults>;

export type FaultOutcome = "ok" | "hang" | "throttle" | "unavailable" | "error" | "malformed";

const RATES = ["hangRate", "throttleRate", "unavailableRate", "errorRate", "malformedRate"] as const;
const OUTCOMES: Record<(typeof RATES)[number], FaultOutcome> = {
  hangRate: "hang",
  throttleRate: "throttle",
  unavailableRate: "unavailable",
  errorRate: "error",
  malformedRate: "malformed",
};
const KNOWN = new Set<string>([...RATES, "latencyMs", "jitterMs", "count"]);

/** Checks a plan from options or the control endpoint; throws a TypeError naming the bad field. */
export function parseFaultPlan(input: unknown): FaultPlan {
  if (!input || typeof input !== "object" || Array.isArray(input)) throw new TypeError("faults must be an object");
  const plan: FaultPlan = {};
  for (const [operation, value] of Object.entries(input)) {
    if (operation !== "*" && !OPERATIONS.includes(operation))
      throw new TypeError(
        `faults.${operation} names no operation; use an operation id (${OPERATIONS.join(", ")}) or "*"`,
      );
    if (!value || typeof value !== "object" || Array.isArray(value))
      throw new TypeError(`faults.${operation} must be an object`);
    const entry: OperationFaults = {};
    let total = 0;
    for (const [key, raw] of Object.entries(value)) {
      if (!KNOWN.has(key)) throw new TypeError(`faults.${operation}.${key} is not a known fault`);
      if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0)
        throw new TypeError(`faults.${operation}.${key} must be a non-negative number`);
      if ((RATES as readonly string[]).includes(key)) {
        if (raw > 1) throw new TypeError(`faults.${operation}.${key} must be between 0 and 1`);
        total += raw;
      }
      if (key === "count" && !Number.isInteger(raw))
        throw new TypeError(`faults.${operation}.count must be an integer`);
      (entry as Record<string, number>)[key] = raw;
    }
    if (total > 1 + 1e-9) throw new TypeError(`faults.${operation}: the rates add up to more than 1`);
    plan[operation] = entry;
  }
  return plan;
}

/** Pure: which outcome a random draw `roll` in [0, 1) selects. */
export function pickOutcome(faults: OperationFaults, roll: number): FaultOutcome {
  let threshold = 0;
  for (const rate of RATES) {
    threshold += faults[rate] ?? 0;
    if (roll < threshold) return OUTCOMES[rate];
  }
  return "ok";
}

export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome;
}

export class Faults {
  #plan: FaultPlan;
  #random: () => number;

  constructor(plan: FaultPlan = {}, random: () => number = Math.random) {
    this.#plan = parseFaultPlan(plan);
    this.#random = random;
  }

  get plan(): FaultPlan {
    return structuredClone(this.#plan);
  }

  replace(plan: unknown): void {
    this.#plan = parseFaultPlan(plan);
  }

  merge(plan: unknown): void {
    this.#plan = { ...this.#plan, ...parseFaultPlan(plan) };
  }

  clear(): void {
    this.#plan = {};
  }

  decide(operation: string): FaultDecision {
    const key = operation in this.#plan ? operation : "*";
    const faults = this.#plan[key];
    if (!faults || (faults.count !== undefined && faults.count <= 0)) return { latencyMs: 0, outcome: "ok" };
    const latencyMs = (faults.latencyMs ?? 0) + (faults.jitterMs ? this.#random() * faults.jitterMs : 0);
    const outcome = pickOutcome(faults, this.#random());
    if (faults.count !== undefined && (outcome !== "ok" || latencyMs > 0)) faults.count -= 1;
    return { latencyMs, outcome };
  }
}

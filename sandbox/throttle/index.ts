import { type Bucket, fullBucket, take, type UsagePlan } from "./bucket.ts";

export type { UsagePlan } from "./bucket.ts";

/** Default usage plans from the models' operation descriptions (requests per second / burst). */
export const USAGE_PLANS: Record<string, UsagePlan> = {
  getFulfillmentPreview: { rate: 2, burst: 30 },
  deliveryOffers: { rate: 5, burst: 30 },
  listAllFulfillmentOrders: { rate: 2, burst: 30 },
  createFulfillmentOrder: { rate: 2, burst: 30 },
  getPackageTrackingDetails: { rate: 2, burst: 30 },
  listReturnReasonCodes: { rate: 2, burst: 30 },
  createFulfillmentReturn: { rate: 2, burst: 30 },
  getFulfillmentOrder: { rate: 2, burst: 30 },
  updateFulfillmentOrder: { rate: 2, burst: 30 },
  cancelFulfillmentOrder: { rate: 2, burst: 30 },
  getFeatures: { rate: 2, burst: 30 },
  getFeatureInventory: { rate: 2, burst: 30 },
  getFeatureSKU: { rate: 2, burst: 30 },
  getInventorySummaries: { rate: 2, burst: 2 },
};

/** Rate header value as Amazon prints it ("2.0"). */
export function rateHeader(plan: UsagePlan): string {
  return Number.isInteger(plan.rate) ? plan.rate.toFixed(1) : String(plan.rate);
}

/** One token bucket per (seller, operation). */
export class Throttle {
  readonly plans: Record<string, UsagePlan>;
  /** When false the plans are still reported in `x-amzn-RateLimit-Limit` but never enforced. */
  readonly enforce: boolean;
  #buckets = new Map<string, Bucket>();

  constructor(plans: Record<string, UsagePlan>, enforce = true) {
    this.plans = plans;
    this.enforce = enforce;
  }

  /** undefined: the operation has no usage plan (sandbox-only operations). */
  check(seller: string, operation: string, now: number): { allowed: boolean; plan?: UsagePlan } {
    const plan = this.plans[operation];
    if (!plan || !this.enforce) return plan ? { allowed: true, plan } : { allowed: true };
    const key = `${seller}\u0000${operation}`;
    const result = take(this.#buckets.get(key) ?? fullBucket(plan, now), plan, now);
    this.#buckets.set(key, result.bucket);
    return { allowed: result.allowed, plan };
  }

  reset(): void {
    this.#buckets.clear();
  }
}

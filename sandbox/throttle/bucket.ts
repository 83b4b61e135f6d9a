/** Amazon's usage plan: `rate` tokens per second restore a bucket holding at most `burst`. */
export interface UsagePlan {
  rate: number;
  burst: number;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function fullBucket(plan: UsagePlan, now: number): Bucket {
  return { tokens: plan.burst, updatedAt: now };
}

export function refill(bucket: Bucket, plan: UsagePlan, now: number): Bucket {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return {
    tokens: Math.min(plan.burst, bucket.tokens + (elapsed * plan.rate) / 1000),
    updatedAt: Math.max(now, bucket.updatedAt),
  };
}

/** Takes one token if there is one. Pure: returns the bucket to keep. */
export function take(bucket: Bucket, plan: UsagePlan, now: number): { allowed: boolean; bucket: Bucket } {
  const current = refill(bucket, plan, now);
  if (current.tokens >= 1) return { allowed: true, bucket: { ...current, tokens: current.tokens - 1 } };
  return { allowed: false, bucket: current };
}

/** Milliseconds until the next token, for logs and Retry-After hints. */
export function msUntilToken(bucket: Bucket, plan: UsagePlan): number {
  return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 1000) / plan.rate);
}

// Run by redis-runtimes.test.ts under Bun and Deno: the Redis stores on that runtime, against REDIS_URL. Prints one
// JSON line with what it saw.
import { merchantKey } from "../../proxy/stores/keys.ts";
import { createRedisStores } from "../../proxy/stores/redis.ts";

const stores = await createRedisStores(process.env.REDIS_URL ?? "");
const merchant = `probe-${crypto.randomUUID()}`;
const key = merchantKey(merchant, "idempotency", "k");
const racers = await Promise.all([1, 2, 3, 4].map((n) => stores.idempotency.putIfAbsent(key, { n }, 10_000)));
const plan = { ratePerSecond: 1, burst: 2 };
const bucket = merchantKey(merchant, "bucket", "getFulfillmentPreview");
const reservations = [];
for (let call = 0; call < 3; call++) reservations.push(await stores.buckets.reserve(bucket, plan, 1_000, 0));
const stored = await stores.idempotency.get(key);
await stores.close();
console.log(JSON.stringify({ winners: racers.filter((result) => result === undefined).length, stored, reservations }));

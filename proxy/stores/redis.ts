// The stores on one shared Redis (node-redis, which runs on Node, Bun and Deno). Everything that must be atomic runs
// on the server as a Lua script: put-if-absent, compare-and-set and the token bucket (the same math as
// admission/token-bucket.ts, step for step, so every engine answers alike). Every key gets a TTL; every command a
// timeout, and commands fail at once while disconnected instead of queueing (the failover takes over).
import { createClient } from "redis";
import type { RatePlan } from "../fulfillment/model.ts";
import { bundleStores } from "./bundle.ts";
import type { KeyValueStore, RankedReservation, RateLimiterStore, Reservation, Stores } from "./types.ts";

export interface RedisStoreOptions {
  /** Longest wait for any one command (default 250 ms). */
  timeoutMs?: number;
  /** Longest wait for the first connection before `createRedisStores` resolves anyway (default 2 s). */
  connectTimeoutMs?: number;
  /** Prepended to every key, before the kind (default "mcf:"). */
  prefix?: string;
  /** PEM certificates to trust for `rediss://` besides the runtime's own (a private CA). */
  ca?: string;
  /** Connection trouble, reported once per change (the client reconnects on its own). */
  onConnectionChange?(connected: boolean, error?: unknown): void;
}

export interface RedisStores extends Stores {
  close(): Promise<void>;
}

// A bucket that has refilled to full equals a new one, so it may expire then (plus this margin).
const BUCKET_IDLE_MARGIN_MS = 60_000;

const PUT_IF_ABSENT = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

// KEYS: the bucket, its board of waiting items (admission/demand-board.ts). ARGV: operation, now, plan rate, plan
// burst, then: reserve maxWaitMs, keep | rate new rate | want item, change, deadline | claim item, keep. Numbers are
// stored with 17 significant digits so they read back as the exact doubles JavaScript computed. The board is a hash
// item → "demand since deadline"; entries nobody waits for any more are dropped on every read.
const BUCKET = `
local operation, now = ARGV[1], tonumber(ARGV[2])
local f = '%.17g'
local function board()
  local live, flat = {}, redis.call('HGETALL', KEYS[2])
  for i = 1, #flat, 2 do
    local d, s, e = string.match(flat[i + 1], '(%S+) (%S+) (%S+)')
    d, s, e = tonumber(d), tonumber(s), tonumber(e)
    if d > 0 and e > now then live[flat[i]] = {d, s, e} else redis.call('HDEL', KEYS[2], flat[i]) end
  end
  return live
end
if operation == 'want' then
  local item, change, deadline = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
  local live = board()
  local known = live[item]
  local demand = (known and known[1] or 0) + change
  if demand <= 0 then
    redis.call('HDEL', KEYS[2], item)
  else
    local since, last = now, deadline
    if known then since, last = known[2], math.max(known[3], deadline) end
    redis.call('HSET', KEYS[2], item, string.format(f .. ' ' .. f .. ' ' .. f, demand, since, last))
    live[item] = {demand, since, last}
  end
  local latest = now
  for _, entry in pairs(live) do latest = math.max(latest, entry[3]) end
  if latest > now then redis.call('PEXPIRE', KEYS[2], math.ceil(latest - now) + 1000) end
  return {0, 0, '0'}
end
local stored = redis.call('HMGET', KEYS[1], 't', 'u', 'r', 'b')
local tokens, updated, rate, burst
if stored[1] then
  tokens, updated, rate, burst = tonumber(stored[1]), tonumber(stored[2]), tonumber(stored[3]), tonumber(stored[4])
else
  tokens, updated, rate, burst = tonumber(ARGV[4]), now, tonumber(ARGV[3]), tonumber(ARGV[4])
end
tokens = math.min(burst, tokens + (math.max(0, now - updated) * rate) / 1000)
updated = math.max(now, updated)
local granted, wait, deadline = 0, 0, 0
if operation == 'claim' then
  local item, keep = ARGV[5], tonumber(ARGV[6])
  local live = board()
  local mine, rank = live[item], 0
  for other, entry in pairs(live) do
    if other ~= item and (not mine or entry[1] > mine[1] or (entry[1] == mine[1]
        and (entry[2] < mine[2] or (entry[2] == mine[2] and other < item)))) then
      rank = rank + 1
    end
  end
  if mine then deadline = mine[3] end
  local after = tokens - 1 - rank
  if after >= keep then
    granted, tokens = 1, tokens - 1
    redis.call('HDEL', KEYS[2], item)
  else
    wait = math.ceil(((keep - after) * 1000) / rate)
  end
elseif operation == 'reserve' then
  local maxWait, keep = tonumber(ARGV[5]), tonumber(ARGV[6])
  local after = tokens - 1
  if after < keep then wait = math.ceil(((keep - after) * 1000) / rate) end
  if wait <= maxWait then granted, tokens = 1, after end
elseif operation == 'rate' then
  local adopted = tonumber(ARGV[5])
  if adopted > 0 then rate = adopted end
elseif operation == 'drain' then
  tokens = math.min(tokens, 0)
end
redis.call('HSET', KEYS[1], 't', string.format(f, tokens), 'u', string.format(f, updated),
  'r', string.format(f, rate), 'b', string.format(f, burst))
redis.call('PEXPIRE', KEYS[1], math.ceil(((burst - tokens) * 1000) / rate) + ${BUCKET_IDLE_MARGIN_MS})
return {granted, wait, string.format(f, deadline)}`;

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const finiteOr = (value: number, fallback: number) => (Number.isFinite(value) ? value : fallback);
/** PX takes whole milliseconds, at least one (a TTL of zero or less means "gone at once"). */
const ttlArgument = (ttlMs: number) => String(Math.max(1, Math.ceil(finiteOr(ttlMs, 1))));

/**
 * Connects to `url` (`redis://host:port/db`, `rediss://` for TLS, credentials in the URL) and returns the stores.
 * Resolves after the first connection or `connectTimeoutMs`, whichever comes first: a Redis that is down at start
 * makes calls fail (and the failover take over) rather than the proxy refuse to start.
 */
export async function createRedisStores(url: string, options: RedisStoreOptions = {}): Promise<RedisStores> {
  const timeoutMs = options.timeoutMs ?? 250;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const prefix = options.prefix ?? "mcf:";
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: timeoutMs },
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
      ...(url.startsWith("rediss:") ? { tls: true as const, ...(options.ca ? { ca: options.ca } : {}) } : {}),
    },
  });
  let connected = false;
  const report = (now: boolean, error?: unknown) => {
    if (now === connected) return;
    connected = now;
    options.onConnectionChange?.(now, error);
  };
  client.on("ready", () => report(true));
  client.on("error", (error: unknown) => report(false, error));
  const connecting = client.connect().catch(() => {});
  await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, connectTimeoutMs))]);

  const shas = new Map<string, Promise<string>>();
  const run = async (script: string, keys: string[], args: string[]): Promise<unknown> => {
    const sha = shas.get(script) ?? sha1Hex(script);
    shas.set(script, sha);
    const rest = [String(keys.length), ...keys, ...args];
    try {
      return await client.sendCommand(["EVALSHA", await sha, ...rest]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
      return client.sendCommand(["EVAL", script, ...rest]);
    }
  };

  const keyValue = (kind: string): KeyValueStore => {
    const full = (key: string) => `${prefix}${kind}:${key}`;
    return {
      async get<T>(key: string) {
        const found = await client.sendCommand<string | null>(["GET", full(key)]);
        return found === null ? undefined : (JSON.parse(found) as T);
      },
      async set(key, value, ttlMs) {
        await client.sendCommand(["SET", full(key), JSON.stringify(value), "PX", ttlArgument(ttlMs)]);
      },
      async delete(key) {
        await client.sendCommand(["DEL", full(key)]);
      },
      async putIfAbsent<T>(key: string, value: T, ttlMs: number) {
        const found = await run(PUT_IF_ABSENT, [full(key)], [JSON.stringify(value), ttlArgument(ttlMs)]);
        return typeof found === "string" ? (JSON.parse(found) as T) : undefined;
      },
      async compareAndSet(key, expected, value, ttlMs) {
        const args = [JSON.stringify(expected), JSON.stringify(value), ttlArgument(ttlMs)];
        return (await run(COMPARE_AND_SET, [full(key)], args)) === 1;
      },
    };
  };

  const bucket = async (key: string, plan: RatePlan, now: number, operation: string, ...rest: (number | string)[]) => {
    const keys = [`${prefix}buckets:${key}`, `${prefix}buckets:${key}:waiting`];
    const args = [operation, String(now), String(plan.ratePerSecond), String(plan.burst), ...rest.map(String)];
    const [granted, waitMs, deadline] = (await run(BUCKET, keys, args)) as [number, number, string];
    return { granted: granted === 1, waitMs, deadline: Number(deadline) } satisfies RankedReservation;
  };
  const buckets: RateLimiterStore = {
    reserve: (key, plan, now, maxWaitMs, keep = 0) =>
      bucket(key, plan, now, "reserve", finiteOr(maxWaitMs, Number.MAX_VALUE), keep).then(
        ({ granted, waitMs }): Reservation => ({ granted, waitMs }),
      ),
    async setRate(key, plan, now, ratePerSecond) {
      await bucket(key, plan, now, "rate", ratePerSecond > 0 ? finiteOr(ratePerSecond, 0) : 0);
    },
    async drain(key, plan, now) {
      await bucket(key, plan, now, "drain");
    },
    async want(key, plan, item, change, now, deadline) {
      await bucket(key, plan, now, "want", item, change, deadline);
    },
    reserveFor: (key, plan, item, now, keep = 0) => bucket(key, plan, now, "claim", item, keep),
  };

  return {
    ...bundleStores("redis", keyValue, buckets),
    async close() {
      // A Redis that never answered leaves `connect()` retrying: destroying the client ends that too.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
      await connecting;
    },
  };
}

// Two proxy instances sharing one real redis-server, each with its own client; and the control run on separate
// in-memory stores, which must fail the same checks.
import { createMemoryStores } from "../../proxy/stores/memory.ts";
import { createRedisStores } from "../../proxy/stores/redis.ts";
import { startRedis } from "../helpers/redis-server.ts";
import { runTwoInstanceSuite } from "./two-instances.ts";

runTwoInstanceSuite("Redis", async () => {
  const redis = await startRedis();
  return {
    async connect() {
      const stores = await createRedisStores(redis.url);
      return { stores, close: () => stores.close() };
    },
    close: () => redis.close(),
  };
});

runTwoInstanceSuite(
  "nothing (separate in-memory stores)",
  async () => ({
    connect: async () => ({ stores: createMemoryStores(), close: async () => {} }),
    close: async () => {},
  }),
  false,
);

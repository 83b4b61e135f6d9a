// Two in-process proxy apps sharing one real redis-server, each with its own client; and the control run on
// separate in-memory stores, which must fail the same checks.
import { createMemoryStores } from "../../proxy/stores/memory.ts";
import { createRedisStores } from "../../proxy/stores/redis.ts";
import { startRedis } from "../helpers/redis-server.ts";
import { inProcessFleet, runTwoInstanceSuite } from "./two-instances.ts";

runTwoInstanceSuite("Redis", async (env) => {
  const redis = await startRedis();
  return inProcessFleet({
    async connect() {
      const stores = await createRedisStores(redis.url);
      return { stores, close: () => stores.close() };
    },
    close: () => redis.close(),
  })(env);
});

runTwoInstanceSuite(
  "nothing (separate in-memory stores)",
  inProcessFleet({
    connect: async () => ({ stores: createMemoryStores(), close: async () => {} }),
    close: async () => {},
  }),
  false,
);

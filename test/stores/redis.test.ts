import { createRedisStores } from "../../proxy/stores/redis.ts";
import { startRedis } from "../helpers/redis-server.ts";
import { runStoreContract } from "./contract.ts";

runStoreContract("redis", async () => {
  const redis = await startRedis();
  const stores = await createRedisStores(redis.url);
  return {
    stores,
    close: async () => {
      await stores.close();
      await redis.close();
    },
  };
});

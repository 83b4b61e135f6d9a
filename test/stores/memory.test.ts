import { createMemoryStores } from "../../proxy/stores/memory.ts";
import { runStoreContract } from "./contract.ts";

runStoreContract("memory", async () => ({ stores: createMemoryStores() }));

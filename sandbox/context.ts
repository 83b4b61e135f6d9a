import type { Hono } from "hono";
import type { Lwa } from "./auth/lwa.ts";
import type { AdvanceableClock, Clock } from "./clock.ts";
import type { Faults } from "./faults/index.ts";
import type { Inventory, SellerInventories } from "./inventory/store.ts";
import type { Marketplace } from "./marketplaces.ts";
import type { OrderBook } from "./orders/store.ts";
import type { Throttle } from "./throttle/index.ts";

export interface SandboxEnv {
  Variables: { sellerId: string; operation: string };
}

export type SandboxApp = Hono<SandboxEnv>;

/** Everything the route modules share. */
export interface SandboxContext {
  /** Sandbox time: the order lifecycle, dates, stock timestamps. `/_sandbox/clock/advance` moves it. */
  clock: AdvanceableClock;
  /** Real elapsed time: LWA token expiry and throttle refill run at Amazon's rates even when `clock` is scaled. */
  realTime: Clock;
  marketplaces: Marketplace[];
  /** Each seller's own stock: `inventories.of(c.get("sellerId"))` in an operation. */
  inventories: SellerInventories;
  /** The default seller's stock (the first configured seller, `A1SANDBOXSELLER` by default), for in-process tests. */
  readonly inventory: Inventory;
  /** The seller control endpoints mean when they name none: the first configured seller. */
  defaultSellerId: string;
  orders: OrderBook;
  lwa: Lwa;
  throttle: Throttle;
  faults: Faults;
  /** Idempotency tokens of addInventory: seller and token → request fingerprint. */
  addInventoryTokens: Map<string, string>;
  /** Rows per page for listAllFulfillmentOrders, getFeatureInventory and getInventorySummaries. */
  pageSize: number;
}

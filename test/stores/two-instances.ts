// Two proxy instances in front of one sandbox, sharing state only through one store: the checks of issue 12 that
// need more than one instance. `runTwoInstanceSuite` runs them on a fleet: in-process apps each with their own store
// connection (`inProcessFleet`), or the real entries as processes or workerd isolates. `shared` says whether the fleet
// is meant to share (a control run on separate in-memory stores must fail the same checks). What reached Amazon is
// counted by the sandbox itself.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Stores } from "../../proxy/stores/types.ts";
import { DEV_CREDENTIALS } from "../../sandbox/index.ts";
import {
  type CountingSandbox,
  CREATE_ORDER_CALL,
  PREVIEW_CALL,
  startCountingSandbox,
} from "../helpers/counting-sandbox.ts";
import { startProxy } from "../helpers/proxy-server.ts";
import { SECRETS, testEnv, US_ADDRESS } from "../proxy/fixtures.ts";

/** One proxy instance: requests go through `fetch` to `url`. */
export interface ProxyInstance {
  url: string;
  fetch: typeof fetch;
  close(): Promise<void>;
}

export interface Fleet {
  /** One more instance sharing the fleet's state (a restart is close, then start). */
  start(): Promise<ProxyInstance>;
  close(): Promise<void>;
}

/** Opens a fleet whose instances use `env` (the proxy's variables, pointing at the test sandbox). */
export type OpenFleet = (env: Record<string, string>) => Promise<Fleet>;

export interface StoreConnection {
  stores: Stores;
  close(): Promise<void>;
}

/** A fleet of in-process apps, each given its own `connect()`ion to the stores under test. */
export function inProcessFleet(engine: { connect(): Promise<StoreConnection>; close(): Promise<void> }): OpenFleet {
  return async (env) => ({
    async start() {
      const connection = await engine.connect();
      const proxy = await startProxy(env, { stores: connection.stores, logger: { log() {} } });
      return {
        url: proxy.url,
        fetch,
        close: async () => {
          await proxy.close();
          await connection.close();
        },
      };
    },
    close: () => engine.close(),
  });
}

const CART = [
  { sku: "MUG-CERAMIC-BLUE", quantity: 2, declaredValue: "12.00" },
  { sku: "TEE-ORGANIC-M", quantity: 1, declaredValue: "20.00" },
];
const ORDER_ITEMS = CART.map(({ sku, quantity }) => ({ sku, quantity }));

type Instance = ProxyInstance;

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field, and each assertion checks one
type Json = any;

export function runTwoInstanceSuite(name: string, openFleet: OpenFleet, shared = true): void {
  describe(`two proxy instances on one ${name}`, () => {
    let fleet: Fleet;
    let sandbox: CountingSandbox;
    const instances: Instance[] = [];
    const statusesOf = (call: string) => sandbox.statusesOf(call);
    const startInstance = () => fleet.start();
    const stopInstance = (instance: Instance) => instance.close();

    const call = async (instance: Instance, path: string, json: unknown, headers: Record<string, string> = {}) => {
      const response = await instance.fetch(`${instance.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.secretKey}`, "content-type": "application/json", ...headers },
        body: JSON.stringify(json),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as Json };
    };
    const quoteFor = async (instance: Instance) => {
      const { postalCode, stateOrRegion } = US_ADDRESS;
      const preview = { items: CART, address: { countryCode: "US", postalCode, stateOrRegion } };
      const seen = await call(instance, "/v1/delivery-options", preview);
      assert.equal(seen.status, 200, seen.text);
      return seen.body.options[0].quote as string;
    };

    before(async () => {
      sandbox = await startCountingSandbox(); // enforces Amazon's usage plans
      fleet = await openFleet(
        testEnv({
          MCF_UPSTREAM_URL: sandbox.url,
          LWA_TOKEN_URL: `${sandbox.url}/auth/o2/token`,
          LWA_CLIENT_ID: DEV_CREDENTIALS.clientId,
          LWA_CLIENT_SECRET: DEV_CREDENTIALS.clientSecret,
          LWA_REFRESH_TOKEN: DEV_CREDENTIALS.refreshToken,
        }) as Record<string, string>,
      );
      instances.push(await startInstance(), await startInstance());
    });
    after(async () => {
      await Promise.all(instances.map(stopInstance));
      await fleet?.close();
      await sandbox?.close();
    });

    it(`the same Idempotency-Key sent to both at once ${shared ? "calls Amazon once" : "calls Amazon twice"}`, async () => {
      const [a, b] = instances as [Instance, Instance];
      const order = { quote: await quoteFor(a), items: ORDER_ITEMS, address: US_ADDRESS, displayableOrderId: "both" };
      const before = statusesOf(CREATE_ORDER_CALL).length;
      const headers = { "idempotency-key": `both-at-once-${crypto.randomUUID()}` };
      const [first, second] = await Promise.all([
        call(a, "/v1/orders", order, headers),
        call(b, "/v1/orders", order, headers),
      ]);
      assert.equal(first.status, 201, first.text);
      assert.equal(second.status, 201, second.text);
      // Either way one Amazon order (the order id is derived from the quote and body) …
      assert.equal(first.body.orderId, second.body.orderId);
      // … but only a shared idempotency record keeps the second instance from calling Amazon at all.
      assert.equal(statusesOf(CREATE_ORDER_CALL).length - before, shared ? 1 : 2);
    });

    if (shared) {
      it("a retry after an instance restarts gets the same order back, replayed", async () => {
        const quote = await quoteFor(instances[0]!);
        const order = { quote, items: ORDER_ITEMS, address: US_ADDRESS, displayableOrderId: "restart" };
        const headers = { "idempotency-key": `restart-${crypto.randomUUID()}` };
        const created = await call(instances[0]!, "/v1/orders", order, headers);
        assert.equal(created.status, 201, created.text);
        const creates = statusesOf(CREATE_ORDER_CALL).length;

        await stopInstance(instances[0]!);
        instances[0] = await startInstance();
        const retried = await call(instances[0], "/v1/orders", order, headers);
        assert.equal(retried.status, 201, retried.text);
        assert.equal(retried.body.orderId, created.body.orderId);
        assert.equal(retried.headers.get("idempotent-replayed"), "true");
        assert.equal(statusesOf(CREATE_ORDER_CALL).length, creates);
      });
    }

    it(`together they ${shared ? "never exceed" : "exceed"} the preview bucket`, async () => {
      // 40 distinct destinations at once, split over both instances: nothing to cache or coalesce, so every answer
      // needs its own Amazon call, and Amazon allows a burst of 30 (each instance alone would allow itself 28).
      const before = statusesOf(PREVIEW_CALL).length;
      const preview = (postalCode: string) => ({ items: CART, address: { countryCode: "US", postalCode } });
      await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          call(instances[n % 2]!, "/v1/delivery-options", preview(String(20_000 + n))),
        ),
      );
      const statuses = statusesOf(PREVIEW_CALL).slice(before);
      const throttled = statuses.filter((status) => status === 429).length;
      if (shared) {
        assert.equal(throttled, 0, `Amazon answered ${statuses.join(",")}`);
        // … and the shared bucket did let the burst through (a store that failed every reserve would pass the above).
        assert.ok(statuses.length >= 25, `only ${statuses.length} calls reached Amazon`);
      } else assert.ok(throttled > 0, `expected 429s without a shared bucket, got ${statuses.join(",")}`);
    });
  });
}

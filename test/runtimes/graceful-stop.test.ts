// SIGTERM stops a proxy without cutting what is in flight: an order Amazon is still creating when the signal
// arrives is answered 201, in Node, Deno and Bun; only then does the process exit.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { type ProxyEnv, type RunningProxy, startRuntime } from "./harness.ts";
import { address, CART, standardQuote, testSeller } from "./seller.ts";

const seller = testSeller("gs");
const ADDRESS = address("Stop Test");

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let env: ProxyEnv;
before(async () => {
  sandbox = await startSandbox({ credentials: seller.lwa, throttle: false });
  env = seller.env(sandbox.url, { MCF_STORE: "memory" });
});
after(() => sandbox?.close());

for (const runtime of ["node", "deno", "bun"] as const) {
  describe(`${runtime} on SIGTERM`, () => {
    let proxy: RunningProxy | undefined;
    after(() => proxy?.close());

    it("finishes the order in flight, then exits", async () => {
      proxy = await startRuntime(runtime, env);
      const quote = await standardQuote(seller.post, proxy, ADDRESS);
      // Amazon takes a second and a half to create it; the signal comes half a second in.
      sandbox.app.sandbox.faults.replace({ createFulfillmentOrder: { latencyMs: 1_500, count: 1 } });
      const order = seller.post(proxy, "/v1/orders", { quote, items: CART, address: ADDRESS });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const exited = proxy.terminate?.();
      const answer = await order;
      assert.equal(answer.status, 201, await answer.text());
      assert.equal(await exited, 0, proxy.output());
    });
  });
}

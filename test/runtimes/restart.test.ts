// Idempotency-Keys hold across a restart: the embedded store (one SQLite file, the Node and Bun default) keeps the
// records, so after a restart the original body's retry replays its order and another body under the key is 409.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startSandbox } from "../helpers/sandbox-server.ts";
import { type RunningProxy, startRuntime } from "./harness.ts";
import { address, CART, standardQuote, testSeller } from "./seller.ts";

const seller = testSeller("rs");
const ADDRESS = address("Restart Test");

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let folder: string;
before(async () => {
  sandbox = await startSandbox({ credentials: seller.lwa, throttle: false });
  folder = await mkdtemp(join(tmpdir(), "mcf-restart-"));
});
after(async () => {
  await sandbox?.close();
  await rm(folder, { recursive: true, force: true });
});

for (const runtime of ["node", "bun"] as const) {
  describe(`${runtime}: an Idempotency-Key across a restart`, () => {
    let proxy: RunningProxy | undefined;
    after(() => proxy?.close());

    it("replays the original order and refuses another body", async () => {
      const env = seller.env(sandbox.url, { MCF_STORE: `sqlite:${join(folder, `${runtime}.sqlite`)}` });
      proxy = await startRuntime(runtime, env);
      const body = { quote: await standardQuote(seller.post, proxy, ADDRESS), items: CART, address: ADDRESS };
      const created = await seller.post(proxy, "/v1/orders", body, "restart-key");
      assert.equal(created.status, 201, await created.clone().text());
      const { orderId } = (await created.json()) as { orderId: string };

      await proxy.close();
      proxy = await startRuntime(runtime, env);
      const other = await seller.post(proxy, "/v1/orders", { ...body, comment: "a different order" }, "restart-key");
      assert.equal(other.status, 409, await other.text());
      const replay = await seller.post(proxy, "/v1/orders", body, "restart-key");
      assert.equal(replay.status, 201, await replay.clone().text());
      assert.equal(replay.headers.get("idempotent-replayed"), "true");
      assert.equal(((await replay.json()) as { orderId: string }).orderId, orderId);
    });
  });
}

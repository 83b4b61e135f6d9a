// Each Worker bundle, as `wrangler deploy` ships it, stays within its gzip budget: the private app's, and connector
// mode's (`--env connector`); the private app's carries nothing of the connector.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { it } from "node:test";
import { kib, WORKER_BUNDLES, type WorkerBundleName } from "../../scripts/build-worker.ts";
import { buildTemporaryWorker } from "./harness.ts";

for (const [bundle, { gzipBudgetBytes }] of Object.entries(WORKER_BUNDLES)) {
  it(`the ${bundle} Worker bundle is at most ${kib(gzipBudgetBytes)} gzip`, async () => {
    const build = await buildTemporaryWorker(bundle as WorkerBundleName);
    try {
      assert.ok(build.bytes > 10_000, "measured a real bundle");
      assert.ok(
        build.gzipBytes <= gzipBudgetBytes,
        `${kib(build.gzipBytes)} gzip exceeds the ${kib(gzipBudgetBytes)} budget: npm run bench:runtimes lists the largest contributors`,
      );
      const { outputs } = JSON.parse(await readFile(build.metafilePath, "utf8")) as {
        outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown> }>;
      };
      const inputs = Object.values(outputs).flatMap((output) => (output.entryPoint ? Object.keys(output.inputs) : []));
      const connectorCode = inputs.filter((input) =>
        /node_modules\/kysely|proxy\/connector\.ts|routes\/admin/.test(input),
      );
      if (bundle === "private") assert.deepEqual(connectorCode, [], "the private app's Worker carries the connector");
      else assert.ok(connectorCode.length > 0, "the connector's Worker carries the connector");
    } finally {
      await build.remove();
    }
  });
}

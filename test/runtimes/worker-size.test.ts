// The Worker bundle, as `wrangler deploy` ships it, stays within its gzip budget.
import assert from "node:assert/strict";
import { it } from "node:test";
import { kib, WORKER_GZIP_BUDGET_BYTES } from "../../scripts/build-worker.ts";
import { buildTemporaryWorker } from "./harness.ts";

it(`the Worker bundle is at most ${kib(WORKER_GZIP_BUDGET_BYTES)} gzip`, async () => {
  const build = await buildTemporaryWorker();
  await build.remove();
  assert.ok(build.bytes > 10_000, "measured a real bundle");
  assert.ok(
    build.gzipBytes <= WORKER_GZIP_BUDGET_BYTES,
    `${kib(build.gzipBytes)} gzip exceeds the ${kib(WORKER_GZIP_BUDGET_BYTES)} budget: npm run bench:runtimes lists the largest contributors`,
  );
});

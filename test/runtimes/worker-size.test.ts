// The Worker bundle, as `wrangler deploy` ships it, stays within its gzip budget.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { kib, WORKER_GZIP_BUDGET_BYTES } from "../../scripts/build-worker.ts";
import { buildWorkerBundle, ensureWidgetBuilt } from "./harness.ts";

it(`the Worker bundle is at most ${kib(WORKER_GZIP_BUDGET_BYTES)} gzip`, async () => {
  await ensureWidgetBuilt();
  const dir = await mkdtemp(join(tmpdir(), "mcf-worker-"));
  try {
    const build = await buildWorkerBundle(dir);
    assert.ok(
      build.gzipBytes <= WORKER_GZIP_BUDGET_BYTES,
      `${kib(build.gzipBytes)} gzip exceeds the ${kib(WORKER_GZIP_BUDGET_BYTES)} budget (run npm run bench:runtimes)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// The tenant store runs inside workerd itself (not only driven from Node): the suite bundled as a Worker, on D1.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { readWorkerConfig } from "../../scripts/build-worker.ts";
import { CASES } from "./suite.ts";

test("the tenant-store suite passes inside workerd on a D1 binding", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mcf-tenants-workerd-"));
  const config = readWorkerConfig();
  let miniflare: Miniflare | undefined;
  try {
    const scriptPath = join(dir, "worker.js");
    await build({
      entryPoints: [join(import.meta.dirname, "workerd-suite.ts")],
      outfile: scriptPath,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      external: ["node:*"],
      logLevel: "silent",
    });
    miniflare = new Miniflare({
      modules: true,
      modulesRoot: dir,
      scriptPath,
      compatibilityDate: config.compatibilityDate,
      compatibilityFlags: [...new Set([...config.compatibilityFlags, "nodejs_compat"])],
      d1Databases: ["TENANTS"],
      cf: false,
    });
    const reply = await miniflare.dispatchFetch("http://worker.test/");
    const text = await reply.text();
    assert.equal(reply.status, 200, text);
    const { results } = JSON.parse(text) as { results: { name: string; error?: string }[] };
    assert.deepEqual(
      results.map((result) => result.name),
      Object.keys(CASES),
    );
    const failed = results.filter((result) => result.error);
    assert.deepEqual(failed, [], failed.map((result) => `${result.name}\n${result.error}`).join("\n\n"));
  } finally {
    await miniflare?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

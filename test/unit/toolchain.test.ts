import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { generateTypes, MODELS } from "../../scripts/generate-types.ts";
import { nodeTestCounts, webTestRunnerCounts } from "../../scripts/test.ts";

const root = new URL("../../", import.meta.url);

describe("Node version guard", () => {
  const runGuardAs = (version: string) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`,
        "scripts/check-node.mjs",
      ],
      { cwd: root, encoding: "utf8" },
    );

  test("refuses an older Node with a message that says what to do", () => {
    for (const version of ["20.20.2", "22.17.1", "18.0.0"]) {
      const result = runGuardAs(version);
      assert.equal(result.status, 1, version);
      assert.match(result.stderr, /needs Node 22\.18 or newer/);
      assert.match(result.stderr, new RegExp(`this is Node ${version.replaceAll(".", "\\.")}`));
    }
  });

  test("accepts the pinned Node and newer ones", () => {
    for (const version of ["22.18.0", "24.21.0", "26.1.0"]) assert.equal(runGuardAs(version).status, 0, version);
  });

  test("npm scripts run under the pinned Node 24", async () => {
    const manifest = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
    assert.match(manifest.devDependencies.node, /^\^?24\./);
    assert.equal(manifest.allowScripts.node, true);
    for (const [name, script] of Object.entries<string>(manifest.scripts)) {
      assert.ok(script.startsWith("node scripts/check-node.mjs && "), `script "${name}" starts with the guard`);
    }
  });
});

describe("generated Amazon types", () => {
  for (const model of MODELS) {
    test(`spec/generated/${model.out} is current with spec/${model.file}`, async () => {
      const committed = await readFile(new URL(`spec/generated/${model.out}`, root), "utf8");
      assert.equal(committed, await generateTypes(model), "run npm run generate:types");
    });
  }
});

describe("test summary parsing", () => {
  test("node --test spec summary, cancelled counting as failed and todo as skipped", () => {
    const output = "✔ a\nℹ tests 9\nℹ pass 6\nℹ fail 1\nℹ cancelled 1\nℹ skipped 1\nℹ todo 0\n";
    assert.deepEqual(nodeTestCounts(output), { passed: 6, failed: 2, skipped: 1 });
    assert.equal(nodeTestCounts("no summary here"), undefined);
  });

  test("web-test-runner summary, colour codes stripped", () => {
    const output = "Chromium: \u001b[32m12 passed\u001b[39m, \u001b[31m1 failed\u001b[39m, 2 skipped\n";
    assert.deepEqual(webTestRunnerCounts(output), { passed: 12, failed: 1, skipped: 2 });
    assert.equal(webTestRunnerCounts("Finished running tests"), undefined);
  });
});

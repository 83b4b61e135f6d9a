import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CASES } from "./suite.ts";

const BUN = join(import.meta.dirname, "../../node_modules/.bin/bun");
const RUN_TIMEOUT_MS = 90_000;

test("the tenant-store suite passes on bun:sqlite in a real bun process", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mcf-tenants-bun-"));
  const child = spawn(BUN, ["--no-env-file", "test/tenants/bun-suite.ts", join(dir, "tenants.db")], {
    cwd: join(import.meta.dirname, "../.."),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
  try {
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 0, `bun exited with ${code}:\n${stderr}\n${stdout}`);
    const line = stdout.trim().split("\n").at(-1) ?? "";
    const report = JSON.parse(line) as { runtime: string; results: { name: string; error?: string }[] };
    assert.match(report.runtime, /^bun \d/);
    assert.deepEqual(
      report.results.map((result) => result.name),
      Object.keys(CASES),
    );
    const failed = report.results.filter((result) => result.error);
    assert.deepEqual(failed, [], failed.map((result) => `${result.name}\n${result.error}`).join("\n\n"));
  } finally {
    clearTimeout(timer);
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});

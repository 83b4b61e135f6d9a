// `npm test`: every check and every test runner in one pass, ending with one plain line "N passed, N failed".
// Each step streams its own output; counts come from each runner's summary. A step without counts (typecheck,
// lint, build) counts as one check. Skipped tests count as failures: a skipped test left in place is a defect.
import { spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";

interface Step {
  name: string;
  command: string[];
  counts?: (output: string) => Counts | undefined;
}
interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const lastNumber = (output: string, pattern: RegExp): number | undefined => {
  const matches = [...output.matchAll(pattern)];
  const last = matches.at(-1);
  return last ? Number(last[1]) : undefined;
};

/** node --test with the spec reporter ends with "ℹ pass N", "ℹ fail N", "ℹ skipped N", "ℹ todo N". */
export function nodeTestCounts(output: string): Counts | undefined {
  const passed = lastNumber(output, /^[ℹ#] pass (\d+)$/gm);
  const failed = lastNumber(output, /^[ℹ#] fail (\d+)$/gm);
  if (passed === undefined || failed === undefined) return undefined;
  const cancelled = lastNumber(output, /^[ℹ#] cancelled (\d+)$/gm) ?? 0;
  const skipped =
    (lastNumber(output, /^[ℹ#] skipped (\d+)$/gm) ?? 0) + (lastNumber(output, /^[ℹ#] todo (\d+)$/gm) ?? 0);
  return { passed, failed: failed + cancelled, skipped };
}

/** @web/test-runner's summary reports "N passed, N failed" (and "N skipped") per browser. */
export function webTestRunnerCounts(output: string): Counts | undefined {
  const plain = stripVTControlCharacters(output);
  const passed = lastNumber(plain, /(\d+) passed/g);
  const failed = lastNumber(plain, /(\d+) failed/g) ?? 0;
  if (passed === undefined) return undefined;
  return { passed, failed, skipped: lastNumber(plain, /(\d+) skipped/g) ?? 0 };
}

const node = process.execPath;
const bin = (name: string) => `node_modules/.bin/${name}`;
const nodeTest = (pattern: string): string[] => [
  node,
  "--test",
  "--test-reporter=spec",
  "--test-concurrency=1",
  "--test-timeout=120000",
  pattern,
];

const STEPS: Step[] = [
  { name: "typecheck (node)", command: [bin("tsc"), "-p", "tsconfig.json"] },
  { name: "typecheck (edge)", command: [bin("tsc"), "-p", "tsconfig.edge.json"] },
  { name: "typecheck (widget)", command: [bin("tsc"), "-p", "tsconfig.widget.json"] },
  { name: "lint and format", command: [bin("biome"), "ci", "."] },
  { name: "build widget", command: [bin("vite"), "build", "--logLevel", "warn"] },
  {
    name: "node tests",
    command: nodeTest("test/{unit,sandbox,proxy,demo,stores,tenants}/**/*.test.ts"),
    counts: nodeTestCounts,
  },
  { name: "browser tests", command: [bin("web-test-runner")], counts: webTestRunnerCounts },
  { name: "e2e tests", command: nodeTest("test/e2e/**/*.test.ts"), counts: nodeTestCounts },
  { name: "runtime tests", command: nodeTest("test/runtimes/**/*.test.ts"), counts: nodeTestCounts },
];

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = step.command as [string, ...string[]];
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    let output = "";
    const collect = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      output += chunk.toString();
      sink.write(chunk);
    };
    child.stdout.on("data", (chunk: Buffer) => collect(chunk, process.stdout));
    child.stderr.on("data", (chunk: Buffer) => collect(chunk, process.stderr));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const summary: string[] = [];
  for (const step of STEPS.filter((s) => only.length === 0 || only.some((o) => s.name.includes(o)))) {
    console.log(`\n━━ ${step.name} ━━`);
    const started = performance.now();
    const { code, output } = await run(step);
    let counts = step.counts?.(output);
    if (!counts) counts = code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
    // A runner that found nothing to run has not proven anything.
    if (counts.passed + counts.failed + counts.skipped === 0) counts = { passed: 0, failed: 1, skipped: 0 };
    // A runner that exits non-zero has failed even if its counts look clean (a crash, a timeout, no tests found).
    if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    summary.push(
      `${step.name.padEnd(20)} ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds}s)`,
    );
  }
  console.log(`\n━━ summary ━━\n${summary.join("\n")}`);
  const skipped = total.skipped ? `, ${total.skipped} skipped` : "";
  console.log(`${total.passed} passed, ${total.failed + total.skipped} failed${skipped}`);
  process.exitCode = total.failed + total.skipped === 0 ? 0 : 1;
}

if (import.meta.main) await main();

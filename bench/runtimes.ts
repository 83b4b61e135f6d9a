// `npm run bench:runtimes`: the Worker bundle's size (what `wrangler deploy` ships, gzip) with its largest
// contributors, and the proxy's cold start in each runtime (launch → first HTTP answer, median of 5).
// Ends with one JSON line: {"workerGzipBytes": N, "startupMs": {"node": …, "workerd": …, "deno": …, "bun": …}}.
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { buildWorker, kib, ROOT, WORKER_GZIP_BUDGET_BYTES } from "../scripts/build-worker.ts";
import { ensureWidgetBuilt, RUNTIMES, type RuntimeName, startRuntime } from "../test/runtimes/harness.ts";

const RUNS = 5;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Bytes in the bundle per npm package (or "proxy/…" folder for our own code), largest first. */
function contributors(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/(mini|v4\/mini|v4\/classic|v4\/core))?/.exec(input);
      const own = /^(?:\.\.\/)*([^/]+\/[^/]+)\//.exec(input);
      // zod's JSON Schema generator (for /openapi.json) is the one optional part worth seeing on its own.
      const jsonSchema = /zod\/v4\/core\/(?:to-json-schema|json-schema-processors)/.test(input);
      const name = jsonSchema
        ? "zod/v4/core (toJSONSchema)"
        : pkg
          ? `${pkg[1]}${pkg[2] ? `/${pkg[2]}` : ""}`
          : (own?.[1] ?? input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

await ensureWidgetBuilt();
const build = await buildWorker(join(ROOT, "dist/worker"));
console.log(`Worker bundle ${relative(ROOT, build.bundlePath)} (what \`wrangler deploy\` uploads)`);
console.log(`  ${kib(build.bytes)} minified, ${kib(build.gzipBytes)} gzip (budget ${kib(WORKER_GZIP_BUDGET_BYTES)})`);
console.log("  largest contributors (minified bytes):");
const metafile = JSON.parse(await readFile(build.metafilePath, "utf8")) as Metafile;
for (const [name, bytes] of contributors(metafile).slice(0, 10)) console.log(`    ${kib(bytes).padStart(10)}  ${name}`);

// Startup needs a valid configuration, not a reachable upstream: nothing calls Amazon before the first request.
const env = {
  MCF_MARKETPLACE_ID: "ATVPDKIKX0DER",
  MCF_UPSTREAM: "sandbox-local",
  MCF_UPSTREAM_URL: "http://127.0.0.1:9",
  LWA_CLIENT_ID: "bench-client",
  LWA_CLIENT_SECRET: "bench-client-secret",
  LWA_REFRESH_TOKEN: "bench-refresh-token",
  MCF_SECRET_KEY: "sk_bench_0123456789abcdef",
  MCF_QUOTE_SECRET: "bench-quote-secret-0123456789abcdef0123",
  MCF_ALLOWED_ORIGINS: "https://shop.example",
};

const startupMs = {} as Record<RuntimeName, number>;
console.log(`\nCold start, launch → first HTTP answer (median of ${RUNS}):`);
for (const runtime of RUNTIMES) {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const proxy = await startRuntime(runtime, env, build);
    samples.push(proxy.startupMs);
    await proxy.close();
  }
  startupMs[runtime] = Math.round(median(samples));
  console.log(
    `  ${runtime.padEnd(8)} ${String(startupMs[runtime]).padStart(6)} ms   (${samples.map(Math.round).join(", ")})`,
  );
}

console.log(JSON.stringify({ workerGzipBytes: build.gzipBytes, startupMs }));

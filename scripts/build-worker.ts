// `npm run build` (after `vite build`): bundles the Cloudflare Worker exactly as `wrangler deploy` would ship it
// (`wrangler deploy --dry-run`, minified per wrangler.jsonc), puts the element where the ASSETS binding serves it
// from, and reports the bundle's gzip size against its budget: 96 KiB with every Amazon dialect, store and
// validation of Amazon's answers included (the 2026-07-04 dialect issue sets it).
import { spawn } from "node:child_process";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { basename, extname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { experimental_readRawConfig } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "..");
export const WIDGET_PATH = join(ROOT, "dist/widget.js");
export const WORKER_GZIP_BUDGET_BYTES = 96 * 1024;

/** Environment for every wrangler run: no telemetry, no update check, no login prompt — loopback only. */
export const OFFLINE_WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "1",
};

export interface WorkerConfig {
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  assetsDirectory: string;
  assetsBinding: string;
}

/** The parts of wrangler.jsonc the build and the workerd tests need, read with wrangler's own parser. */
export function readWorkerConfig(): WorkerConfig {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "wrangler.jsonc") });
  const { main, compatibility_date, compatibility_flags, assets } = rawConfig;
  if (!main || !compatibility_date || !assets?.directory || !assets.binding) {
    throw new Error("wrangler.jsonc needs main, compatibility_date, assets.directory and assets.binding");
  }
  return {
    main: resolve(ROOT, main),
    compatibilityDate: compatibility_date,
    compatibilityFlags: compatibility_flags ?? [],
    assetsDirectory: resolve(ROOT, assets.directory),
    assetsBinding: assets.binding,
  };
}

export interface WorkerBuild {
  bundlePath: string;
  /** esbuild's metafile for the bundle: which input contributed how many bytes. */
  metafilePath: string;
  /** Where the files behind the ASSETS binding were staged. */
  assetsDirectory: string;
  bytes: number;
  gzipBytes: number;
  config: WorkerConfig;
}

function wrangler(args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_WRANGLER_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`wrangler ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * Stages dist/widget.js and dist/order-status.js for the ASSETS binding and bundles the Worker into `outDir`. Needs `vite build` first.
 * `assetsDirectory` overrides wrangler.jsonc's (tests stage into a private folder so parallel builds cannot clash).
 */
export async function buildWorker(
  outDir = join(ROOT, "dist/worker"),
  options: { assetsDirectory?: string } = {},
): Promise<WorkerBuild> {
  const config = readWorkerConfig();
  const assetsDirectory = options.assetsDirectory ?? config.assetsDirectory;
  await mkdir(assetsDirectory, { recursive: true });
  for (const file of ["widget.js", "order-status.js"]) {
    const built = join(ROOT, "dist", file);
    await copyFile(built, join(assetsDirectory, file)).catch((error: unknown) => {
      throw new Error(`${built} is missing: run \`vite build\` first (npm run build does both)`, { cause: error });
    });
  }
  const metafilePath = join(outDir, "bundle-meta.json");
  const args = ["deploy", "--dry-run", "--outdir", outDir, "--metafile", metafilePath];
  if (options.assetsDirectory) args.push("--assets", assetsDirectory);
  await wrangler(args);
  const bundlePath = join(outDir, `${basename(config.main, extname(config.main))}.js`);
  const bundle = await readFile(bundlePath);
  const gzipBytes = gzipSync(bundle).byteLength;
  return { bundlePath, metafilePath, assetsDirectory, bytes: bundle.byteLength, gzipBytes, config };
}

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

if (import.meta.main) {
  const build = await buildWorker();
  const verdict = build.gzipBytes <= WORKER_GZIP_BUDGET_BYTES ? "within" : "OVER";
  console.log(
    `${relative(ROOT, build.bundlePath)}: ${kib(build.bytes)}, gzip ${kib(build.gzipBytes)} (${verdict} the ${kib(WORKER_GZIP_BUDGET_BYTES)} budget)`,
  );
  console.log(
    `${relative(ROOT, join(build.assetsDirectory, "widget.js"))}: served at /widget.js through the ASSETS binding`,
  );
}

// `npm run build` (after `vite build`): bundles the Cloudflare Workers exactly as `wrangler deploy` would ship them
// (`wrangler deploy --dry-run`, minified per wrangler.jsonc), puts the element where the ASSETS binding serves it
// from, and reports each bundle's gzip size against its budget. Two bundles: the private app's (wrangler.jsonc's
// top level), 96 KiB with every Amazon dialect, store and validation of Amazon's answers included (the 2026-07-04
// dialect issue sets it); and connector mode's (`--env connector`), which adds the operator API, /connect and the
// tenant store on D1 (Kysely is most of the difference), 160 KiB. Cloudflare accepts 3 MiB (Free) or 10 MiB (Paid).
import { spawn } from "node:child_process";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { basename, extname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { experimental_readRawConfig } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "..");
export const WIDGET_PATH = join(ROOT, "dist/widget.js");
export const WORKER_GZIP_BUDGET_BYTES = 96 * 1024;
export const CONNECTOR_WORKER_GZIP_BUDGET_BYTES = 160 * 1024;

/** The Workers this repository deploys: wrangler.jsonc's top level and its environments. */
export const WORKER_BUNDLES = {
  private: { env: undefined, outDir: "dist/worker", gzipBudgetBytes: WORKER_GZIP_BUDGET_BYTES },
  connector: { env: "connector", outDir: "dist/worker-connector", gzipBudgetBytes: CONNECTOR_WORKER_GZIP_BUDGET_BYTES },
} as const;
export type WorkerBundleName = keyof typeof WORKER_BUNDLES;

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
  /** The D1 bindings' names (the connector's TENANTS). */
  d1Databases: string[];
  /** The wrangler environment (`--env`), or undefined for the top level. */
  env: string | undefined;
}

/**
 * The parts of wrangler.jsonc the build and the workerd tests need, read with wrangler's own parser, for the top
 * level or one environment: `main`, the compatibility settings and `assets` are inherited by an environment,
 * bindings are not (as wrangler does it).
 */
export function readWorkerConfig(env?: string): WorkerConfig {
  const { rawConfig } = experimental_readRawConfig({ config: join(ROOT, "wrangler.jsonc") });
  const scoped = env === undefined ? rawConfig : rawConfig.env?.[env];
  if (!scoped) throw new Error(`wrangler.jsonc has no environment ${JSON.stringify(env)}`);
  const main = scoped.main ?? rawConfig.main;
  const compatibilityDate = scoped.compatibility_date ?? rawConfig.compatibility_date;
  const assets = scoped.assets ?? rawConfig.assets;
  if (!main || !compatibilityDate || !assets?.directory || !assets.binding) {
    throw new Error("wrangler.jsonc needs main, compatibility_date, assets.directory and assets.binding");
  }
  return {
    main: resolve(ROOT, main),
    compatibilityDate,
    compatibilityFlags: scoped.compatibility_flags ?? rawConfig.compatibility_flags ?? [],
    assetsDirectory: resolve(ROOT, assets.directory),
    assetsBinding: assets.binding,
    d1Databases: ((scoped.d1_databases ?? []) as { binding: string }[]).map((database) => database.binding),
    env,
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
 * `assetsDirectory` overrides wrangler.jsonc's (tests stage into a private folder so parallel builds cannot clash);
 * `bundle` picks the Worker (default the private app's).
 */
export async function buildWorker(
  outDir = join(ROOT, "dist/worker"),
  options: { assetsDirectory?: string; bundle?: WorkerBundleName } = {},
): Promise<WorkerBuild> {
  const { env } = WORKER_BUNDLES[options.bundle ?? "private"];
  const config = readWorkerConfig(env);
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
  if (env) args.push("--env", env);
  await wrangler(args);
  const bundlePath = join(outDir, `${basename(config.main, extname(config.main))}.js`);
  const bundle = await readFile(bundlePath);
  const gzipBytes = gzipSync(bundle).byteLength;
  return { bundlePath, metafilePath, assetsDirectory, bytes: bundle.byteLength, gzipBytes, config };
}

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

if (import.meta.main) {
  let assetsDirectory = "";
  for (const [bundle, { outDir, gzipBudgetBytes }] of Object.entries(WORKER_BUNDLES)) {
    const build = await buildWorker(join(ROOT, outDir), { bundle: bundle as WorkerBundleName });
    const verdict = build.gzipBytes <= gzipBudgetBytes ? "within" : "OVER";
    console.log(
      `${relative(ROOT, build.bundlePath)}: ${kib(build.bytes)}, gzip ${kib(build.gzipBytes)} (${verdict} the ${kib(gzipBudgetBytes)} budget)`,
    );
    assetsDirectory = build.assetsDirectory;
  }
  console.log(`${relative(ROOT, join(assetsDirectory, "widget.js"))}: served at /widget.js through the ASSETS binding`);
}

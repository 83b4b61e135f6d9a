// The elements' budgets: dist/widget.js (the checkout element, Lit's templates included) at most 12 KiB gzip in one
// self-contained file; dist/order-status.js self-contained too, its own code at most 6 KiB gzip beyond what it
// shares with the checkout element. `npm test` builds before the node tests; run alone, this test builds first.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Rolldown } from "vite";
import { bundle as bundleSettings } from "../../vite.config.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const BUDGET = 12 * 1024;
const ORDER_STATUS_BUDGET = 6 * 1024;

function bundle(name: string) {
  const path = `${root}dist/${name}.js`;
  if (!existsSync(path)) {
    execFileSync(`${root}node_modules/.bin/vite`, ["build", "--logLevel", "warn"], {
      cwd: root,
      stdio: "inherit",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
      timeout: 120_000,
    });
  }
  return readFileSync(path);
}

const gzip = (source: string | Buffer) => gzipSync(source, { level: 9 }).length;

// Static `import … from "x"` / `import "x"` statements, or dynamic `import("x")`.
const imports = /(?:^|[;}])\s*import\s*[\w{*"'`]|\bimport\s*\(/;

test(`dist/widget.js is at most ${BUDGET} bytes gzip (-9)`, (t) => {
  const size = gzip(bundle("widget"));
  t.diagnostic(`dist/widget.js: ${size} bytes gzip, ${BUDGET - size} under budget`);
  assert.ok(size <= BUDGET, `dist/widget.js is ${size} bytes gzip, over the ${BUDGET}-byte budget by ${size - BUDGET}`);
});

test("dist/widget.js is one self-contained module that defines the checkout element", () => {
  const source = bundle("widget").toString("utf8");
  assert.doesNotMatch(source, imports, "it must not import other files");
  assert.match(source, /customElements\.define\(`mcf-delivery-options`/);
  assert.doesNotMatch(source, /mcf-order-status/, "the order-status element is not in the checkout bundle");
  assert.match(source, /litHtmlVersions/, "Lit's templates (lit-html) are bundled in");
});

test("dist/order-status.js is one self-contained module that defines the order-status element", () => {
  const source = bundle("order-status").toString("utf8");
  assert.doesNotMatch(source, imports, "it must not import other files");
  assert.match(source, /customElements\.define\(`mcf-order-status`/);
  assert.doesNotMatch(source, /customElements\.define\(`mcf-delivery-options`/);
});

test(`the order-status element's own code is at most ${ORDER_STATUS_BUDGET} bytes gzip beyond what it shares`, async (t) => {
  // The same build with every module the checkout bundle also holds left out: what remains is its own.
  const shared = new Set<string>();
  const collect = async (entry: string, exclude?: Set<string>) => {
    const settings = bundleSettings("measured", entry, false);
    const output = (await build({
      ...settings,
      root,
      configFile: false,
      logLevel: "silent",
      build: {
        ...settings.build,
        write: false,
        rolldownOptions: {
          ...settings.build?.rolldownOptions,
          external: exclude ? (id: string) => exclude.has(id) : undefined,
        },
      },
    })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    return (Array.isArray(output) ? output[0]! : output).output[0];
  };
  const checkout = await collect(`${root}widget/index.ts`);
  for (const id of Object.keys(checkout.modules)) shared.add(id);
  const own = await collect(`${root}widget/order-status-entry.ts`, shared);
  const size = gzip(own.code);
  t.diagnostic(`order-status's own code: ${size} bytes gzip, ${ORDER_STATUS_BUDGET - size} under budget`);
  assert.ok(Object.keys(own.modules).some((id) => id.endsWith("widget/order-status.ts")));
  assert.ok(size <= ORDER_STATUS_BUDGET, `${size} bytes gzip, over the budget by ${size - ORDER_STATUS_BUDGET}`);
});

test("the elements import only Lit's templates, each other and the proxy's wire contract", () => {
  const allowed = /^(\.\/[\w.-]+\.ts|lit\/html\.js|\.\.\/proxy\/contract\/v1\.ts)$/;
  for (const file of readdirSync(`${root}widget`).filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(`${root}widget/${file}`, "utf8");
    for (const [, specifier] of source.matchAll(/\bfrom\s+"([^"]+)"/g)) {
      assert.match(specifier!, allowed, `widget/${file} imports ${specifier}`);
    }
  }
});

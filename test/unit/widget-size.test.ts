// The element's budget: dist/widget.js, Lit included, at most 12 KiB gzip, in one self-contained file.
// `npm test` builds before the node tests; run alone, this test builds first when dist/widget.js is missing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bundle = `${root}dist/widget.js`;
const BUDGET = 12 * 1024;

function widgetSource() {
  if (!existsSync(bundle)) {
    execFileSync(`${root}node_modules/.bin/vite`, ["build", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  }
  return readFileSync(bundle);
}

test(`dist/widget.js is at most ${BUDGET} bytes gzip (-9)`, (t) => {
  const size = gzipSync(widgetSource(), { level: 9 }).length;
  t.diagnostic(`dist/widget.js: ${size} bytes gzip, ${BUDGET - size} under budget`);
  assert.ok(size <= BUDGET, `dist/widget.js is ${size} bytes gzip, over the ${BUDGET}-byte budget by ${size - BUDGET}`);
});

test("dist/widget.js is one self-contained module that defines the element", () => {
  const source = widgetSource().toString("utf8");
  // Static `import … from "x"` / `import "x"` statements, or dynamic `import("x")`.
  const imports = /(?:^|[;}])\s*import\s*[\w{*"'`]|\bimport\s*\(/;
  assert.doesNotMatch(source, imports, "it must not import other files");
  assert.match(source, /customElements\.define\(`mcf-delivery-options`/);
  assert.match(source, /litHtmlVersions/, "Lit's templates (lit-html) are bundled in");
});

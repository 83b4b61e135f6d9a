// Builds each element into one self-contained ES module: dist/widget.js (the checkout element, Lit's templates
// included) and dist/order-status.js (the order-status element), so a page loads only the one it shows.
import { build, defineConfig, type Plugin, type UserConfig } from "vite";

/**
 * The minifier keeps template text as is: drop the indentation inside the elements' html`` templates, and the
 * whitespace around CSS punctuation in their *.styles.ts files. Both are insignificant there.
 */
const minifyTemplates: Plugin = {
  name: "minify-widget-templates",
  transform(code, id) {
    if (!/\/widget\/.*\.ts$/.test(id)) return;
    // A line break between a tag and an interpolation is insignificant too (the elements lay out in grids and flex).
    const collapsed = code
      .replace(/>\s+</g, "><")
      .replace(/\n\s+/g, "\n")
      .replace(/([>}])\n(?=[$<])/g, "$1");
    return { code: id.endsWith(".styles.ts") ? collapsed.replace(/\s*([{}:;,>])\s*/g, "$1") : collapsed, map: null };
  },
};

/** The settings of one element's bundle (also used by test/unit/widget-size.test.ts to measure shared code). */
export const bundle = (name: string, entry: string, emptyOutDir: boolean): UserConfig => ({
  publicDir: false,
  plugins: [minifyTemplates],
  build: {
    lib: { entry, formats: ["es"], fileName: () => `${name}.js` },
    outDir: "dist",
    emptyOutDir,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: { output: { minify: true, comments: false } },
  },
});

/** One `vite build` makes both files: the order-status bundle is built once widget.js is written. */
const orderStatusBundle: Plugin = {
  name: "build-order-status",
  apply: "build",
  async closeBundle() {
    await build({
      configFile: false,
      logLevel: "warn",
      ...bundle("order-status", "widget/order-status-entry.ts", false),
    });
  },
};

const widget = bundle("widget", "widget/index.ts", true);
export default defineConfig({ ...widget, plugins: [...(widget.plugins ?? []), orderStatusBundle] });

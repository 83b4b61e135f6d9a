// Builds the element into one self-contained ES module: dist/widget.js (Lit included).
import { defineConfig, type Plugin } from "vite";

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

export default defineConfig({
  publicDir: false,
  plugins: [minifyTemplates],
  build: {
    lib: { entry: "widget/index.ts", formats: ["es"], fileName: () => "widget.js" },
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: { output: { minify: true, comments: false } },
  },
});

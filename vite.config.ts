// Builds the element into one self-contained ES module: dist/widget.js (Lit included).
import { defineConfig, type Plugin } from "vite";

/**
 * The minifier keeps template text as is: drop the indentation inside the element's html`` templates, and the
 * whitespace around CSS punctuation in its *.styles.ts files. Both are insignificant there.
 */
const minifyTemplates: Plugin = {
  name: "minify-widget-templates",
  transform(code, id) {
    if (!/\/widget\/.*\.ts$/.test(id)) return;
    const collapsed = code.replace(/>\s+</g, "><").replace(/\n\s+/g, "\n");
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

// Builds the element into one self-contained ES module: dist/widget.js (Lit included).
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    lib: { entry: "widget/index.ts", formats: ["es"], fileName: () => "widget.js" },
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: { output: { minify: true } },
  },
});

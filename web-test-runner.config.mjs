// Browser tests for the element, in Debian's Chromium (CHROME_PATH overrides the path).
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { playwrightLauncher } from "@web/test-runner-playwright";

const executablePath = process.env.CHROME_PATH || "/usr/bin/chromium";

export default {
  files: ["test/widget/**/*.test.ts"],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  plugins: [esbuildPlugin({ ts: true, target: "es2022", tsconfig: "tsconfig.widget.json" })],
  browsers: [
    playwrightLauncher({
      product: "chromium",
      launchOptions: {
        executablePath,
        args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        // Only what Chromium needs from the shell, and a bounded start.
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
        timeout: 30_000,
      },
    }),
  ],
};

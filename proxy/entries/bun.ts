// Bun entry: `bun run proxy/entries/bun.ts`.
import { cannotStartMessage, listeningMessage, planListen, widgetFromFile } from "./listen.ts";

// The few Bun APIs used here, declared locally instead of pulling in bun-types.
declare const Bun: {
  env: Record<string, string | undefined>;
  file(path: URL): { text(): Promise<string> };
  serve(options: { hostname: string; port: number; fetch(request: Request): Response | Promise<Response> }): {
    hostname: string;
    port: number;
  };
};
declare const process: { exit(code: number): never };

const widget = widgetFromFile(() => Bun.file(new URL("../../dist/widget.js", import.meta.url)).text());

let plan: ReturnType<typeof planListen>;
try {
  plan = planListen(Bun.env, widget);
} catch (error) {
  console.error(cannotStartMessage(error));
  process.exit(1);
}

const { app, hostname, port } = plan;
const server = Bun.serve({ hostname, port, fetch: (request) => app.fetch(request) });
console.log(listeningMessage(server.hostname, server.port));

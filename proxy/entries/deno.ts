// Deno entry: `deno run --allow-net --allow-env --allow-read proxy/entries/deno.ts` (locally with
// `--node-modules-dir=manual` after `npm install`), or the entrypoint of a Deno Deploy project.
import { cannotStartMessage, listeningMessage, planListen, widgetFromFile } from "./listen.ts";

// The few Deno APIs used here, declared locally instead of pulling in Deno's type package.
declare const Deno: {
  env: { toObject(): Record<string, string> };
  readTextFile(path: URL): Promise<string>;
  exit(code: number): never;
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void> };
};

const widget = widgetFromFile(() => Deno.readTextFile(new URL("../../dist/widget.js", import.meta.url)));

let plan: ReturnType<typeof planListen>;
try {
  plan = planListen(Deno.env.toObject(), widget);
} catch (error) {
  console.error(cannotStartMessage(error));
  Deno.exit(1);
}

const { app, hostname, port } = plan;
Deno.serve(
  { hostname, port, onListen: (address) => console.log(listeningMessage(address.hostname, address.port)) },
  (request) => app.fetch(request),
);

import { http } from "msw";
import { createSandbox, type Sandbox, type SandboxOptions } from "./index.ts";

/** Production and sandbox SP-API hosts of every region. */
export const SP_API_HOST = /^(sandbox\.)?sellingpartnerapi-(na|eu|fe)\.amazon\.com$/;
/** LWA token hosts (SP-API uses api.amazon.com; the others serve LWA too). */
export const LWA_HOST = /^api\.amazon\.(com|co\.uk|co\.jp)$/;
/** MWS hosts of every region and of the marketplaces with their own. */
export const MWS_HOST = /^mws(-eu|-fe)?\.amazonservices\.(com|ca|com\.mx|in|jp|com\.au)$/;

export function isAmazonRequest(url: URL): boolean {
  return (
    SP_API_HOST.test(url.hostname) ||
    MWS_HOST.test(url.hostname) ||
    (LWA_HOST.test(url.hostname) && url.pathname === "/auth/o2/token")
  );
}

/**
 * MSW handlers that answer every SP-API and LWA request with the sandbox, whatever the region or host:
 * `setupServer(...sandboxHandlers())`. Pass an existing sandbox to share its state with a test.
 */
export function sandboxHandlers(sandbox: Sandbox | SandboxOptions = {}) {
  const app = "fetch" in sandbox ? sandbox : createSandbox(sandbox);
  return [
    http.all(
      ({ request }) => isAmazonRequest(new URL(request.url)),
      ({ request }) => app.fetch(request),
    ),
  ];
}

// One server, many apps: each store's proxy under /proxy/{store}/, a proxy at the root (the connector, or the US
// store's private app: the paths a deploy serves, /connect included), and the storefront for everything else.
import { isStoreId, type StoreId } from "./stores.ts";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

const ROOT_PROXY_PATHS = /^\/(v1\/|widget\.js$|openapi\.json$|connect(\/|$))/;
const STORE_PROXY_PATH = /^\/proxy\/([a-z]+)(\/.*)$/;

/**
 * /proxy/{store}/… → that store's proxy (prefix stripped); /v1/…, /widget.js, /openapi.json, /connect… → `root`
 * (default: the US store's proxy).
 */
export function route(
  proxies: Record<StoreId, FetchHandler>,
  storefront: FetchHandler,
  root: FetchHandler = proxies.us,
): FetchHandler {
  return (request) => {
    const url = new URL(request.url);
    const scoped = STORE_PROXY_PATH.exec(url.pathname);
    if (scoped) {
      const id = scoped[1];
      if (!isStoreId(id)) return new Response("Not Found", { status: 404 });
      url.pathname = scoped[2] as string;
      const forwarded = rewrite(request, url);
      return Promise.resolve(proxies[id](forwarded)).then((response) => {
        // An answer given without reading the body (a 413 from the declared length) leaves it unread, and Node's
        // server then drops the keep-alive connection: read it to its end, as a direct request's is.
        if (forwarded.body && !forwarded.bodyUsed) forwarded.body.pipeTo(new WritableStream()).catch(() => {});
        return response;
      });
    }
    if (ROOT_PROXY_PATHS.test(url.pathname)) return root(request);
    return storefront(request);
  };
}

function rewrite(request: Request, url: URL): Request {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : null,
    signal: request.signal,
    // Node's fetch needs this to stream a request body through.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

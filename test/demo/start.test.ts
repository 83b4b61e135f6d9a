// startDemo as `npm start` runs it, in-process on free ports: real sandbox, real proxies, real HTTP.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { describe, it } from "node:test";
import { startDemo, startupMessage } from "../../demo/start.ts";

const FREE_PORTS = { PORT: "0", SANDBOX_PORT: "0" };

async function canListen(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("startDemo", () => {
  it("runs with no configuration: generated keys, every store's proxy healthy against the sandbox", async () => {
    const demo = await startDemo({ ...FREE_PORTS });
    try {
      for (const id of ["us", "jp", "eu"] as const) {
        const health = (await (await fetch(`${demo.urls.proxies[id]}/v1/health`)).json()) as {
          upstream: { status: string };
        };
        assert.equal(health.upstream.status, "ok", `${id} proxy reaches the sandbox`);
      }
      const message = startupMessage(demo);
      assert.ok(message.includes(`${demo.urls.storefront}/`));
      assert.ok(message.includes(demo.urls.stores.jp));
      assert.ok(message.includes(demo.urls.sandbox));
      assert.ok(message.includes(demo.plan.keys.secretKey));
      assert.ok(message.includes(demo.plan.keys.publishableKey));
      assert.doesNotMatch(message, /from the environment/);
    } finally {
      await demo.close();
    }
  });

  it("honours keys, allowed origins and LWA credentials set from outside", async () => {
    const env = {
      ...FREE_PORTS,
      MCF_SECRET_KEY: "sk_outside_0123456789abcdef",
      MCF_PUBLISHABLE_KEY: "pk_outside_0123456789abcdef",
      MCF_QUOTE_SECRET: "q".repeat(40),
      MCF_ALLOWED_ORIGINS: "https://shop.example",
      SANDBOX_LWA_CLIENT_ID: "outside-client",
      SANDBOX_LWA_CLIENT_SECRET: "outside-secret",
      SANDBOX_LWA_REFRESH_TOKEN: "Atzr|outside-refresh",
    };
    const demo = await startDemo(env);
    try {
      assert.deepEqual(demo.plan.keys.generated, []);
      assert.match(startupMessage(demo), /sk_out… {2}\(from the environment\)/);
      assert.match(startupMessage(demo), /pk_outside_0123456789abcdef {2}\(from the environment\)/, "public");
      assert.doesNotMatch(startupMessage(demo), /sk_outside_0123456789abcdef|qqqqqqq/, "secrets stay masked");
      assert.match(
        startupMessage(demo),
        new RegExp(`Allowed origins .*${demo.urls.storefront}.*https://shop\\.example`),
      );
      const preview = (origin: string, key: string) =>
        fetch(`${demo.urls.proxies.us}/v1/delivery-options`, {
          method: "POST",
          headers: { "content-type": "application/json", origin, authorization: `Bearer ${key}` },
          body: JSON.stringify({
            items: [{ sku: "MUG-CERAMIC-BLUE", quantity: 1 }],
            address: { countryCode: "US", postalCode: "98109" },
          }),
        });
      const allowed = await preview("https://shop.example", env.MCF_PUBLISHABLE_KEY);
      assert.equal(allowed.status, 200, "the outside origin and key are accepted, and the LWA pair matches");
      assert.equal(allowed.headers.get("access-control-allow-origin"), "https://shop.example");
      const storefront = await preview(demo.urls.storefront, env.MCF_PUBLISHABLE_KEY);
      assert.equal(storefront.status, 200, "the storefront's own origin stays allowed, so its pages keep working");
      assert.equal(storefront.headers.get("access-control-allow-origin"), demo.urls.storefront);
      const stranger = await preview("https://stranger.example", env.MCF_PUBLISHABLE_KEY);
      assert.equal(stranger.status, 403, "only the storefront's and the configured origins are allowed");
      const wrongKey = await preview("https://shop.example", "pk_not_the_key_0123456789");
      assert.equal(wrongKey.status, 401);
    } finally {
      await demo.close();
    }
  });

  it("refuses a bad variable by name and leaves nothing listening", async () => {
    const ports = { PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) };
    // The proxies' configuration is parsed after the servers are up, so this one fails late: they must be closed.
    await assert.rejects(startDemo({ ...ports, MCF_BROWSER_ORDERS: "sometimes" }), /MCF_BROWSER_ORDERS/);
    await assert.rejects(startDemo({ ...ports, SANDBOX_TIME_SCALE: "-1" }), /SANDBOX_TIME_SCALE/);
    for (const port of Object.values(ports)) await canListen(Number(port));
  });

  it("a 413 keeps the keep-alive connection usable, on the per-store proxy paths as on the root ones", async () => {
    const demo = await startDemo({ ...FREE_PORTS });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    /** POSTs `body` over the agent's one connection; answers the status and the socket it went over. */
    const post = (path: string, body: string) =>
      new Promise<{ status: number; socket: Socket }>((resolve, reject) => {
        const call = request(`${demo.urls.storefront}${path}`, {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        });
        call.on("response", (response) => {
          response.resume();
          response.on("end", () => resolve({ status: response.statusCode ?? 0, socket: call.socket as Socket }));
        });
        call.on("error", reject);
        call.end(body);
      });
    try {
      for (const path of ["/proxy/jp/v1/delivery-options", "/v1/delivery-options"]) {
        const tooLarge = await post(path, "x".repeat(1_000_000));
        assert.equal(tooLarge.status, 413);
        // Past @hono/node-server's 500 ms wait for an unread body, after which it would drop the connection.
        await new Promise((resolve) => setTimeout(resolve, 700));
        const next = await post(path, "{}");
        assert.notEqual(next.status, 413);
        assert.equal(next.socket, tooLarge.socket, `${path}: the next request reuses the connection`);
      }
    } finally {
      agent.destroy();
      await demo.close();
    }
  });

  it("close() stops every server", async () => {
    const demo = await startDemo({ ...FREE_PORTS });
    await demo.close();
    await assert.rejects(fetch(`${demo.urls.storefront}/`));
    await assert.rejects(fetch(`${demo.urls.sandbox}/_sandbox/clock`));
  });
});

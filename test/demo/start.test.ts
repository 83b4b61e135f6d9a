// startDemo as `npm start` runs it, in-process on free ports: real sandbox, real proxies, real HTTP.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  it("runs with no configuration: one connector, each store a tenant healthy against its own sandbox seller", async () => {
    const demo = await startDemo({ ...FREE_PORTS });
    try {
      assert.equal(demo.mode, "connector");
      for (const id of ["us", "jp", "eu"] as const) {
        const health = (await (await fetch(`${demo.urls.proxies[id]}/v1/health`)).json()) as {
          mode: string;
          upstream: { status: string };
        };
        assert.equal(health.upstream.status, "ok", `${id} proxy reaches the sandbox`);
        assert.equal(health.mode, "connector");
        // Each store's keys name its own tenant, and that tenant its own seller.
        const tenant = await demo.tenants!.resolveKey("secret", demo.keys.stores[id].secretKey);
        assert.equal(tenant?.id, `tn_demo_${id}`);
        assert.equal(tenant?.sellingPartnerId, demo.sellers[id].sellerId);
        assert.equal(
          (await demo.tenants!.resolveKey("publishable", demo.keys.stores[id].publishableKey))?.id,
          tenant?.id,
        );
      }
      assert.equal(await demo.tenants!.count(), 3);
      assert.equal(new Set(Object.values(demo.sellers).map((seller) => seller.sellerId)).size, 3);
      const admin = await fetch(`${demo.urls.storefront}/v1/admin/tenants`, {
        headers: { authorization: `Bearer ${demo.keys.adminKey}` },
      });
      assert.equal(admin.status, 200, "the operator API answers the printed admin key");
      assert.equal(((await admin.json()) as { tenants: unknown[] }).tenants.length, 3);
      assert.equal((await fetch(demo.urls.connect!)).status, 200);
      // The sandbox's consent page offers the seller no store uses, so a merchant who just approves connects anew.
      const consent = await (
        await fetch(
          `${demo.urls.sandbox}/apps/authorize/consent?application_id=amzn1.sellerapps.app.sandbox-dev-app&state=s&redirect_uri=${encodeURIComponent(`${demo.urls.storefront}/connect/amazon/callback`)}`,
        )
      ).text();
      assert.match(consent, /value="A4SANDBOXSELLER" checked/);
      assert.equal((consent.match(/already connected to this app/g) ?? []).length, 3, "the stores' sellers are marked");
      assert.ok(demo.tenants!.where.startsWith(tmpdir()), `a temporary tenant database: ${demo.tenants!.where}`);

      const message = startupMessage(demo);
      assert.ok(message.includes(`${demo.urls.storefront}/`));
      assert.ok(message.includes(demo.urls.stores.jp));
      assert.ok(message.includes(demo.urls.sandbox));
      assert.ok(message.includes(`Connect a store  ${demo.urls.connect}`));
      assert.ok(message.includes(demo.keys.adminKey!));
      for (const id of ["us", "jp", "eu"] as const) {
        assert.ok(message.includes(demo.keys.stores[id].secretKey));
        assert.ok(message.includes(demo.keys.stores[id].publishableKey));
      }
      assert.ok(!message.includes(demo.keys.tokenKey!), "the token key is not needed in print");
      assert.doesNotMatch(message, /from the environment/);
    } finally {
      await demo.close();
    }
    assert.ok(!existsSync(demo.tenants!.where), "the temporary tenant database is removed on close");
  });

  it("honours per-store keys, the admin key, allowed origins and LWA credentials set from outside", async () => {
    const env = {
      ...FREE_PORTS,
      US_MCF_SECRET_KEY: "sk_outside_0123456789abcdef",
      US_MCF_PUBLISHABLE_KEY: "pk_outside_0123456789abcdef",
      MCF_QUOTE_SECRET: "q".repeat(40),
      MCF_ADMIN_KEY: "adm_outside_0123456789abcdef",
      MCF_ALLOWED_ORIGINS: "https://shop.example",
      SANDBOX_LWA_CLIENT_ID: "outside-client",
      SANDBOX_LWA_CLIENT_SECRET: "outside-secret",
      SANDBOX_LWA_REFRESH_TOKEN: "Atzr|outside-refresh",
    };
    const demo = await startDemo(env);
    try {
      assert.deepEqual(demo.plan.keys.generated, [
        "jp.secretKey",
        "jp.publishableKey",
        "eu.secretKey",
        "eu.publishableKey",
        "tokenKey",
      ]);
      assert.match(startupMessage(demo), /US secret +sk_out… {2}\(from the environment\)/);
      assert.match(startupMessage(demo), /US publishable +pk_outside_0123456789abcdef {2}\(from the environment\)/);
      assert.match(startupMessage(demo), /admin key +adm_ou… {2}\(from the environment\)/);
      assert.doesNotMatch(
        startupMessage(demo),
        /sk_outside_0123456789abcdef|adm_outside_0123456789abcdef|qqqqqqq/,
        "secrets stay masked",
      );
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
      const allowed = await preview("https://shop.example", env.US_MCF_PUBLISHABLE_KEY);
      assert.equal(allowed.status, 200, "the outside origin and key are accepted, and the LWA pair matches");
      assert.equal(((await allowed.json()) as { source: string }).source, "live");
      assert.equal(allowed.headers.get("access-control-allow-origin"), "https://shop.example");
      const storefront = await preview(demo.urls.storefront, env.US_MCF_PUBLISHABLE_KEY);
      assert.equal(storefront.status, 200, "the storefront's own origin stays allowed, so its pages keep working");
      assert.equal(storefront.headers.get("access-control-allow-origin"), demo.urls.storefront);
      const stranger = await preview("https://stranger.example", env.US_MCF_PUBLISHABLE_KEY);
      assert.equal(stranger.status, 403, "only the storefront's and the configured origins are allowed");
      const wrongKey = await preview("https://shop.example", "pk_not_the_key_0123456789");
      assert.equal(wrongKey.status, 401);
      // With other LWA credentials the app is registered with the sandbox, so onboarding reaches its consent page.
      const consent = await fetch(
        `${demo.urls.sandbox}/apps/authorize/consent?application_id=amzn1.sellerapps.app.sandbox-dev-app&state=s1` +
          `&redirect_uri=${encodeURIComponent(`${demo.urls.storefront}/connect/amazon/callback`)}`,
      );
      assert.equal(consent.status, 200, await consent.text());
    } finally {
      await demo.close();
    }
  });

  it("keeps the tenants in MCF_DATABASE_URL, seeding the stores again on a restart without duplicates", async () => {
    const folder = await mkdtemp(join(tmpdir(), "mcf-demo-test-"));
    try {
      const env = { ...FREE_PORTS, MCF_DATABASE_URL: `sqlite:${join(folder, "tenants.db")}` };
      for (let run = 0; run < 2; run++) {
        const demo = await startDemo(env);
        try {
          assert.equal(demo.tenants!.where, join(folder, "tenants.db"));
          assert.equal(await demo.tenants!.count(), 3);
          assert.doesNotMatch(startupMessage(demo), /temporary/);
          const key = demo.keys.stores.jp.secretKey;
          assert.equal((await demo.tenants!.resolveKey("secret", key))?.id, "tn_demo_jp", "this run's keys");
        } finally {
          await demo.close();
        }
      }
      assert.ok(existsSync(join(folder, "tenants.db")), "kept after close");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("MCF_AMAZON_API=mws-2010-10-01: one private app per store (MWS cannot authorise a public app)", async () => {
    const demo = await startDemo({ ...FREE_PORTS, MCF_AMAZON_API: "mws-2010-10-01" });
    try {
      assert.equal(demo.mode, "private");
      assert.equal(demo.tenants, undefined);
      assert.equal(demo.urls.connect, undefined);
      for (const id of ["us", "jp", "eu"] as const) {
        assert.equal(demo.urls.proxies[id], `${demo.urls.storefront}/proxy/${id}`);
        const health = (await (await fetch(`${demo.urls.proxies[id]}/v1/health`)).json()) as {
          mode: string;
          upstream: { dialect: string; status: string };
        };
        assert.equal(health.mode, "private");
        assert.deepEqual([health.upstream.dialect, health.upstream.status], ["mws-2010-10-01", "ok"]);
      }
      assert.equal((await fetch(`${demo.urls.storefront}/connect`)).status, 404);
      const message = startupMessage(demo);
      assert.match(message, /one private app per store/);
      assert.ok(message.includes(demo.keys.stores.us.secretKey));
      assert.doesNotMatch(message, /Connect a store|admin key/);
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

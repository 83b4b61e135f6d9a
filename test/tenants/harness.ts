// The admin and connect route modules mounted on a bare Hono app, served over real HTTP next to a real sandbox,
// with the tenant store on node:sqlite in a temporary folder.

import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AppEnv } from "../../proxy/context.ts";
import { pricingRulesSchema } from "../../proxy/pricing/index.ts";
import { Problem, problemResponse } from "../../proxy/problems/index.ts";
import { adminRoutes, lwaRefreshTokenCheck } from "../../proxy/routes/admin.ts";
import { type ConnectApp, type ConnectContext, connectRoutes } from "../../proxy/routes/connect.ts";
import {
  parseTokenKeys,
  type TenantStore as Store,
  syncSqliteDialect,
  TenantStore,
  type TenantValidators,
} from "../../proxy/tenants/index.ts";
import { manualClock } from "../../sandbox/index.ts";
import { type RunningSandbox, startSandbox } from "../helpers/sandbox-server.ts";
import { KEY_A } from "./suite.ts";

export const ADMIN_KEY = "admin-key-for-tests-0123456789";

export const VALIDATORS: TenantValidators = {
  pricing(raw) {
    const parsed = pricingRulesSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(`pricing${parsed.error.issues[0]?.path.map((p) => `.${String(p)}`).join("") ?? ""} is invalid`);
    return parsed.data as never;
  },
  fallbackRates(raw) {
    if (!Array.isArray(raw)) throw new Error("fallbackRates must be an array");
    return raw;
  },
};

export interface ConnectorHarness {
  proxyUrl: string;
  sandbox: RunningSandbox;
  /** The sandbox's real-time clock: LWA code expiry. */
  amazonClock: ReturnType<typeof manualClock>;
  /** The tenant store's clock: state expiry. */
  storeClock: ReturnType<typeof manualClock>;
  store: Store;
  app: ConnectApp;
  /** The onboarding routes' context, read per request (a test may set docsUrl, widgetUrl, …). */
  connect: ConnectContext;
  /** Where the operator API checks refresh tokens (the sandbox's LWA; a test may point it elsewhere). */
  lwa: { tokenUrl: string };
  /** A refresh token of the app for `sellerId`, as Amazon grants one: the seller approves at the consent page. */
  authorise(sellerId: string): Promise<string>;
  close(): Promise<void>;
}

async function listen(app: Hono<AppEnv>): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      }),
    );
    server.once("error", reject);
  });
}

export async function startConnector(): Promise<ConnectorHarness> {
  const amazonClock = manualClock();
  const storeClock = manualClock(Date.now());
  const sandbox = await startSandbox({ realTimeClock: amazonClock });
  const dir = await mkdtemp(join(tmpdir(), "mcf-connect-"));
  const store = await TenantStore.open({
    dialect: syncSqliteDialect(new DatabaseSync(join(dir, "tenants.db"))),
    tokenKeys: await parseTokenKeys(KEY_A),
    clock: storeClock,
  });
  const hono = new Hono<AppEnv>();
  hono.onError((error) =>
    error instanceof Problem
      ? problemResponse(error.body, error.headers)
      : problemResponse({ type: "about:blank", title: "Internal error", status: 500, detail: String(error) }),
  );
  // The callback URL is only known once the server listens; the routes read it at request time.
  const app: ConnectApp = {
    applicationId: "amzn1.sellerapps.app.connector-test",
    clientId: "amzn1.application-oa2-client.connector-test",
    clientSecret: "amzn1.oa2-cs.v1.connector-test-secret",
    redirectUri: "",
    draft: false,
  };
  const lwa = { tokenUrl: `${sandbox.url}/auth/o2/token` };
  adminRoutes(hono, {
    tenants: store,
    adminKey: ADMIN_KEY,
    validators: VALIDATORS,
    verifyRefreshToken: (token) => lwaRefreshTokenCheck({ ...app, tokenUrl: lwa.tokenUrl })(token),
  });
  const connect: ConnectContext = {
    tenants: store,
    app,
    lwaTokenUrl: `${sandbox.url}/auth/o2/token`,
    sellerCentralUrl: sandbox.url,
  };
  connectRoutes(hono, connect);
  const server = await listen(hono);
  app.redirectUri = `${server.url}/connect/amazon/callback`;
  const registered = await fetch(`${sandbox.url}/_sandbox/apps`, {
    method: "POST",
    body: JSON.stringify({ ...app, redirectUris: [app.redirectUri] }),
  });
  if (registered.status !== 201) throw new Error(`sandbox refused the app: ${await registered.text()}`);
  return {
    proxyUrl: server.url,
    sandbox,
    amazonClock,
    storeClock,
    store,
    app,
    connect,
    lwa,
    async authorise(sellerId) {
      const approved = await fetch(`${sandbox.url}/apps/authorize/consent`, {
        method: "POST",
        body: new URLSearchParams({
          application_id: app.applicationId,
          state: "harness",
          redirect_uri: app.redirectUri,
          decision: "approve",
          new_selling_partner_id: sellerId,
        }),
        redirect: "manual",
      });
      const code = new URL(approved.headers.get("location") ?? "", sandbox.url).searchParams.get("spapi_oauth_code");
      const granted = await fetch(`${sandbox.url}/auth/o2/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: code ?? "",
          redirect_uri: app.redirectUri,
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
      });
      const { refresh_token: refreshToken } = (await granted.json()) as { refresh_token?: string };
      if (!refreshToken) throw new Error(`the sandbox granted no refresh token for ${sellerId}`);
      return refreshToken;
    },
    async close() {
      await server.close();
      await store.close();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A browser in miniature: follows nothing by itself, keeps cookies per origin. */
export class Browser {
  #cookies = new Map<string, Map<string, string>>();
  language: string;
  constructor(language = "en") {
    this.language = language;
  }
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const { origin } = new URL(url);
    const jar = this.#cookies.get(origin) ?? new Map<string, string>();
    const headers = new Headers(init.headers);
    headers.set("accept-language", this.language);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
    const reply = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of reply.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      jar.set(name.trim(), value.trim());
    }
    this.#cookies.set(origin, jar);
    return reply;
  }
}

/** At Seller Central (the sandbox's consent page): the page, then Approve or Deny; answers the redirect back. */
export async function consentAt(
  browser: Browser,
  consentUrl: URL,
  decision: "approve" | "deny",
  sellerId: string,
): Promise<URL> {
  const page = await browser.request(consentUrl.href);
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${await page.text()}`);
  await page.text();
  const form = new URLSearchParams({
    application_id: consentUrl.searchParams.get("application_id")!,
    state: consentUrl.searchParams.get("state")!,
    redirect_uri: consentUrl.searchParams.get("redirect_uri")!,
    decision,
    new_selling_partner_id: sellerId,
  });
  const reply = await browser.request(new URL("/apps/authorize/consent", consentUrl).href, {
    method: "POST",
    body: form,
  });
  if (reply.status !== 302) throw new Error(`consent answered ${reply.status}: ${await reply.text()}`);
  return new URL(reply.headers.get("location")!);
}

/** The merchant opens the operator's reconnect link and presses its button: answers the button's reply. */
export async function openReconnectLink(browser: Browser, link: string): Promise<Response> {
  const page = await browser.request(link);
  const markup = await page.text();
  if (page.status !== 200) throw new Error(`the reconnect link answered ${page.status}: ${markup}`);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(markup)?.[1] ?? "";
  return browser.request(new URL("/connect/amazon/reconnect", link).href, {
    method: "POST",
    body: new URLSearchParams({ lang: field("lang"), token: field("token") }),
  });
}

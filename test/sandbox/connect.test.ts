// The Seller Central consent simulator and LWA's authorization_code grant, over real HTTP.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AUTHORIZATION_CODE_LIFETIME_MS, DEV_APP } from "../../sandbox/auth/lwa.ts";
import { createSandbox, DEV_CREDENTIALS, manualClock } from "../../sandbox/index.ts";
import { type RunningSandbox, startSandbox } from "../helpers/sandbox-server.ts";
import { BASE } from "./support.ts";

const APP = {
  applicationId: "amzn1.sellerapps.app.connector-test",
  clientId: "amzn1.application-oa2-client.connector-test",
  clientSecret: "amzn1.oa2-cs.v1.connector-test-secret",
  redirectUris: ["https://connector.example/connect/amazon/callback", "https://connector.example/other"],
};
const REDIRECT = APP.redirectUris[0]!;

const realTime = manualClock();
let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({ realTimeClock: realTime });
  const registered = await fetch(`${sandbox.url}/_sandbox/apps`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(APP),
  });
  assert.equal(registered.status, 201);
  assert.ok(!JSON.stringify(await registered.json()).includes(APP.clientSecret));
});
after(() => sandbox.close());

function consentUrl(params: Record<string, string>): string {
  return `${sandbox.url}/apps/authorize/consent?${new URLSearchParams(params)}`;
}

async function decide(fields: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/apps/authorize/consent`, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

async function approve(sellerId: string, extra: Record<string, string> = {}) {
  const reply = await decide({
    application_id: APP.applicationId,
    state: "st-1",
    decision: "approve",
    new_selling_partner_id: sellerId,
    ...extra,
  });
  assert.equal(reply.status, 302);
  const location = new URL(reply.headers.get("location")!);
  return { location, code: location.searchParams.get("spapi_oauth_code")! };
}

async function token(fields: Record<string, string>) {
  const reply = await fetch(`${sandbox.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams(fields),
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, string> };
}

const exchange = (code: string, overrides: Record<string, string> = {}) =>
  token({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    ...overrides,
  });

test("the consent page shows the app and Approve / Deny for test sellers, with no referrer", async () => {
  const reply = await fetch(consentUrl({ application_id: APP.applicationId, state: "abc<&>" }));
  assert.equal(reply.status, 200);
  assert.equal(reply.headers.get("referrer-policy"), "no-referrer");
  assert.match(reply.headers.get("content-type") ?? "", /text\/html/);
  const page = await reply.text();
  assert.ok(page.includes(APP.applicationId));
  assert.ok(page.includes('value="abc&lt;&amp;&gt;"'), "state is escaped into the form");
  assert.ok(page.includes(`value="${REDIRECT}"`), "the first registered redirect URI by default");
  assert.ok(page.includes(DEV_CREDENTIALS.sellerId));
  assert.match(page, /value="approve"/);
  assert.match(page, /value="deny"/);
});

test("consent refuses unknown apps, a missing state and unregistered redirect URIs", async () => {
  const cases: [Record<string, string>, number, RegExp][] = [
    [{ application_id: "amzn1.sellerapps.app.unknown", state: "s" }, 404, /No app/],
    [{ application_id: APP.applicationId }, 400, /state/],
    [{ application_id: APP.applicationId, state: "s", redirect_uri: "https://evil.example/cb" }, 400, /redirect_uri/],
    [{ application_id: DEV_APP.applicationId, state: "s" }, 400, /redirect_uri/],
    [{ application_id: DEV_APP.applicationId, state: "s", redirect_uri: "https://evil.example/" }, 400, /redirect_uri/],
  ];
  for (const [params, status, message] of cases) {
    const reply = await fetch(consentUrl(params));
    assert.equal(reply.status, status, JSON.stringify(params));
    assert.match(await reply.text(), message);
  }
  // The dev app takes any loopback redirect URI (local development).
  const dev = await fetch(
    consentUrl({ application_id: DEV_APP.applicationId, state: "s", redirect_uri: "http://127.0.0.1:8787/cb" }),
  );
  assert.equal(dev.status, 200);
});

test("a Draft app is authorised only with version=beta", async () => {
  const draft = { ...APP, applicationId: "amzn1.sellerapps.app.draft", draft: true };
  await fetch(`${sandbox.url}/_sandbox/apps`, { method: "POST", body: JSON.stringify(draft) });
  assert.equal((await fetch(consentUrl({ application_id: draft.applicationId, state: "s" }))).status, 400);
  const beta = await fetch(consentUrl({ application_id: draft.applicationId, state: "s", version: "beta" }));
  assert.equal(beta.status, 200);
  assert.match(await beta.text(), /name="version" value="beta"/);
});

test("deny redirects with the state and access_denied, and no code", async () => {
  const reply = await decide({ application_id: APP.applicationId, state: "st-deny", decision: "deny" });
  assert.equal(reply.status, 302);
  assert.equal(reply.headers.get("referrer-policy"), "no-referrer");
  const location = new URL(reply.headers.get("location")!);
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  assert.equal(location.searchParams.get("state"), "st-deny");
  assert.equal(location.searchParams.get("error"), "access_denied");
  assert.equal(location.searchParams.get("spapi_oauth_code"), null);
});

test("approve → code → the seller's own refresh token, which then works for SP-API calls as that seller", async () => {
  const { location, code } = await approve("A1CONNECTEDSELLER");
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  assert.equal(location.searchParams.get("state"), "st-1");
  assert.equal(location.searchParams.get("selling_partner_id"), "A1CONNECTEDSELLER");
  assert.match(code, /^AN[A-Z]{10,}$/);
  const granted = await exchange(code);
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  assert.equal(granted.body.token_type, "bearer");
  assert.match(granted.body.refresh_token!, /^Atzr\|/);
  assert.notEqual(granted.body.refresh_token, DEV_CREDENTIALS.refreshToken);
  const refreshed = await token({
    grant_type: "refresh_token",
    refresh_token: granted.body.refresh_token!,
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
  });
  assert.equal(refreshed.status, 200);
  // The connected seller has its own order book: the dev seller's orders are not its orders.
  const list = await fetch(`${sandbox.url}${BASE}/fulfillmentOrders`, {
    headers: { "x-amz-access-token": refreshed.body.access_token! },
  });
  assert.equal(list.status, 200);
  assert.deepEqual(
    ((await list.json()) as { payload: { fulfillmentOrders: unknown[] } }).payload.fulfillmentOrders,
    [],
  );
  // Another seller approving gets another token.
  const other = await exchange((await approve("A2OTHERSELLER")).code);
  assert.notEqual(other.body.refresh_token, granted.body.refresh_token);
  // A seller who approves again (re-authorisation) gets a new token, and is still one seller in the state.
  const again = await exchange((await approve("A1CONNECTEDSELLER")).code);
  assert.notEqual(again.body.refresh_token, granted.body.refresh_token);
  const state = (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as { sellers: { sellerId: string }[] };
  assert.equal(state.sellers.filter((seller) => seller.sellerId === "A1CONNECTEDSELLER").length, 1);
});

test("codes: single-use, 5 minutes, bound to their client and redirect_uri", async () => {
  const used = (await approve("A1CODESELLER")).code;
  assert.equal((await exchange(used)).status, 200);
  const replay = await exchange(used);
  assert.deepEqual([replay.status, replay.body.error], [400, "invalid_grant"]);

  const wrongSecret = await exchange((await approve("A1CODESELLER")).code, { client_secret: "wrong" });
  assert.deepEqual([wrongSecret.status, wrongSecret.body.error], [401, "invalid_client"]);
  const otherClient = await exchange((await approve("A1CODESELLER")).code, {
    client_id: DEV_CREDENTIALS.clientId,
    client_secret: DEV_CREDENTIALS.clientSecret,
  });
  assert.deepEqual([otherClient.status, otherClient.body.error], [400, "invalid_grant"]);

  const mismatch = await exchange((await approve("A1CODESELLER")).code, { redirect_uri: APP.redirectUris[1]! });
  assert.deepEqual([mismatch.status, mismatch.body.error], [400, "invalid_grant"]);
  assert.match(mismatch.body.error_description!, /redirect_uri/);

  const missing = await exchange((await approve("A1CODESELLER")).code, { redirect_uri: "" });
  assert.deepEqual([missing.status, missing.body.error], [400, "invalid_request"]);
  assert.deepEqual((await exchange("ANUNKNOWNCODE")).body.error, "invalid_grant");

  const late = (await approve("A1CODESELLER")).code;
  const inTime = (await approve("A1CODESELLER")).code;
  realTime.advance(AUTHORIZATION_CODE_LIFETIME_MS - 1);
  assert.equal((await exchange(inTime)).status, 200);
  realTime.advance(1);
  const expired = await exchange(late);
  assert.deepEqual([expired.status, expired.body.error], [400, "invalid_grant"]);
  assert.match(expired.body.error_description!, /expired/);
});

test("consent posted with an unknown decision or a bad seller id is refused, with no code", async () => {
  const unknown = await decide({ application_id: APP.applicationId, state: "s", decision: "maybe" });
  assert.equal(unknown.status, 400);
  const bad = await decide({
    application_id: APP.applicationId,
    state: "s",
    decision: "approve",
    new_selling_partner_id: "lower-case",
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get("location"), null);
});

test("a revoked seller's refresh token gets invalid_grant; reset forgets connected sellers and apps", async () => {
  const granted = await exchange((await approve("A1REVOKEDSELLER")).code);
  const refresh = {
    grant_type: "refresh_token",
    refresh_token: granted.body.refresh_token!,
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
  };
  assert.equal((await token(refresh)).status, 200);
  const revoked = await fetch(`${sandbox.url}/_sandbox/sellers/A1REVOKEDSELLER/revoke`, { method: "POST" });
  assert.deepEqual(await revoked.json(), { sellerId: "A1REVOKEDSELLER", revoked: 1 });
  assert.deepEqual((await token(refresh)).body.error, "invalid_grant");
  assert.equal(
    (
      await token({
        ...refresh,
        refresh_token: DEV_CREDENTIALS.refreshToken,
        client_id: DEV_CREDENTIALS.clientId,
        client_secret: DEV_CREDENTIALS.clientSecret,
      })
    ).status,
    200,
    "other sellers are unaffected",
  );
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
  assert.equal((await fetch(consentUrl({ application_id: APP.applicationId, state: "s" }))).status, 404);
  assert.equal(sandbox.app.sandbox.lwa.sellers.length, 1);
  await fetch(`${sandbox.url}/_sandbox/apps`, { method: "POST", body: JSON.stringify(APP) });
});

test("without control routes, consent and the code grant stay but apps cannot be registered or sellers revoked", async () => {
  const app = createSandbox({ control: false });
  assert.equal((await app.request("/_sandbox/apps", { method: "POST", body: JSON.stringify(APP) })).status, 404);
  assert.equal((await app.request("/_sandbox/sellers/A1X/revoke", { method: "POST" })).status, 404);
  const page = await app.request(
    `/apps/authorize/consent?${new URLSearchParams({ application_id: DEV_APP.applicationId, state: "s", redirect_uri: "http://localhost:1/cb" })}`,
  );
  assert.equal(page.status, 200);
});

test("the consent page pre-selects a seller new to the app and marks those already connected to it", async () => {
  const seller = (sellerId: string, authorised?: false) => ({
    ...DEV_CREDENTIALS,
    sellerId,
    refreshToken: `Atzr|${sellerId.toLowerCase()}`,
    ...(authorised === false ? { authorised } : {}),
  });
  const devClient = { client_id: DEV_APP.clientId, client_secret: DEV_APP.clientSecret };
  // The demo's shape: sellers of stores the dev app already serves, and one that has not authorised it yet.
  const own = await startSandbox({
    credentials: [seller("A1SANDBOXSELLER"), seller("A2SANDBOXSELLERJP"), seller("A4SANDBOXSELLER", false)],
  });
  try {
    const consent = async (applicationId = DEV_APP.applicationId) => {
      const reply = await fetch(
        `${own.url}/apps/authorize/consent?${new URLSearchParams({ application_id: applicationId, state: "s", redirect_uri: "http://127.0.0.1:1/cb" })}`,
      );
      assert.equal(reply.status, 200);
      const page = await reply.text();
      const checked = [...page.matchAll(/value="([A-Z0-9]+)" checked/g)].map((match) => match[1]);
      const connected = [...page.matchAll(/<label data-connected><input[^>]*value="([A-Z0-9]+)"/g)].map((m) => m[1]);
      return { page, checked, connected };
    };
    const first = await consent();
    assert.deepEqual(first.checked, ["A4SANDBOXSELLER"], "the seller new to the app, not the first store's");
    assert.deepEqual(first.connected, ["A1SANDBOXSELLER", "A2SANDBOXSELLERJP"]);
    assert.match(first.page, /A1SANDBOXSELLER <small>\(already connected to this app\)/);
    assert.doesNotMatch(first.page, /A4SANDBOXSELLER <small>/);
    // A seller that has not authorised the app holds no token LWA accepts.
    const refresh = (refreshToken: string) =>
      fetch(`${own.url}/auth/o2/token`, {
        method: "POST",
        body: new URLSearchParams({ ...devClient, grant_type: "refresh_token", refresh_token: refreshToken }),
      });
    assert.equal((await refresh("Atzr|a4sandboxseller")).status, 400);
    assert.equal((await refresh("Atzr|a1sandboxseller")).status, 200);

    // A4 approves: now every listed seller is connected, and the page falls back to the first, marked.
    const approved = await fetch(`${own.url}/apps/authorize/consent`, {
      method: "POST",
      body: new URLSearchParams({
        application_id: DEV_APP.applicationId,
        state: "s",
        redirect_uri: "http://127.0.0.1:1/cb",
        decision: "approve",
        selling_partner_id: "A4SANDBOXSELLER",
      }),
      redirect: "manual",
    });
    const code = new URL(approved.headers.get("location")!).searchParams.get("spapi_oauth_code")!;
    const granted = await fetch(`${own.url}/auth/o2/token`, {
      method: "POST",
      body: new URLSearchParams({
        ...devClient,
        grant_type: "authorization_code",
        code,
        redirect_uri: "http://127.0.0.1:1/cb",
      }),
    });
    assert.equal(granted.status, 200);
    const after = await consent();
    assert.deepEqual(after.checked, [], "every listed seller serves the app: none is the default");
    assert.match(after.page, /name="new_selling_partner_id"[^>]* value="A\d+SANDBOXSELLER"/, "a fresh id is");
    assert.deepEqual(after.connected, ["A1SANDBOXSELLER", "A2SANDBOXSELLERJP", "A4SANDBOXSELLER"]);

    // A revoked seller is no longer connected: it is the one to approve again.
    await fetch(`${own.url}/_sandbox/sellers/A2SANDBOXSELLERJP/revoke`, { method: "POST" });
    const revoked = await consent();
    assert.deepEqual(revoked.checked, ["A2SANDBOXSELLERJP"]);
    assert.deepEqual(revoked.connected, ["A1SANDBOXSELLER", "A4SANDBOXSELLER"]);

    // Another app's client holds none of these tokens: nobody is marked, the first is chosen.
    await fetch(`${own.url}/_sandbox/apps`, { method: "POST", body: JSON.stringify(APP) });
    const other = await fetch(
      `${own.url}/apps/authorize/consent?${new URLSearchParams({ application_id: APP.applicationId, state: "s" })}`,
    );
    const otherPage = await other.text();
    assert.match(otherPage, /value="A1SANDBOXSELLER" checked/);
    assert.doesNotMatch(otherPage, /data-connected/);
  } finally {
    await own.close();
  }
});

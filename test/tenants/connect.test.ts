// Onboarding over real HTTP: /connect → Seller Central (the sandbox's consent simulator) → callback → keys.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { AUTHORIZATION_CODE_LIFETIME_MS } from "../../sandbox/auth/lwa.ts";
import { ADMIN_KEY, Browser, type ConnectorHarness, consentAt, openReconnectLink, startConnector } from "./harness.ts";

const US = "ATVPDKIKX0DER";
let h: ConnectorHarness;
before(async () => {
  h = await startConnector();
});
after(() => h.close());

/** /connect and the form: answers the redirect to Seller Central. */
async function startOnboarding(browser: Browser, fields: Record<string, string> = {}): Promise<URL> {
  const page = await browser.request(`${h.proxyUrl}/connect`);
  assert.equal(page.status, 200);
  const query = new URLSearchParams({
    name: "Delta Goods",
    origin: "https://delta.example",
    marketplace: US,
    ...fields,
  });
  const reply = await browser.request(`${h.proxyUrl}/connect/amazon?${query}`);
  assert.equal(reply.status, 302, await reply.text());
  assert.equal(reply.headers.get("referrer-policy"), "no-referrer");
  return new URL(reply.headers.get("location")!);
}

/** At Seller Central: the consent page, then Approve or Deny; answers the redirect back to the proxy. */
function consent(browser: Browser, consentUrl: URL, decision: "approve" | "deny", sellerId = "A1DELTASELLER") {
  assert.equal(consentUrl.origin, h.sandbox.url);
  return consentAt(browser, consentUrl, decision, sellerId);
}

/** The operator's reconnect link for a tenant (POST /v1/admin/tenants/{id}/reconnect). */
async function reconnectLink(tenantId: string): Promise<{ url: string; expiresAt: string }> {
  const reply = await fetch(`${h.proxyUrl}/v1/admin/tenants/${tenantId}/reconnect`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  assert.equal(reply.status, 200);
  return (await reply.json()) as { url: string; expiresAt: string };
}

/** The merchant opens the tenant's reconnect link: answers the redirect to Seller Central. */
async function startReconnect(browser: Browser, tenantId: string): Promise<URL> {
  const reply = await openReconnectLink(browser, (await reconnectLink(tenantId)).url);
  assert.equal(reply.status, 302, await reply.text());
  return new URL(reply.headers.get("location")!);
}

/** A seller onboarded through /connect: its tenant. */
async function onboard(sellerId: string, fields: Record<string, string> = {}) {
  const browser = new Browser();
  const done = await callback(
    browser,
    await consent(browser, await startOnboarding(browser, fields), "approve", sellerId),
  );
  assert.equal(done.status, 200, done.page);
  const publishableKey = /data-key="publishable">([^<]+)</.exec(done.page)?.[1];
  return (await h.store.resolveKey("publishable", publishableKey!))!;
}

async function callback(browser: Browser, url: URL) {
  const reply = await browser.request(url.href);
  assert.equal(reply.headers.get("referrer-policy"), "no-referrer");
  assert.equal(reply.headers.get("cache-control"), "no-store");
  const page = await reply.text();
  for (const secret of [url.searchParams.get("spapi_oauth_code"), url.searchParams.get("state")])
    if (secret) assert.ok(!page.includes(secret), "a page echoes Amazon's code or the state");
  return { status: reply.status, page };
}

function failureOf(page: string): string | undefined {
  return /data-failure="([a-zA-Z]+)"/.exec(page)?.[1];
}

async function tenantRows(): Promise<string> {
  return JSON.stringify((await sql`select * from mcf_tenants`.execute(h.store.db)).rows);
}

test("the onboarding page sets an httpOnly session and sends no referrer", async () => {
  const browser = new Browser();
  const reply = await browser.request(`${h.proxyUrl}/connect`);
  assert.equal(reply.status, 200);
  assert.equal(reply.headers.get("referrer-policy"), "no-referrer");
  assert.match(
    reply.headers.get("set-cookie") ?? "",
    /mcf_connect=[A-Za-z0-9_-]{43}; Max-Age=3600; Path=\/connect; HttpOnly; SameSite=Lax/,
  );
  const page = await reply.text();
  assert.match(page, /Connect your Amazon account/);
  assert.match(page, /<option value="ATVPDKIKX0DER">/);
  const ja = await new Browser("ja,en;q=0.5").request(`${h.proxyUrl}/connect`);
  assert.match(await ja.text(), /<html lang="ja">[\s\S]*Amazon アカウントを連携/);
});

test("consent URL: the marketplace's Seller Central (here the sandbox), application id, state, redirect URI", async () => {
  const url = await startOnboarding(new Browser());
  assert.equal(url.origin, h.sandbox.url);
  assert.equal(url.pathname, "/apps/authorize/consent");
  assert.equal(url.searchParams.get("application_id"), h.app.applicationId);
  assert.match(url.searchParams.get("state")!, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(url.searchParams.get("redirect_uri"), h.app.redirectUri);
  assert.equal(url.searchParams.get("version"), null);
  // MCF_APP_DRAFT=true: Amazon wants version=beta, and the sandbox's Draft app accepts only that.
  h.app.draft = true;
  try {
    const draft = await startOnboarding(new Browser());
    assert.equal(draft.searchParams.get("version"), "beta");
  } finally {
    h.app.draft = false;
  }
});

test("consent → callback → keys: the tenant exists, its keys work, secrets are sealed or hashed at rest", async () => {
  const before = await h.store.count();
  const browser = new Browser();
  const back = await consent(browser, await startOnboarding(browser), "approve", "A1DELTASELLER");
  const { status, page } = await callback(browser, back);
  assert.equal(status, 200, page);
  assert.match(page, /Your Amazon account is connected/);
  const publishableKey = /data-key="publishable">([^<]+)</.exec(page)?.[1];
  const secretKey = /data-key="secret">([^<]+)</.exec(page)?.[1];
  assert.match(publishableKey ?? "", /^pk_/);
  assert.match(secretKey ?? "", /^sk_/);
  assert.ok(page.includes(`publishable-key=&quot;${publishableKey}&quot;`), "the script tag to paste carries the key");
  assert.ok(page.includes(`${h.proxyUrl}/widget.js`));
  assert.equal(await h.store.count(), before + 1);
  const tenant = await h.store.resolveKey("secret", secretKey!);
  assert.equal(tenant?.sellingPartnerId, "A1DELTASELLER");
  assert.deepEqual(tenant?.marketplaceIds, [US]);
  assert.deepEqual(tenant?.allowedOrigins, ["https://delta.example"]);
  assert.equal(tenant?.status, "active");
  assert.equal((await h.store.resolveKey("publishable", publishableKey!))?.id, tenant?.id);
  // The refresh token the sandbox issued to this seller is the one stored, and only sealed.
  const issued = h.sandbox.app.sandbox.lwa.sellers.filter((s) => s.sellerId === "A1DELTASELLER").at(-1)!.refreshToken;
  assert.equal(await h.store.refreshToken(tenant!.id), issued);
  const rows = await tenantRows();
  assert.ok(!rows.includes(issued), "refresh token stored in clear");
  assert.ok(!rows.includes(secretKey!), "secret key stored in clear");
  assert.ok(!page.includes(issued), "refresh token shown to the merchant");
});

test("re-authorisation through the operator's reconnect link replaces the refresh token and keeps the keys", async () => {
  const tenant = await onboard("A1RENEWSELLER");
  await h.store.markNeedsReauthorisation(tenant.id);
  const oldToken = await h.store.refreshToken(tenant.id);
  const link = await reconnectLink(tenant.id);
  assert.match(link.url, new RegExp(`^${h.proxyUrl}/connect/amazon/reconnect\\?token=[A-Za-z0-9_-]{32}$`));
  assert.equal(Date.parse(link.expiresAt), h.storeClock.now() + 10 * 60_000);
  const browser = new Browser("ja");
  // Opening the link shows a button; only pressing it uses the link (a link preview does not).
  const preview = await new Browser().request(link.url);
  assert.equal(preview.status, 200);
  assert.match(await preview.text(), /<form method="post" action="\/connect\/amazon\/reconnect">/);
  const toAmazon = await openReconnectLink(browser, link.url);
  assert.equal(toAmazon.status, 302);
  const renewed = await callback(
    browser,
    await consent(browser, new URL(toAmazon.headers.get("location")!), "approve", "A1RENEWSELLER"),
  );
  assert.equal(renewed.status, 200, renewed.page);
  assert.match(renewed.page, /<html lang="ja">[\s\S]*Amazon アカウントが再連携されました/);
  assert.ok(!/data-key="secret"/.test(renewed.page), "no new secret key is shown");
  const after = await h.store.get(tenant.id);
  assert.equal(after?.status, "active");
  assert.equal(after?.publishableKey, tenant.publishableKey);
  assert.equal(after?.name, tenant.name);
  assert.notEqual(await h.store.refreshToken(tenant.id), oldToken);
  // The link worked once.
  const again = await openReconnectLink(new Browser(), link.url);
  assert.equal(failureOf(await again.text()), "stateUnknown");
});

test("a reconnect link: single-use, 10 minutes, bound to the browser that opened it; a state is no link", async () => {
  const tenant = await onboard("A1LINKSELLER");
  const before = await tenantRows();
  const expired = await reconnectLink(tenant.id);
  h.storeClock.advance(10 * 60_000);
  assert.equal(failureOf(await (await openReconnectLink(new Browser(), expired.url)).text()), "stateExpired");
  // The consent it starts is this browser's: another browser's callback is refused.
  const browser = new Browser();
  const back = await consent(browser, await startReconnect(browser, tenant.id), "approve", "A1LINKSELLER");
  assert.equal(failureOf((await callback(new Browser(), back)).page), "stateSession");
  // A /connect state is no reconnect token, and a reconnect token is no callback state.
  const state = (await startOnboarding(browser)).searchParams.get("state")!;
  const link = new URL(expired.url);
  link.searchParams.set("token", state);
  assert.equal(failureOf(await (await openReconnectLink(browser, link.href)).text()), "stateUnknown");
  const token = new URL((await reconnectLink(tenant.id)).url).searchParams.get("token")!;
  const forged = new URL(back);
  forged.searchParams.set("state", token);
  assert.equal(failureOf((await callback(browser, forged)).page), "stateSession");
  // Another site's form cannot press the button for this browser.
  const crossSite = await browser.request(`${h.proxyUrl}/connect/amazon/reconnect`, {
    method: "POST",
    headers: { "sec-fetch-site": "cross-site" },
    body: new URLSearchParams({ token: new URL((await reconnectLink(tenant.id)).url).searchParams.get("token")! }),
  });
  assert.equal(failureOf(await crossSite.text()), "stateSession");
  assert.equal(await tenantRows(), before);
  const missing = await fetch(`${h.proxyUrl}/v1/admin/tenants/tn_nobody/reconnect`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  assert.equal(missing.status, 404);
});

/** The text a page shows for `markup` (entities decoded). */
const shown = (markup: string) =>
  markup
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

test("the snippet follows the marketplace: its country, and a unit price in its currency's precision", async () => {
  const browser = new Browser();
  const onboarding = await startOnboarding(browser, { name: "Sakura Goods", marketplace: "A1VC38T7YXB528" });
  const reply = await browser.request((await consent(browser, onboarding, "approve", "A1SAKURASELLER")).href);
  assert.equal(reply.status, 200);
  const snippet = shown(/<pre data-snippet>([\s\S]*?)<\/pre>/.exec(await reply.text())?.[1] ?? "");
  assert.match(snippet, /<option>JP<\/option>/);
  assert.match(snippet, /declaredValue: "1500"/, "yen have no decimals");
});

test("the connected page is the next step: README's embed, what each key is for, the setup guide", async () => {
  const browser = new Browser();
  const reply = await browser.request(
    (await consent(browser, await startOnboarding(browser), "approve", "A1EMBEDSELLER")).href,
  );
  assert.equal(reply.status, 200);
  const csp = reply.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src/, "no script runs on the page");
  const page = await reply.text();
  assert.doesNotMatch(page, /<script/i, "the snippet is shown, never run");
  assert.match(page, /<link rel="icon" href="data:,">/, "no /favicon.ico request to 404");
  assert.match(csp, /img-src data:;/, "which the policy lets load");
  const publishableKey = /data-key="publishable">([^<]+)</.exec(page)?.[1];
  const snippet = shown(/<pre data-snippet>([\s\S]*?)<\/pre>/.exec(page)?.[1] ?? "");
  assert.ok(snippet.startsWith(`<script type="module" src="${h.proxyUrl}/widget.js"></script>`), snippet);
  // The element inside the checkout form, following its address fields, as README's "The element" shows it.
  assert.match(
    snippet,
    /<form id="checkout"[^>]*>[\s\S]*<mcf-delivery-options[\s\S]*<\/mcf-delivery-options>[\s\S]*<\/form>/,
  );
  for (const attribute of [
    'name="quote"',
    " required ",
    'address-form="#checkout"',
    `publishable-key="${publishableKey}"`,
    `marketplace-id="${US}"`,
    'autocomplete="shipping postal-code"',
    'autocomplete="shipping country" name="country"><option>US</option>',
  ])
    assert.ok(snippet.includes(attribute), `${attribute} in ${snippet}`);
  assert.match(snippet, /delivery\.items = \[\{ sku: "[A-Z-]+", quantity: \d+, declaredValue: "12\.50" \}\]/);
  assert.ok(!snippet.includes("sk_"), "the secret key never goes into the snippet");
  const uses = Object.fromEntries(
    [...page.matchAll(/data-key-use="(\w+)">([^<]+)</g)].map((match) => [match[1], shown(match[2]!)]),
  );
  assert.match(uses.publishable, /your pages/);
  assert.match(uses.secret, /server/);
  assert.match(uses.secret, /POST \/v1\/orders and POST \/v1\/cart-values/);
  assert.match(uses.secret, /Never put it in a page/);
  // The guide: by default this proxy's /openapi.json; a deployment names its own.
  assert.equal(/<a data-docs href="([^"]+)"/.exec(page)?.[1], `${h.proxyUrl}/openapi.json`);
  h.connect.docsUrl = "https://docs.example/mcf-checkout#the-element";
  try {
    const other = new Browser();
    const next = await callback(other, await consent(other, await startOnboarding(other), "approve", "A1DOCSSELLER"));
    assert.equal(/<a data-docs href="([^"]+)"/.exec(next.page)?.[1], "https://docs.example/mcf-checkout#the-element");
  } finally {
    delete h.connect.docsUrl;
  }
});

test("the connected page's next step in every language: en, ja, de, fr, es", async () => {
  const texts = new Map<string, string>();
  for (const lang of ["en", "ja", "de", "fr", "es"]) {
    const browser = new Browser();
    const sellerId = `A1LANG${lang.toUpperCase()}SELLER`;
    const { status, page } = await callback(
      browser,
      await consent(browser, await startOnboarding(browser, { lang }), "approve", sellerId),
    );
    assert.equal(status, 200);
    assert.match(page, new RegExp(`<html lang="${lang}">`));
    const secretUse = shown(/data-key-use="secret">([^<]+)</.exec(page)?.[1] ?? "");
    const publishableUse = shown(/data-key-use="publishable">([^<]+)</.exec(page)?.[1] ?? "");
    assert.match(secretUse, /POST \/v1\/orders .*POST \/v1\/cart-values/, `${lang}: ${secretUse}`);
    assert.match(publishableUse, /publishable-key/, `${lang}: ${publishableUse}`);
    assert.ok(/<a data-docs href="[^"]+">[^<]+</.test(page));
    texts.set(lang, secretUse + publishableUse + (/<a data-docs[^>]*>([^<]+)</.exec(page)?.[1] ?? ""));
  }
  assert.equal(new Set(texts.values()).size, 5, "each language its own words");
});

test("hijack: an edited selling_partner_id naming an existing tenant is refused, the victim's token unchanged", async () => {
  const victim = await onboard("A1VICTIMSELLER", { name: "Victim Vases" });
  const victimToken = await h.store.refreshToken(victim.id);
  const before = await tenantRows();
  for (const lang of ["en", "fr"]) {
    // The attacker approves as their own seller, then edits the callback to name the victim's seller id.
    const attacker = new Browser();
    const back = await consent(attacker, await startOnboarding(attacker, { lang }), "approve", "A1ATTACKERSELLER");
    back.searchParams.set("selling_partner_id", "A1VICTIMSELLER");
    const { status, page } = await callback(attacker, back);
    assert.equal(status, 400);
    assert.equal(failureOf(page), "alreadyConnected");
    if (lang === "en")
      assert.match(
        page,
        /This Amazon account is already connected to a store\. To reconnect it, ask for a reconnect link\./,
      );
    else assert.match(page, /<html lang="fr">[\s\S]*demandez un lien de reconnexion/);
    for (const secret of [victim.name, victim.publishableKey, victim.id])
      assert.ok(!page.includes(secret), `the page reveals ${secret}`);
  }
  // The real seller onboarding again through /connect is refused the same way: only a reconnect link renews.
  const again = new Browser();
  const plain = await callback(again, await consent(again, await startOnboarding(again), "approve", "A1VICTIMSELLER"));
  assert.equal(failureOf(plain.page), "alreadyConnected");
  assert.doesNotMatch(
    plain.page,
    /href="\/connect\?/,
    "no 'Start again': /connect cannot mend it, a reconnect link does",
  );
  assert.equal(await h.store.refreshToken(victim.id), victimToken);
  assert.equal(await tenantRows(), before);
});

test("a reconnect link's consent approved as another seller is refused; nothing stored", async () => {
  const victim = await onboard("A1BOUNDSELLER");
  const victimToken = await h.store.refreshToken(victim.id);
  const before = await tenantRows();
  const browser = new Browser("de");
  const back = await consent(browser, await startReconnect(browser, victim.id), "approve", "A1OTHERSELLER");
  const refused = await callback(browser, back);
  assert.equal(refused.status, 400);
  assert.equal(failureOf(refused.page), "otherSeller");
  assert.match(refused.page, /<html lang="de">[\s\S]*Ein anderes Amazon-Konto/);
  // Nor may the link's consent, edited, name yet another tenant's seller.
  const other = await onboard("A1THIRDSELLER");
  const otherToken = await h.store.refreshToken(other.id);
  const edited = await consent(browser, await startReconnect(browser, victim.id), "approve", "A1BOUNDSELLER");
  edited.searchParams.set("selling_partner_id", "A1THIRDSELLER");
  assert.equal(failureOf((await callback(browser, edited)).page), "otherSeller");
  assert.equal(await h.store.refreshToken(victim.id), victimToken);
  assert.equal(await h.store.refreshToken(other.id), otherToken);
  assert.equal(
    JSON.stringify(JSON.parse(await tenantRows()).filter((row: { id: string }) => row.id !== other.id)),
    before,
  );
});

test("a tenant the operator created without a seller connects through its reconnect link", async () => {
  const reply = await fetch(`${h.proxyUrl}/v1/admin/tenants`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Lima Linen", marketplaceIds: [US], allowedOrigins: ["https://lima.example"] }),
  });
  assert.equal(reply.status, 201, await reply.clone().text());
  const pending = (await reply.json()) as { id: string; status: string };
  assert.equal(pending.status, "pending");
  const browser = new Browser();
  const back = await consent(browser, await startReconnect(browser, pending.id), "approve", "A1LIMASELLER");
  assert.match((await callback(browser, back)).page, /reconnected/);
  const tenant = await h.store.get(pending.id);
  assert.equal(tenant?.status, "active");
  assert.equal(tenant?.sellingPartnerId, "A1LIMASELLER");
  // A seller id another tenant holds is refused even for a tenant without one.
  const unbound = (await (
    await fetch(`${h.proxyUrl}/v1/admin/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Mike Mugs", marketplaceIds: [US], allowedOrigins: [] }),
    })
  ).json()) as { id: string };
  const taken = await consent(browser, await startReconnect(browser, unbound.id), "approve", "A1LIMASELLER");
  assert.equal(failureOf((await callback(browser, taken)).page), "alreadyConnected");
  assert.equal((await h.store.get(unbound.id))?.status, "pending");
});

test("deny: a clear page, nothing stored", async () => {
  const before = await tenantRows();
  const browser = new Browser("de-DE,de;q=0.9");
  const back = await consent(browser, await startOnboarding(browser, { lang: "de" }), "deny");
  const { status, page } = await callback(browser, back);
  assert.equal(status, 400);
  assert.equal(failureOf(page), "denied");
  assert.match(page, /Autorisierung abgebrochen/);
  assert.equal(await tenantRows(), before);
});

test("an expired code (over 5 minutes): a clear page, nothing stored", async () => {
  const before = await tenantRows();
  const browser = new Browser();
  const back = await consent(browser, await startOnboarding(browser), "approve", "A1LATESELLER");
  h.amazonClock.advance(AUTHORIZATION_CODE_LIFETIME_MS);
  const { status, page } = await callback(browser, back);
  assert.equal(status, 400);
  assert.equal(failureOf(page), "codeRejected");
  assert.match(page, /5 minutes/);
  assert.equal(await tenantRows(), before);
});

test("a replayed callback or code: a clear page, nothing stored twice", async () => {
  const browser = new Browser("ja");
  const back = await consent(browser, await startOnboarding(browser, { lang: "ja" }), "approve", "A1REPLAYSELLER");
  assert.equal((await callback(browser, back)).status, 200);
  const rows = await tenantRows();
  // The same callback again: its state is used up.
  const replay = await callback(browser, back);
  assert.equal(replay.status, 400);
  assert.equal(failureOf(replay.page), "stateUnknown");
  assert.match(replay.page, /このリンクは使用済みです/);
  // The old code with a fresh state (the tenant's reconnect link's, the one kind that reaches Amazon for a connected
  // seller): Amazon refuses a used code.
  const tenant = await h.store.findBySellingPartner("A1REPLAYSELLER", "na");
  const fresh = await startReconnect(browser, tenant!.id);
  const forged = new URL(back);
  forged.searchParams.set("state", fresh.searchParams.get("state")!);
  const reused = await callback(browser, forged);
  assert.equal(failureOf(reused.page), "codeRejected");
  assert.equal(await tenantRows(), rows);
});

test("state mismatch: unknown, from another session, or older than 10 minutes; nothing stored", async () => {
  const before = await tenantRows();
  const browser = new Browser();
  const back = await consent(browser, await startOnboarding(browser), "approve", "A1STATESELLER");
  const bogus = new URL(back);
  bogus.searchParams.set("state", "forged-state-value");
  assert.equal(failureOf((await callback(browser, bogus)).page), "stateUnknown");
  assert.equal(failureOf((await callback(new Browser(), back)).page), "stateSession", "another browser's callback");
  // That attempt used the state up: the rightful browser now sees it as used.
  assert.equal(failureOf((await callback(browser, back)).page), "stateUnknown");
  const slow = await consent(browser, await startOnboarding(browser), "approve", "A1STATESELLER");
  h.storeClock.advance(10 * 60_000);
  assert.equal(failureOf((await callback(browser, slow)).page), "stateExpired");
  const none = new URL(back);
  none.searchParams.delete("state");
  assert.equal(failureOf((await callback(browser, none)).page), "stateUnknown");
  assert.equal(await tenantRows(), before);
});

test("the form's fields are checked before anyone is sent to Amazon", async () => {
  const browser = new Browser();
  await browser.request(`${h.proxyUrl}/connect`);
  for (const fields of [
    { name: "", origin: "https://x.example", marketplace: US },
    { name: "X", origin: "not a url", marketplace: US },
    { name: "X", origin: "https://x.example/path", marketplace: US },
    { name: "X", origin: "https://x.example", marketplace: "NOPE" },
  ]) {
    const reply = await browser.request(`${h.proxyUrl}/connect/amazon?${new URLSearchParams(fields)}`);
    assert.equal(reply.status, 400, JSON.stringify(fields));
    assert.equal(failureOf(await reply.text()), "badInput");
  }
  const noSession = await new Browser().request(
    `${h.proxyUrl}/connect/amazon?name=X&origin=https://x.example&marketplace=${US}`,
  );
  assert.equal(noSession.status, 302);
  assert.match(noSession.headers.get("location")!, /^\/connect\?lang=en$/);
});

test("one seller onboarding twice at once ends as one tenant: one page shows the keys, the other is refused", async () => {
  const [first, second] = [new Browser(), new Browser()];
  const backs = [
    await consent(first, await startOnboarding(first), "approve", "A1RACESELLER"),
    await consent(second, await startOnboarding(second), "approve", "A1RACESELLER"),
  ];
  const pages = await Promise.all([callback(first, backs[0]!), callback(second, backs[1]!)]);
  assert.deepEqual(pages.map((page) => page.status).sort(), [200, 400]);
  assert.equal(pages.filter((page) => /data-key="secret"/.test(page.page)).length, 1);
  assert.equal(pages.filter((page) => failureOf(page.page) === "alreadyConnected").length, 1);
  const tenants = (await h.store.list()).filter((tenant) => tenant.sellingPartnerId === "A1RACESELLER");
  assert.equal(tenants.length, 1);
});

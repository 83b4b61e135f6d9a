// Seller Central's consent page, simulated: GET /apps/authorize/consent shows an Approve / Deny page for test sellers,
// POST redirects to the app's redirect URI with state, selling_partner_id and spapi_oauth_code, or an error. The code
// is then exchanged at LWA (grant_type=authorization_code, see ../auth/lwa.ts). Outside Amazon's contract:
// POST /_sandbox/apps registers a public app, POST /_sandbox/sellers/{id}/revoke revokes a seller's refresh tokens.
import type { Context } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ConnectorApp } from "../auth/lwa.ts";
import type { SandboxApp, SandboxContext, SandboxEnv } from "../context.ts";
import { CONTROL_PREFIX } from "../routes/control.ts";

export const CONSENT_PATH = "/apps/authorize/consent";

const SELLER_ID = /^[A-Z0-9]{5,32}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

type Consent =
  | { ok: true; app: Required<ConnectorApp>; state: string; redirectUri: string; beta: boolean }
  | { ok: false; status: 400 | 404; message: string };

function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}

/** Checks what Amazon checks before showing consent: a known app, a state, a registered redirect URI, Draft apps in beta. */
function checkConsent(ctx: SandboxContext, params: Record<string, string | undefined>): Consent {
  const app = ctx.lwa.apps.get(params.application_id ?? "");
  if (!app) return { ok: false, status: 404, message: "No app with this application_id is registered." };
  if (app.draft && params.version !== "beta")
    return { ok: false, status: 400, message: "This app is in Draft: only version=beta authorises it." };
  const state = params.state ?? "";
  if (!state) return { ok: false, status: 400, message: "The state parameter is required." };
  const asked = params.redirect_uri;
  const redirectUri = asked ?? app.redirectUris[0];
  const registered =
    app.redirectUris.length === 0
      ? isLoopbackUrl(redirectUri ?? "")
      : app.redirectUris.includes(asked ?? redirectUri ?? "");
  if (!redirectUri || !registered)
    return { ok: false, status: 400, message: "redirect_uri is not one of the app's registered OAuth redirect URIs." };
  return { ok: true, app, state, redirectUri, beta: params.version === "beta" };
}

function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${title} · Seller Central (sandbox)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
h1{overflow-wrap:anywhere}button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem}fieldset{margin:1rem 0}</style></head>
<body><p><strong>Seller Central</strong> · local sandbox</p><main>${body}</main></body></html>`;
}

function respond(c: Context<SandboxEnv>, status: 200 | 400 | 404, markup: ReturnType<typeof page>) {
  c.header("referrer-policy", "no-referrer");
  c.header("cache-control", "no-store");
  return c.html(markup, status);
}

function redirectWith(c: Context<SandboxEnv>, redirectUri: string, params: Record<string, string>) {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  c.header("referrer-policy", "no-referrer");
  c.header("cache-control", "no-store");
  return c.redirect(url.href, 302);
}

/** A test seller id no seller has yet, in the sandbox's own pattern (A5SANDBOXSELLER after four). */
function freshSellerId(sellers: readonly string[]): string {
  let n = sellers.length + 1;
  while (sellers.includes(`A${n}SANDBOXSELLER`)) n++;
  return `A${n}SANDBOXSELLER`;
}

function knownSellers(ctx: SandboxContext): string[] {
  return [...new Set(ctx.lwa.sellers.map((seller) => seller.sellerId))];
}

export function registerConnect(app: SandboxApp, ctx: SandboxContext, options: { control?: boolean } = {}): void {
  app.get(CONSENT_PATH, (c) => {
    const consent = checkConsent(ctx, c.req.query());
    if (!consent.ok)
      return respond(
        c,
        consent.status,
        page("Cannot authorise", html`<h1>Cannot authorise</h1><p>${consent.message}</p>`),
      );
    const sellers = knownSellers(ctx);
    // A newcomer who just clicks Approve connects a seller new to this app, not one it already serves.
    const authorised = ctx.lwa.authorisedSellers(consent.app.clientId);
    const chosen = sellers.find((id) => !authorised.has(id));
    // Every listed seller already serves this app: the fresh id below is the default, so Approve still connects anew.
    const fresh = chosen ? "" : freshSellerId(sellers);
    const choice = (id: string) =>
      html`<label${authorised.has(id) ? html` data-connected` : ""}><input type="radio" name="selling_partner_id" value="${id}"${id === chosen ? " checked" : ""}> ${id}${authorised.has(id) ? html` <small>(already connected to this app)</small>` : ""}</label><br>`;
    const form = html`<h1>Authorise ${consent.app.applicationId}</h1>
<p>The app asks to manage your Multi-Channel Fulfillment orders. Choose the test seller that signs in.</p>
<form method="post" action="${CONSENT_PATH}">
<input type="hidden" name="application_id" value="${consent.app.applicationId}">
<input type="hidden" name="state" value="${consent.state}">
<input type="hidden" name="redirect_uri" value="${consent.redirectUri}">
${consent.beta ? html`<input type="hidden" name="version" value="beta">` : ""}
<fieldset><legend>Test seller</legend>
${sellers.map(choice)}
<label>or another: <input name="new_selling_partner_id" pattern="[A-Z0-9]{5,32}" placeholder="A1NEWSELLER"${fresh ? html` value="${fresh}"` : ""}></label>
</fieldset>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`;
    return respond(c, 200, page("Authorise app", form));
  });

  app.post(CONSENT_PATH, async (c) => {
    const form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).map(([name, value]) => [
        name,
        typeof value === "string" ? value : undefined,
      ]),
    );
    const consent = checkConsent(ctx, form);
    if (!consent.ok)
      return respond(
        c,
        consent.status,
        page("Cannot authorise", html`<h1>Cannot authorise</h1><p>${consent.message}</p>`),
      );
    if (form.decision === "deny")
      return redirectWith(c, consent.redirectUri, {
        state: consent.state,
        error: "access_denied",
        error_description: "The seller denied the authorisation.",
      });
    if (form.decision !== "approve")
      return respond(c, 400, page("Cannot authorise", html`<h1>Cannot authorise</h1><p>Choose Approve or Deny.</p>`));
    const sellerId = form.new_selling_partner_id || form.selling_partner_id || "";
    if (!SELLER_ID.test(sellerId))
      return respond(
        c,
        400,
        page(
          "Cannot authorise",
          html`<h1>Cannot authorise</h1><p>Choose a test seller (A-Z and 0-9, 5 to 32 characters).</p>`,
        ),
      );
    return redirectWith(c, consent.redirectUri, {
      state: consent.state,
      selling_partner_id: sellerId,
      spapi_oauth_code: ctx.lwa.issueCode(consent.app, sellerId, consent.redirectUri),
    });
  });

  if (options.control === false) return;

  app.post(`${CONTROL_PREFIX}/apps`, async (c) => {
    let body: Partial<ConnectorApp>;
    try {
      body = (await c.req.json()) as Partial<ConnectorApp>;
    } catch {
      return c.json({ error: "invalid_request", message: "body must be JSON" }, 400);
    }
    const uris = body.redirectUris;
    if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === "string" && URL.canParse(uri)))
      return c.json({ error: "invalid_request", message: "redirectUris must be a list of absolute URLs" }, 400);
    try {
      ctx.lwa.registerApp({ ...(body as ConnectorApp), redirectUris: uris });
    } catch (error) {
      return c.json({ error: "invalid_request", message: (error as Error).message }, 400);
    }
    const registered = ctx.lwa.apps.get(body.applicationId!)!;
    return c.json(
      { applicationId: registered.applicationId, redirectUris: registered.redirectUris, draft: registered.draft },
      201,
    );
  });

  app.post(`${CONTROL_PREFIX}/sellers/:sellerId/revoke`, (c) =>
    c.json({ sellerId: c.req.param("sellerId"), revoked: ctx.lwa.revokeSeller(c.req.param("sellerId")) }),
  );
}

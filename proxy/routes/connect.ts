// The onboarding page for connector mode, server-rendered: /connect asks for the store, /connect/amazon sends the
// merchant to Seller Central's consent page, /connect/amazon/callback exchanges Amazon's code for the seller's
// refresh token and shows the keys (the secret once, each with what it is for), the embed snippet and the setup
// guide. Every failure shows a page in the merchant's language and stores nothing. The seller id in the callback's
// URL is the browser's word (LWA's answer does not name the seller), so a callback never touches an existing tenant
// unless its state came from that tenant's reconnect link (/connect/amazon/reconnect, issued by the operator API).
import type { Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AppEnv } from "../context.ts";
import { findMarketplace } from "../marketplaces/index.ts";
import { minorDigits } from "../money/index.ts";
import { consentUrl, SELLER_CENTRAL_HOSTS } from "../tenants/consent.ts";
import { randomId } from "../tenants/crypto.ts";
import type { Tenant } from "../tenants/model.ts";
import type { ConsentRequest } from "../tenants/states.ts";
import type { TenantStore, TenantWithKeys } from "../tenants/store.ts";

export interface ConnectApp {
  /** The SP-API application id sellers authorise (`amzn1.sellerapps.app.…`). */
  applicationId: string;
  /** The app's LWA client. */
  clientId: string;
  clientSecret: string;
  /** This proxy's callback as registered with the app: `https://…/connect/amazon/callback`. */
  redirectUri: string;
  /** MCF_APP_DRAFT=true: the app is in Draft, consent needs `version=beta`. */
  draft: boolean;
}

export interface ConnectContext {
  tenants: TenantStore;
  app: ConnectApp;
  /** LWA's token endpoint (https://api.amazon.com/auth/o2/token, or the sandbox's). */
  lwaTokenUrl: string;
  /** Replaces Seller Central's host (the local sandbox's consent simulator). */
  sellerCentralUrl?: string;
  fetch?: typeof fetch;
  /** Where the element bundle is served, for the script tag (default: this proxy's /widget.js). */
  widgetUrl?: string;
  /**
   * The setup guide the connected page links to: embedding the element and calling the API (e.g. the README's
   * "The element" section where the deployment publishes it); default: this proxy's /openapi.json.
   */
  docsUrl?: string;
  /**
   * The merchant's store page for a tenant, linked from the connected and reconnected pages (a platform that hosts
   * its merchants' storefronts, as the demo does); undefined: no link.
   */
  storePageUrl?: (tenant: Tenant) => string | undefined;
  /**
   * Called once a new tenant is stored, with the keys its page shows, before the page is sent: for a platform that
   * runs its merchants' servers too (the demo's storefront), which keeps the secret key there. Not called on a
   * re-authorisation (the keys are unchanged). A failure is logged by the app and the page is not shown.
   */
  onConnected?: (connected: TenantWithKeys) => void | Promise<void>;
}

export const SESSION_COOKIE = "mcf_connect";
const LWA_TIMEOUT_MS = 10_000;
const LOCALES = ["en", "ja", "de", "fr", "es"] as const;
type Locale = (typeof LOCALES)[number];

type Failure =
  | "denied"
  | "stateUnknown"
  | "stateExpired"
  | "stateSession"
  | "codeRejected"
  | "amazonDown"
  | "badInput"
  | "alreadyConnected"
  | "otherSeller";

interface Messages {
  title: string;
  intro: string;
  storeName: string;
  storeOrigin: string;
  marketplace: string;
  connect: string;
  startAgain: string;
  connectedTitle: string;
  reconnectedTitle: string;
  reconnected: string;
  /** The reconnect link's page, before the seller is sent to Amazon. */
  reconnectIntro: string;
  publishableKey: string;
  publishableUse: string;
  secretKey: string;
  secretUse: string;
  secretOnce: string;
  scriptTag: string;
  snippetNote: string;
  docs: string;
  storePage: string;
  failures: Record<Failure, [title: string, detail: string]>;
}

const MESSAGES: Record<Locale, Messages> = {
  en: {
    title: "Connect your Amazon account",
    intro: "Offer Amazon Multi-Channel Fulfillment delivery options at your checkout.",
    storeName: "Store name",
    storeOrigin: "Store address (origin), e.g. https://shop.example",
    marketplace: "Amazon marketplace",
    connect: "Connect your Amazon account",
    startAgain: "Start again",
    connectedTitle: "Your Amazon account is connected",
    reconnectedTitle: "Your Amazon account is reconnected",
    reconnected: "Amazon's authorisation is renewed for another 365 days. Your keys are unchanged.",
    reconnectIntro:
      "Approve the app again at Amazon, signed in as this store's seller, to renew its authorisation. Your keys stay the same.",
    publishableKey: "Publishable key (for your store pages)",
    secretKey: "Secret key (for your server)",
    secretOnce: "Copy the secret key now: it is shown only this once.",
    scriptTag: "Paste this into your checkout page",
    snippetNote:
      'The element goes inside your checkout form, after the address fields (autocomplete="shipping …"); set its items to the cart.',
    publishableUse:
      "It goes in your pages (the element's publishable-key). Browsers see it: it can only ask for delivery options and place orders on Hold.",
    secretUse:
      "Your server only: it calls POST /v1/orders and POST /v1/cart-values with Authorization: Bearer <secret key>. Never put it in a page.",
    docs: "Setup guide: the element and the API",
    storePage: "Open your store page",
    failures: {
      denied: ["Authorisation cancelled", "You did not authorise the app at Amazon, so nothing was connected."],
      stateUnknown: [
        "This link was already used",
        "This authorisation link is unknown or was already used. Nothing was connected; start again.",
      ],
      stateExpired: [
        "This link has expired",
        "More than 10 minutes passed since you started. Nothing was connected; start again.",
      ],
      stateSession: [
        "Started in another browser",
        "This authorisation was started in another browser or session. Nothing was connected; start again here.",
      ],
      codeRejected: [
        "Amazon's code has expired or was already used",
        "Amazon's authorisation code lasts 5 minutes and works once. Nothing was connected; start again.",
      ],
      amazonDown: ["Amazon did not answer", "Amazon could not be reached. Nothing was connected; try again shortly."],
      badInput: ["Please check the form", "Some details are missing or invalid."],
      alreadyConnected: [
        "This Amazon account is already connected",
        "This Amazon account is already connected to a store. To reconnect it, ask for a reconnect link.",
      ],
      otherSeller: [
        "Another Amazon account",
        "This link reconnects a store to the Amazon account it was connected with, and you approved as another seller. Nothing was changed; sign in to Seller Central as that store's seller and ask for a new reconnect link.",
      ],
    },
  },
  ja: {
    title: "Amazon アカウントを連携",
    intro: "Amazon マルチチャネルサービスの配送オプションをチェックアウトに表示します。",
    storeName: "ストア名",
    storeOrigin: "ストアのアドレス（オリジン）例: https://shop.example",
    marketplace: "Amazon マーケットプレイス",
    connect: "Amazon アカウントを連携",
    startAgain: "最初からやり直す",
    connectedTitle: "Amazon アカウントが連携されました",
    reconnectedTitle: "Amazon アカウントが再連携されました",
    reconnected: "Amazon の認可がさらに 365 日更新されました。キーは変わりません。",
    reconnectIntro:
      "このストアの出品者としてサインインし、Amazon でアプリをもう一度承認すると、認可が更新されます。キーは変わりません。",
    publishableKey: "公開キー（ストアのページ用）",
    secretKey: "シークレットキー（サーバー用）",
    secretOnce: "シークレットキーは今回のみ表示されます。今すぐコピーしてください。",
    scriptTag: "チェックアウトページに貼り付けてください",
    snippetNote:
      '要素はチェックアウトフォームの中、住所欄（autocomplete="shipping …"）の後に置き、items にカートの商品を設定してください。',
    publishableUse:
      "ストアのページ（要素の publishable-key）で使います。ブラウザーから見えますが、配送オプションの取得と保留（Hold）注文の作成しかできません。",
    secretUse:
      "サーバー専用です。サーバーが Authorization: Bearer <シークレットキー> で POST /v1/orders と POST /v1/cart-values を呼び出します。ページには絶対に含めないでください。",
    docs: "設定ガイド：要素と API",
    storePage: "ストアのページを開く",
    failures: {
      denied: ["認可がキャンセルされました", "Amazon でアプリが認可されなかったため、何も連携されていません。"],
      stateUnknown: [
        "このリンクは使用済みです",
        "この認可リンクは不明か、すでに使用されています。何も連携されていません。最初からやり直してください。",
      ],
      stateExpired: [
        "このリンクは期限切れです",
        "開始から 10 分以上経過しました。何も連携されていません。最初からやり直してください。",
      ],
      stateSession: [
        "別のブラウザで開始されました",
        "この認可は別のブラウザまたはセッションで開始されました。何も連携されていません。ここで最初からやり直してください。",
      ],
      codeRejected: [
        "Amazon のコードは期限切れか使用済みです",
        "Amazon の認可コードの有効期間は 5 分で、一度だけ使えます。何も連携されていません。最初からやり直してください。",
      ],
      amazonDown: [
        "Amazon から応答がありません",
        "Amazon に接続できませんでした。何も連携されていません。しばらくしてからもう一度お試しください。",
      ],
      badInput: ["入力内容をご確認ください", "未入力または無効な項目があります。"],
      alreadyConnected: [
        "この Amazon アカウントはすでに連携されています",
        "この Amazon アカウントはすでにストアに連携されています。再連携するには、再連携用のリンクを依頼してください。",
      ],
      otherSeller: [
        "別の Amazon アカウントです",
        "このリンクはストアを連携済みの Amazon アカウントに再連携するためのものですが、別の出品者として承認されました。何も変更されていません。そのストアの出品者としてセラーセントラルにサインインし、新しい再連携用のリンクを依頼してください。",
      ],
    },
  },
  de: {
    title: "Amazon-Konto verbinden",
    intro: "Bieten Sie Versandoptionen von Amazon Multi-Channel Fulfillment in Ihrem Checkout an.",
    storeName: "Name des Shops",
    storeOrigin: "Adresse des Shops (Origin), z. B. https://shop.example",
    marketplace: "Amazon-Marktplatz",
    connect: "Amazon-Konto verbinden",
    startAgain: "Neu beginnen",
    connectedTitle: "Ihr Amazon-Konto ist verbunden",
    reconnectedTitle: "Ihr Amazon-Konto ist erneut verbunden",
    reconnected: "Die Autorisierung bei Amazon gilt weitere 365 Tage. Ihre Schlüssel bleiben gleich.",
    reconnectIntro:
      "Stimmen Sie der App bei Amazon erneut zu, angemeldet als Verkäufer dieses Shops, um die Autorisierung zu erneuern. Ihre Schlüssel bleiben gleich.",
    publishableKey: "Öffentlicher Schlüssel (für Ihre Shop-Seiten)",
    secretKey: "Geheimer Schlüssel (für Ihren Server)",
    secretOnce: "Kopieren Sie den geheimen Schlüssel jetzt: Er wird nur dieses eine Mal angezeigt.",
    scriptTag: "Fügen Sie dies in Ihre Checkout-Seite ein",
    snippetNote:
      'Das Element gehört in Ihr Checkout-Formular, nach den Adressfeldern (autocomplete="shipping …"); übergeben Sie den Warenkorb als items.',
    publishableUse:
      "Er gehört in Ihre Seiten (publishable-key des Elements). Browser sehen ihn: Er kann nur Versandoptionen abfragen und Bestellungen auf Hold anlegen.",
    secretUse:
      "Nur für Ihren Server: Er ruft POST /v1/orders und POST /v1/cart-values mit Authorization: Bearer <geheimer Schlüssel> auf. Niemals in eine Seite einfügen.",
    docs: "Einrichtungsanleitung: Element und API",
    storePage: "Ihre Shop-Seite öffnen",
    failures: {
      denied: [
        "Autorisierung abgebrochen",
        "Sie haben die App bei Amazon nicht autorisiert; es wurde nichts verbunden.",
      ],
      stateUnknown: [
        "Dieser Link wurde bereits verwendet",
        "Dieser Autorisierungslink ist unbekannt oder wurde bereits verwendet. Es wurde nichts verbunden; bitte neu beginnen.",
      ],
      stateExpired: [
        "Dieser Link ist abgelaufen",
        "Seit dem Start sind mehr als 10 Minuten vergangen. Es wurde nichts verbunden; bitte neu beginnen.",
      ],
      stateSession: [
        "In einem anderen Browser begonnen",
        "Diese Autorisierung wurde in einem anderen Browser oder einer anderen Sitzung begonnen. Es wurde nichts verbunden; bitte hier neu beginnen.",
      ],
      codeRejected: [
        "Amazons Code ist abgelaufen oder wurde bereits verwendet",
        "Amazons Autorisierungscode gilt 5 Minuten und nur einmal. Es wurde nichts verbunden; bitte neu beginnen.",
      ],
      amazonDown: [
        "Amazon antwortet nicht",
        "Amazon war nicht erreichbar. Es wurde nichts verbunden; bitte gleich erneut versuchen.",
      ],
      badInput: ["Bitte prüfen Sie das Formular", "Angaben fehlen oder sind ungültig."],
      alreadyConnected: [
        "Dieses Amazon-Konto ist bereits verbunden",
        "Dieses Amazon-Konto ist bereits mit einem Shop verbunden. Um es erneut zu verbinden, fordern Sie einen Link zum erneuten Verbinden an.",
      ],
      otherSeller: [
        "Ein anderes Amazon-Konto",
        "Dieser Link verbindet einen Shop erneut mit seinem bisherigen Amazon-Konto, und Sie haben als ein anderer Verkäufer zugestimmt. Es wurde nichts geändert; melden Sie sich bei Seller Central als Verkäufer dieses Shops an und fordern Sie einen neuen Link an.",
      ],
    },
  },
  fr: {
    title: "Connecter votre compte Amazon",
    intro: "Proposez les options de livraison d'Amazon Multi-Channel Fulfillment à votre paiement.",
    storeName: "Nom de la boutique",
    storeOrigin: "Adresse de la boutique (origine), par ex. https://shop.example",
    marketplace: "Place de marché Amazon",
    connect: "Connecter votre compte Amazon",
    startAgain: "Recommencer",
    connectedTitle: "Votre compte Amazon est connecté",
    reconnectedTitle: "Votre compte Amazon est reconnecté",
    reconnected: "L'autorisation Amazon est renouvelée pour 365 jours. Vos clés ne changent pas.",
    reconnectIntro:
      "Approuvez de nouveau l'application chez Amazon, connecté en tant que vendeur de cette boutique, pour renouveler son autorisation. Vos clés ne changent pas.",
    publishableKey: "Clé publique (pour les pages de votre boutique)",
    secretKey: "Clé secrète (pour votre serveur)",
    secretOnce: "Copiez la clé secrète maintenant : elle n'est affichée qu'une seule fois.",
    scriptTag: "Collez ceci dans votre page de paiement",
    snippetNote:
      "L'élément se place dans votre formulaire de paiement, après les champs d'adresse (autocomplete=\"shipping …\") ; donnez-lui le panier dans items.",
    publishableUse:
      "Elle va dans vos pages (publishable-key de l'élément). Les navigateurs la voient : elle ne peut que demander les options de livraison et créer des commandes en attente (Hold).",
    secretUse:
      "Réservée à votre serveur : il appelle POST /v1/orders et POST /v1/cart-values avec Authorization: Bearer <clé secrète>. Ne la mettez jamais dans une page.",
    docs: "Guide d'intégration : l'élément et l'API",
    storePage: "Ouvrir la page de votre boutique",
    failures: {
      denied: ["Autorisation annulée", "Vous n'avez pas autorisé l'application chez Amazon ; rien n'a été connecté."],
      stateUnknown: [
        "Ce lien a déjà été utilisé",
        "Ce lien d'autorisation est inconnu ou a déjà été utilisé. Rien n'a été connecté ; recommencez.",
      ],
      stateExpired: [
        "Ce lien a expiré",
        "Plus de 10 minutes se sont écoulées depuis le début. Rien n'a été connecté ; recommencez.",
      ],
      stateSession: [
        "Commencé dans un autre navigateur",
        "Cette autorisation a commencé dans un autre navigateur ou une autre session. Rien n'a été connecté ; recommencez ici.",
      ],
      codeRejected: [
        "Le code d'Amazon a expiré ou a déjà été utilisé",
        "Le code d'autorisation d'Amazon est valable 5 minutes et une seule fois. Rien n'a été connecté ; recommencez.",
      ],
      amazonDown: [
        "Amazon ne répond pas",
        "Amazon est injoignable. Rien n'a été connecté ; réessayez dans un instant.",
      ],
      badInput: ["Vérifiez le formulaire", "Des informations manquent ou sont invalides."],
      alreadyConnected: [
        "Ce compte Amazon est déjà connecté",
        "Ce compte Amazon est déjà connecté à une boutique. Pour le reconnecter, demandez un lien de reconnexion.",
      ],
      otherSeller: [
        "Un autre compte Amazon",
        "Ce lien reconnecte une boutique au compte Amazon auquel elle était connectée, et vous avez approuvé en tant qu'autre vendeur. Rien n'a été modifié ; connectez-vous à Seller Central en tant que vendeur de cette boutique et demandez un nouveau lien de reconnexion.",
      ],
    },
  },
  es: {
    title: "Conecta tu cuenta de Amazon",
    intro: "Ofrece las opciones de entrega de Amazon Multi-Channel Fulfillment en tu pago.",
    storeName: "Nombre de la tienda",
    storeOrigin: "Dirección de la tienda (origen), p. ej. https://shop.example",
    marketplace: "Tienda de Amazon",
    connect: "Conecta tu cuenta de Amazon",
    startAgain: "Empezar de nuevo",
    connectedTitle: "Tu cuenta de Amazon está conectada",
    reconnectedTitle: "Tu cuenta de Amazon se ha vuelto a conectar",
    reconnected: "La autorización de Amazon se renueva por 365 días. Tus claves no cambian.",
    reconnectIntro:
      "Vuelve a aprobar la aplicación en Amazon, con la sesión del vendedor de esta tienda, para renovar su autorización. Tus claves no cambian.",
    publishableKey: "Clave pública (para las páginas de tu tienda)",
    secretKey: "Clave secreta (para tu servidor)",
    secretOnce: "Copia la clave secreta ahora: solo se muestra esta vez.",
    scriptTag: "Pega esto en tu página de pago",
    snippetNote:
      'El elemento va dentro de tu formulario de pago, después de los campos de dirección (autocomplete="shipping …"); asígnale el carrito en items.',
    publishableUse:
      "Va en tus páginas (publishable-key del elemento). Los navegadores la ven: solo puede pedir opciones de entrega y crear pedidos en espera (Hold).",
    secretUse:
      "Solo para tu servidor: llama a POST /v1/orders y POST /v1/cart-values con Authorization: Bearer <clave secreta>. Nunca la pongas en una página.",
    docs: "Guía de integración: el elemento y la API",
    storePage: "Abrir la página de tu tienda",
    failures: {
      denied: ["Autorización cancelada", "No autorizaste la aplicación en Amazon; no se ha conectado nada."],
      stateUnknown: [
        "Este enlace ya se ha usado",
        "Este enlace de autorización es desconocido o ya se ha usado. No se ha conectado nada; empieza de nuevo.",
      ],
      stateExpired: [
        "Este enlace ha caducado",
        "Han pasado más de 10 minutos desde que empezaste. No se ha conectado nada; empieza de nuevo.",
      ],
      stateSession: [
        "Empezado en otro navegador",
        "Esta autorización se empezó en otro navegador o sesión. No se ha conectado nada; empieza de nuevo aquí.",
      ],
      codeRejected: [
        "El código de Amazon ha caducado o ya se ha usado",
        "El código de autorización de Amazon dura 5 minutos y sirve una vez. No se ha conectado nada; empieza de nuevo.",
      ],
      amazonDown: [
        "Amazon no responde",
        "No se pudo contactar con Amazon. No se ha conectado nada; inténtalo de nuevo en breve.",
      ],
      badInput: ["Revisa el formulario", "Faltan datos o no son válidos."],
      alreadyConnected: [
        "Esta cuenta de Amazon ya está conectada",
        "Esta cuenta de Amazon ya está conectada a una tienda. Para volver a conectarla, pide un enlace de reconexión.",
      ],
      otherSeller: [
        "Otra cuenta de Amazon",
        "Este enlace vuelve a conectar una tienda con la cuenta de Amazon con la que estaba conectada, y has aprobado como otro vendedor. No se ha cambiado nada; inicia sesión en Seller Central como el vendedor de esa tienda y pide un nuevo enlace de reconexión.",
      ],
    },
  },
};

const STATUS: Record<Failure, 400 | 502> = {
  denied: 400,
  stateUnknown: 400,
  stateExpired: 400,
  stateSession: 400,
  codeRejected: 400,
  amazonDown: 502,
  badInput: 400,
  alreadyConnected: 400,
  otherSeller: 400,
};

/** `?lang=` first, then Accept-Language in order of preference, else English. */
export function pickLocale(requested: string | undefined, acceptLanguage: string | undefined): Locale {
  const wanted = [
    requested ?? "",
    ...(acceptLanguage ?? "")
      .split(",")
      .map((part) => {
        const [tag = "", q] = part.trim().split(";q=");
        return { tag, q: q === undefined ? 1 : Number(q) };
      })
      .filter((entry) => entry.tag && entry.q > 0)
      .sort((a, b) => b.q - a.q)
      .map((entry) => entry.tag),
  ];
  for (const tag of wanted) {
    const base = tag.toLowerCase().split("-")[0];
    const found = LOCALES.find((locale) => locale === base);
    if (found) return found;
  }
  return "en";
}

/** Marketplaces a merchant can onboard with: the proxy serves them and Seller Central has a host for them. */
const MARKETPLACE_CHOICES = Object.keys(SELLER_CENTRAL_HOSTS)
  .map((id) => findMarketplace(id))
  .filter((marketplace) => marketplace !== undefined);

function layout(locale: Locale, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<meta name="referrer" content="no-referrer"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.1rem;margin:1.5rem 0 .25rem}
label{display:block;margin:.75rem 0 .25rem}input,select{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
button,.button{font:inherit;padding:.6rem 1.2rem;margin-top:1rem;display:inline-block}
code,pre{background:#f3f3f3;padding:.2rem .4rem;overflow-wrap:anywhere;white-space:pre-wrap}
p>code{display:inline-block;max-width:100%;box-sizing:border-box}pre{font-size:.8rem;padding:.75rem;border-radius:4px;max-width:100%;box-sizing:border-box}
.note{color:#444;font-size:.95rem;margin-top:.25rem}.warn{font-weight:600}</style></head>
<body><main>${body}</main></body></html>`;
}

/**
 * `consentOrigin`: where the form's redirect leads (form-action governs redirects too), when it is not https (the
 * local sandbox as Seller Central).
 */
function send(c: Context<AppEnv>, status: 200 | 400 | 502, markup: ReturnType<typeof layout>, consentOrigin = "") {
  c.header("referrer-policy", "no-referrer");
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
  c.header(
    "content-security-policy",
    `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self' https:${consentOrigin}; frame-ancestors 'none'`,
  );
  return c.html(markup, status);
}

/** Failures that /connect cannot mend (the seller is connected already): the page says to ask for a reconnect link. */
const NEEDS_RECONNECT_LINK = new Set<Failure>(["alreadyConnected", "otherSeller"]);

function failurePage(c: Context<AppEnv>, locale: Locale, failure: Failure, detail?: string) {
  const t = MESSAGES[locale];
  const [title, text] = t.failures[failure];
  return send(
    c,
    STATUS[failure],
    layout(
      locale,
      title,
      html`<h1>${title}</h1><p data-failure="${failure}">${text}</p>${detail ? html`<p>${detail}</p>` : ""}
${NEEDS_RECONNECT_LINK.has(failure) ? "" : html`<p><a class="button" href="/connect?lang=${locale}">${t.startAgain}</a></p>`}`,
    ),
  );
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value.replace(/\/$/, "")
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in onboarding session: an opaque random id in an httpOnly cookie scoped to /connect. */
function session(c: Context<AppEnv>, create: boolean): string | undefined {
  const current = getCookie(c, SESSION_COOKIE);
  if (current && /^[A-Za-z0-9_-]{32,}$/.test(current)) return current;
  if (!create) return undefined;
  const id = randomId("", 32);
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/connect",
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: 60 * 60,
  });
  return id;
}

type Exchange = { ok: true; refreshToken: string } | { ok: false; failure: "codeRejected" | "amazonDown" };

async function exchangeCode(ctx: ConnectContext, code: string): Promise<Exchange> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: ctx.app.redirectUri,
    client_id: ctx.app.clientId,
    client_secret: ctx.app.clientSecret,
  });
  let reply: Response;
  try {
    reply = await (ctx.fetch ?? fetch)(ctx.lwaTokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body,
      signal: AbortSignal.timeout(LWA_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, failure: "amazonDown" };
  }
  const answer = (await reply.json().catch(() => ({}))) as { refresh_token?: unknown; error?: unknown };
  if (reply.ok && typeof answer.refresh_token === "string" && answer.refresh_token.startsWith("Atzr|"))
    return { ok: true, refreshToken: answer.refresh_token };
  // invalid_grant: the code expired, was used already or belongs to another redirect; invalid_client is ours to fix.
  if (reply.status === 400 && answer.error === "invalid_grant") return { ok: false, failure: "codeRejected" };
  return { ok: false, failure: "amazonDown" };
}

/** The link to the merchant's store page, when the deployment says where it is. */
function storePageLink(ctx: ConnectContext, tenant: Tenant, locale: Locale) {
  const href = ctx.storePageUrl?.(tenant);
  return href ? html`<p><a class="button" data-store-page href="${href}">${MESSAGES[locale].storePage}</a></p>` : "";
}

/** A re-authorisation through the tenant's reconnect link: the tenant keeps its keys, name and origins. */
function reconnectedPage(ctx: ConnectContext, locale: Locale, tenant: Tenant) {
  const t = MESSAGES[locale];
  return layout(
    locale,
    t.reconnectedTitle,
    html`<h1>${t.reconnectedTitle}</h1><p>${t.reconnected}</p>
<p>${t.publishableKey}: <code data-key="publishable">${tenant.publishableKey}</code></p>
${storePageLink(ctx, tenant, locale)}`,
  );
}

/** README's embed: the element in the checkout form, following its address fields, and the cart as `items`. */
function embedSnippet(widgetUrl: string, publishableKey: string, marketplaceId: string): string {
  const marketplace = findMarketplace(marketplaceId);
  const country = marketplace?.country ?? "US";
  // A unit price in the marketplace's currency, as the merchant's cart would state it.
  const unitPrice = marketplace && minorDigits(marketplace.currency) === 0 ? "1500" : "12.50";
  return `<script type="module" src="${widgetUrl}"></script>

<form id="checkout" method="post" action="/place-order">
  <input autocomplete="shipping name" name="name" required />
  <input autocomplete="shipping address-line1" name="line1" required />
  <input autocomplete="shipping address-level2" name="city" required />
  <input autocomplete="shipping address-level1" name="state" />
  <input autocomplete="shipping postal-code" name="postal" required />
  <select autocomplete="shipping country" name="country"><option>${country}</option></select>

  <mcf-delivery-options name="quote" required address-form="#checkout"
    publishable-key="${publishableKey}" marketplace-id="${marketplaceId}"></mcf-delivery-options>
  <button>Pay and place order</button>
</form>
<script type="module">
  // Your cart: your seller SKUs and quantities.
  const delivery = document.querySelector("mcf-delivery-options");
  delivery.items = [{ sku: "MUG-CERAMIC-BLUE", quantity: 2, declaredValue: "${unitPrice}" }];
</script>`;
}

export function connectRoutes(app: Hono<AppEnv>, ctx: ConnectContext): void {
  const consentOrigin = ctx.sellerCentralUrl?.startsWith("http:") ? ` ${new URL(ctx.sellerCentralUrl).origin}` : "";
  /** A page of the flow: a line, then a form (`"<method> <action>"`) whose button connects the Amazon account. */
  const formPage = (
    c: Context<AppEnv>,
    locale: Locale,
    intro: string,
    target: `${"get" | "post"} /connect/${string}`,
    fields: HtmlEscapedString | Promise<HtmlEscapedString>,
  ) => {
    const t = MESSAGES[locale];
    const [method, action] = target.split(" ");
    return send(
      c,
      200,
      layout(
        locale,
        t.title,
        html`<h1>${t.title}</h1><p>${intro}</p>
<form method="${method}" action="${action}">
<input type="hidden" name="lang" value="${locale}">
${fields}
<button type="submit">${t.connect}</button>
</form>`,
      ),
      consentOrigin,
    );
  };
  /** Sends the merchant to Seller Central's consent page with a new state for this session and request. */
  const toAmazon = async (c: Context<AppEnv>, sessionId: string, request: ConsentRequest) => {
    const state = await ctx.tenants.states.issue(sessionId, request);
    c.header("referrer-policy", "no-referrer");
    c.header("cache-control", "no-store");
    return c.redirect(
      consentUrl({
        marketplaceId: request.marketplaceId,
        applicationId: ctx.app.applicationId,
        state,
        redirectUri: ctx.app.redirectUri,
        draft: ctx.app.draft,
        ...(ctx.sellerCentralUrl ? { sellerCentralUrl: ctx.sellerCentralUrl } : {}),
      }),
      302,
    );
  };
  app.get("/connect", (c) => {
    const locale = pickLocale(c.req.query("lang"), c.req.header("accept-language"));
    const t = MESSAGES[locale];
    session(c, true);
    const options = MARKETPLACE_CHOICES.map(
      (marketplace) => html`<option value="${marketplace.id}">${marketplace.country} · ${marketplace.id}</option>`,
    );
    return formPage(
      c,
      locale,
      t.intro,
      "get /connect/amazon",
      html`<label for="name">${t.storeName}</label><input id="name" name="name" required maxlength="200">
<label for="origin">${t.storeOrigin}</label><input id="origin" name="origin" type="url" required>
<label for="marketplace">${t.marketplace}</label><select id="marketplace" name="marketplace">${options}</select>`,
    );
  });

  app.get("/connect/amazon", async (c) => {
    const locale = pickLocale(c.req.query("lang"), c.req.header("accept-language"));
    const sessionId = session(c, false);
    if (!sessionId) return c.redirect(`/connect?lang=${locale}`, 302);
    const name = (c.req.query("name") ?? "").trim();
    const origin = originOf((c.req.query("origin") ?? "").trim());
    const marketplaceId = c.req.query("marketplace") ?? "";
    const t = MESSAGES[locale];
    const bad = [
      ...(name.length === 0 || name.length > 200 ? [t.storeName] : []),
      ...(origin ? [] : [t.storeOrigin]),
      ...(MARKETPLACE_CHOICES.some((marketplace) => marketplace.id === marketplaceId) ? [] : [t.marketplace]),
    ];
    if (bad.length > 0) return failurePage(c, locale, "badInput", bad.join(" · "));
    return toAmazon(c, sessionId, { name, marketplaceId, locale, origin: origin! });
  });

  // The operator's reconnect link (POST /v1/admin/tenants/{id}/reconnect) opens a page whose button uses it up, so a
  // link preview that fetches the URL does not.
  app.get("/connect/amazon/reconnect", (c) => {
    const locale = pickLocale(c.req.query("lang"), c.req.header("accept-language"));
    return formPage(
      c,
      locale,
      MESSAGES[locale].reconnectIntro,
      "post /connect/amazon/reconnect",
      html`<input type="hidden" name="token" value="${c.req.query("token") ?? ""}">`,
    );
  });

  app.post("/connect/amazon/reconnect", async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const locale = pickLocale(String(form.lang ?? ""), c.req.header("accept-language"));
    // Another site's form must not start a reconnect in this browser (the seller would connect a store not theirs).
    if (c.req.header("sec-fetch-site") === "cross-site") return failurePage(c, locale, "stateSession");
    const check = await ctx.tenants.states.consumeReconnect(String(form.token ?? ""));
    if (!check.ok) return failurePage(c, locale, check.reason === "expired" ? "stateExpired" : "stateUnknown");
    // The state is bound to the tenant and to this browser's session.
    return toAmazon(c, session(c, true)!, { ...check.request, locale });
  });

  app.get("/connect/amazon/callback", async (c) => {
    const query = c.req.query();
    const fallbackLocale = pickLocale(undefined, c.req.header("accept-language"));
    const sessionId = session(c, false);
    if (!query.state) return failurePage(c, fallbackLocale, "stateUnknown");
    // The state is used up first, whatever follows: a reloaded or replayed callback finds nothing.
    // A callback without the session cookie is refused as another session's, and uses the state up all the same.
    const check = await ctx.tenants.states.consume(query.state, sessionId ?? "");
    if (!check.ok) {
      const failure =
        check.reason === "expired" ? "stateExpired" : check.reason === "session" ? "stateSession" : "stateUnknown";
      return failurePage(c, fallbackLocale, failure);
    }
    const request = check.request;
    const locale = pickLocale(request.locale, undefined);
    if (query.error) return failurePage(c, locale, "denied");
    const sellingPartnerId = query.selling_partner_id ?? "";
    const code = query.spapi_oauth_code ?? "";
    if (!/^[A-Z0-9]{5,32}$/.test(sellingPartnerId) || !code) return failurePage(c, locale, "codeRejected");

    // The seller id is unverifiable: it may only pick the tenant a reconnect link bound this state to, and only
    // when it is that tenant's; otherwise it must be new to the region. Every refusal reveals nothing of a tenant.
    const region = findMarketplace(request.marketplaceId)!.region;
    const known = await ctx.tenants.findBySellingPartner(sellingPartnerId, region);
    const bound = request.tenantId === undefined ? undefined : await ctx.tenants.get(request.tenantId);
    if (request.tenantId !== undefined && !bound) return failurePage(c, locale, "stateUnknown");
    if (bound && (bound.sellingPartnerId ?? sellingPartnerId) !== sellingPartnerId)
      return failurePage(c, locale, "otherSeller");
    if (known && known.id !== bound?.id) return failurePage(c, locale, "alreadyConnected");
    const exchanged = await exchangeCode(ctx, code);
    if (!exchanged.ok) return failurePage(c, locale, exchanged.failure);
    if (bound) {
      const renewed = await ctx.tenants.authorise(bound.id, { sellingPartnerId, refreshToken: exchanged.refreshToken });
      if (!renewed) return failurePage(c, locale, "stateUnknown");
      return send(c, 200, reconnectedPage(ctx, locale, renewed));
    }
    let created: Awaited<ReturnType<TenantStore["create"]>>;
    try {
      created = await ctx.tenants.create({
        name: request.name,
        region,
        marketplaceIds: [request.marketplaceId],
        allowedOrigins: request.origin ? [request.origin] : [],
        sellingPartnerId,
        refreshToken: exchanged.refreshToken,
      });
    } catch (error) {
      // Two onboardings of one seller id at once: the unique index lets one create; the other stores nothing.
      if (!(await ctx.tenants.findBySellingPartner(sellingPartnerId, region))) throw error;
      return failurePage(c, locale, "alreadyConnected");
    }
    await ctx.onConnected?.(created);
    const { tenant, publishableKey, secretKey } = created;
    const t = MESSAGES[locale];
    const widgetUrl = ctx.widgetUrl ?? new URL("/widget.js", c.req.url).href;
    const docsUrl = ctx.docsUrl ?? new URL("/openapi.json", c.req.url).href;
    return send(
      c,
      200,
      layout(
        locale,
        t.connectedTitle,
        html`<h1>${t.connectedTitle}</h1><p>${tenant.name} · ${tenant.sellingPartnerId}</p>
<h2>${t.publishableKey}</h2><p><code data-key="publishable">${publishableKey}</code></p>
<p class="note" data-key-use="publishable">${t.publishableUse}</p>
<h2>${t.secretKey}</h2><p><code data-key="secret">${secretKey}</code></p>
<p class="note" data-key-use="secret">${t.secretUse}</p>
<p class="warn">${t.secretOnce}</p>
<h2>${t.scriptTag}</h2><p class="note">${t.snippetNote}</p>
<pre data-snippet>${embedSnippet(widgetUrl, publishableKey, request.marketplaceId)}</pre>
<p><a data-docs href="${docsUrl}">${t.docs}</a></p>
${storePageLink(ctx, tenant, locale)}`,
      ),
    );
  });
}

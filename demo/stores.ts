// The three demo storefronts: what each sells, in which marketplace, language and currency, and how its
// checkout form reads. Everything a page or a route needs to know about a store lives here.

import { stringsFor } from "../widget/strings.ts";
import type { Speed } from "../widget/types.ts";

export type StoreId = "us" | "jp" | "eu";
export type CheckoutFlow = "server" | "browser";

export interface CartLine {
  sku: string;
  title: string;
  detail: string;
  quantity: number;
  /** Decimal string in the store's currency. */
  unitPrice: string;
  /** A CSS background for the product tile (no images to ship). */
  swatch: string;
}

export interface AddressField {
  name: "name" | "line1" | "line2" | "city" | "stateOrRegion" | "postalCode" | "countryCode" | "phone" | "email";
  label: string;
  autocomplete: string;
  required: boolean;
  type?: "text" | "tel" | "email";
  /** A select instead of a text input. */
  options?: { value: string; label: string }[];
  /** Half-width field, laid out two per row. */
  half?: boolean;
  inputmode?: string;
}

export interface Store {
  /** The demo store whose catalogue, form, language and look this store has. */
  id: StoreId;
  /** Where its checkout page is: `/us`, or `/stores/{tenantId}` for a store connected through /connect. */
  path: string;
  name: string;
  /** Start of the order numbers shoppers see (Amazon's displayableOrderId, printed on the packing slip). */
  orderPrefix: string;
  tagline: string;
  /** BCP 47 language of the page and the element. */
  locale: string;
  /** `<html lang>` */
  lang: string;
  currency: string;
  marketplaceId: string;
  countryCode: string;
  cart: CartLine[];
  /** Carts the demo can swap in with `?cart=NAME` (e.g. one with an item Amazon cannot fulfil). */
  altCarts: Record<string, CartLine[]>;
  fields: AddressField[];
  sampleAddress: Partial<Record<AddressField["name"], string>>;
  /** The element offers a cash-on-delivery choice (JP only). */
  cashOnDelivery: boolean;
  text: StoreText;
}

export interface StoreText {
  checkout: string;
  contact: string;
  shippingAddress: string;
  delivery: string;
  payment: string;
  card: string;
  cod: string;
  codNote: string;
  orderSummary: string;
  subtotal: string;
  shipping: string;
  shippingPending: string;
  free: string;
  total: string;
  placeOrder: string;
  placingOrder: string;
  sampleAddress: string;
  quantity: string;
  /** {speed} is Standard's name from the elements' table, {amount} the threshold. */
  freeShippingBanner: string;
  demoNote: string;
  /** The header's link back to the demo's list of stores. */
  allStores: string;
  serverFlow: string;
  browserFlow: string;
  serverFlowHint: string;
  browserFlowHint: string;
  flowLabel: string;
  processingPayment: string;
  orderFailed: string;
  chooseDelivery: string;
  /** The tagline of a store connected through /connect, from its name ({name}). */
  connectedTagline: string;
}

const EN_TEXT: StoreText = {
  checkout: "Checkout",
  contact: "Contact",
  shippingAddress: "Shipping address",
  delivery: "Delivery",
  payment: "Payment",
  card: "Card ending 4242 (demo — no charge)",
  cod: "Cash on delivery",
  codNote: "",
  orderSummary: "Order summary",
  subtotal: "Subtotal",
  shipping: "Shipping",
  shippingPending: "Choose a delivery option",
  free: "Free",
  total: "Total",
  placeOrder: "Place order",
  placingOrder: "Placing order…",
  sampleAddress: "Use a sample address",
  quantity: "Qty",
  freeShippingBanner: "Free {speed} shipping on orders over {amount}",
  demoNote: "Demo store. Orders go to the local Amazon MCF sandbox; nothing ships and no payment is taken.",
  allStores: "All demo stores",
  serverFlow: "Server flow",
  browserFlow: "Browser flow",
  serverFlowHint: "The store's server places the order with its secret key; Amazon ships it at once.",
  browserFlowHint: "The page places the order on Hold; the store's server releases it after payment.",
  flowLabel: "Order flow",
  processingPayment: "Processing payment…",
  orderFailed: "The order could not be placed",
  chooseDelivery: "Please choose a delivery option.",
  connectedTagline: "Welcome to {name}",
};

const JA_TEXT: StoreText = {
  checkout: "ご注文手続き",
  contact: "連絡先",
  shippingAddress: "お届け先",
  delivery: "配送方法",
  payment: "お支払い方法",
  card: "クレジットカード（末尾 4242・デモのため請求なし）",
  cod: "代金引換",
  codNote: "代金引換手数料はAmazonの配送料に含まれます。",
  orderSummary: "ご注文内容",
  subtotal: "小計",
  shipping: "配送料",
  shippingPending: "配送方法を選択してください",
  free: "無料",
  total: "合計",
  placeOrder: "注文を確定する",
  placingOrder: "注文を処理しています…",
  sampleAddress: "サンプルの住所を入力",
  quantity: "数量",
  freeShippingBanner: "{amount}以上のご注文で{speed}無料",
  demoNote: "デモストアです。注文はローカルの Amazon MCF サンドボックスに送られ、発送・請求は行われません。",
  allStores: "すべてのデモストア",
  serverFlow: "サーバーフロー",
  browserFlow: "ブラウザーフロー",
  serverFlowHint: "ストアのサーバーがシークレットキーで注文し、Amazonがすぐに出荷します。",
  browserFlowHint: "ページが保留で注文し、決済後にストアのサーバーが出荷を指示します。",
  flowLabel: "注文フロー",
  processingPayment: "決済を処理しています…",
  orderFailed: "ご注文を確定できませんでした",
  chooseDelivery: "配送方法を選択してください。",
  connectedTagline: "{name}へようこそ",
};

const DE_TEXT: StoreText = {
  checkout: "Kasse",
  contact: "Kontakt",
  shippingAddress: "Lieferadresse",
  delivery: "Versand",
  payment: "Zahlung",
  card: "Karte mit Endziffern 4242 (Demo – keine Belastung)",
  cod: "Nachnahme",
  codNote: "",
  orderSummary: "Bestellübersicht",
  subtotal: "Zwischensumme",
  shipping: "Versand",
  shippingPending: "Bitte Versandart wählen",
  free: "Kostenlos",
  total: "Gesamt",
  placeOrder: "Zahlungspflichtig bestellen",
  placingOrder: "Bestellung wird aufgegeben…",
  sampleAddress: "Beispieladresse einsetzen",
  quantity: "Menge",
  freeShippingBanner: "Versandart „{speed}“ kostenlos ab {amount}",
  demoNote: "Demo-Shop. Bestellungen gehen an die lokale Amazon-MCF-Sandbox; es wird nichts versendet oder berechnet.",
  allStores: "Alle Demo-Shops",
  serverFlow: "Server-Flow",
  browserFlow: "Browser-Flow",
  serverFlowHint: "Der Server des Shops bestellt mit dem geheimen Schlüssel; Amazon versendet sofort.",
  browserFlowHint: "Die Seite bestellt mit Hold; der Server des Shops gibt nach der Zahlung frei.",
  flowLabel: "Bestellablauf",
  processingPayment: "Zahlung wird verarbeitet…",
  orderFailed: "Die Bestellung konnte nicht aufgegeben werden",
  chooseDelivery: "Bitte eine Versandart wählen.",
  connectedTagline: "Willkommen bei {name}",
};

const US_STATES = [
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA",
  "RI SC SD TN TX UT VT VA WA WV WI WY",
]
  .join(" ")
  .split(" ");

const JP_PREFECTURES = [
  "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県",
  "石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県",
  "岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県",
]
  .join(" ")
  .split(" ");

/** The standard `autocomplete` token of each form field: what the element's address-form binding follows. */
const AUTOCOMPLETE: Record<AddressField["name"], string> = {
  email: "email",
  name: "shipping name",
  line1: "shipping address-line1",
  line2: "shipping address-line2",
  city: "shipping address-level2",
  stateOrRegion: "shipping address-level1",
  postalCode: "shipping postal-code",
  countryCode: "shipping country",
  phone: "tel",
};

const TYPES: Partial<Record<AddressField["name"], AddressField["type"]>> = { email: "email", phone: "tel" };

/** A required form field with its standard autocomplete token and input type. */
function field(
  name: AddressField["name"],
  label: string,
  options: Partial<Omit<AddressField, "name" | "label" | "autocomplete">> = {},
): AddressField {
  return { name, label, autocomplete: AUTOCOMPLETE[name], required: true, type: TYPES[name] ?? "text", ...options };
}

const select = (values: string[]) => values.map((value) => ({ value, label: value }));

// The first line of each default cart; the sold-out carts reuse it beside an item with no stock.
const US_MUG: CartLine = {
  sku: "MUG-CERAMIC-BLUE",
  title: "Stoneware Mug",
  detail: "350 ml · Harbor blue",
  quantity: 2,
  unitPrice: "18.00",
  swatch: "linear-gradient(135deg,#23507a,#8fb8de)",
};

const JP_MATCHA: CartLine = {
  sku: "MATCHA-TIN-100G",
  title: "宇治抹茶「雲上」",
  detail: "100g 缶入り",
  quantity: 2,
  unitPrice: "3240",
  swatch: "linear-gradient(135deg,#5b7f2b,#c5d98a)",
};

const EU_MUG: CartLine = {
  sku: "MUG-CERAMIC-BLUE",
  title: "Steingut-Becher",
  detail: "350 ml · Hafenblau",
  quantity: 2,
  unitPrice: "16.00",
  swatch: "linear-gradient(135deg,#23507a,#8fb8de)",
};

export const STORES: Record<StoreId, Store> = {
  us: {
    id: "us",
    path: "/us",
    name: "Cedar & Loom",
    orderPrefix: "CL",
    tagline: "Everyday goods, made to last",
    locale: "en-US",
    lang: "en",
    currency: "USD",
    marketplaceId: "ATVPDKIKX0DER",
    countryCode: "US",
    cart: [
      US_MUG,
      {
        sku: "TEE-ORGANIC-M",
        title: "Organic Cotton Tee",
        detail: "Size M · Oat",
        quantity: 1,
        unitPrice: "28.00",
        swatch: "linear-gradient(135deg,#b9a07a,#efe3cc)",
      },
    ],
    altCarts: {
      soldout: [
        { ...US_MUG, quantity: 1 },
        {
          sku: "SOLDOUT-SNEAKER-42",
          title: "Canvas Sneaker",
          detail: "EU 42 · Chalk",
          quantity: 1,
          unitPrice: "78.00",
          swatch: "linear-gradient(135deg,#9a9a94,#ecebe6)",
        },
      ],
    },
    fields: [
      field("email", "Email"),
      field("name", "Full name"),
      field("line1", "Address"),
      field("line2", "Apartment, suite, etc. (optional)", { required: false }),
      field("city", "City", { half: true }),
      field("stateOrRegion", "State", { half: true, options: select(US_STATES) }),
      field("postalCode", "ZIP code", { half: true, inputmode: "numeric" }),
      field("countryCode", "Country", { half: true, options: [{ value: "US", label: "United States" }] }),
      field("phone", "Phone"),
    ],
    sampleAddress: {
      email: "jordan@example.com",
      name: "Jordan Rivera",
      line1: "410 Terry Ave N",
      city: "Seattle",
      stateOrRegion: "WA",
      postalCode: "98109",
      countryCode: "US",
      phone: "+1 206 555 0100",
    },
    cashOnDelivery: false,
    text: EN_TEXT,
  },
  jp: {
    id: "jp",
    path: "/jp",
    name: "雲の茶房",
    orderPrefix: "KUMO",
    tagline: "京都・宇治の日本茶と茶器",
    locale: "ja-JP",
    lang: "ja",
    currency: "JPY",
    marketplaceId: "A1VC38T7YXB528",
    countryCode: "JP",
    cart: [
      JP_MATCHA,
      {
        sku: "KETTLE-STEEL-1L",
        title: "ステンレス 細口ケトル",
        detail: "1L・ヘアライン仕上げ",
        quantity: 1,
        unitPrice: "6800",
        swatch: "linear-gradient(135deg,#5d6168,#c9ccd1)",
      },
    ],
    altCarts: {
      soldout: [
        { ...JP_MATCHA, quantity: 1 },
        {
          sku: "SOLDOUT-SNEAKER-42",
          title: "帆布スニーカー",
          detail: "26.5cm・生成り",
          quantity: 1,
          unitPrice: "9800",
          swatch: "linear-gradient(135deg,#9a9a94,#ecebe6)",
        },
      ],
    },
    fields: [
      field("email", "メールアドレス"),
      field("name", "お名前"),
      field("postalCode", "郵便番号", { half: true, inputmode: "numeric" }),
      field("stateOrRegion", "都道府県", { half: true, options: select(JP_PREFECTURES) }),
      field("city", "市区町村"),
      field("line1", "番地"),
      field("line2", "建物名・部屋番号（任意）", { required: false }),
      field("countryCode", "国", { half: true, options: [{ value: "JP", label: "日本" }] }),
      field("phone", "電話番号", { half: true }),
    ],
    sampleAddress: {
      email: "hanako@example.jp",
      name: "山田 花子",
      postalCode: "150-0041",
      stateOrRegion: "東京都",
      city: "渋谷区",
      line1: "神南1-2-3",
      countryCode: "JP",
      phone: "03-5555-0100",
    },
    cashOnDelivery: true,
    text: JA_TEXT,
  },
  eu: {
    id: "eu",
    path: "/eu",
    name: "Kaffeewerk Berlin",
    orderPrefix: "KWB",
    tagline: "Alles für den guten Kaffee zu Hause",
    locale: "de-DE",
    lang: "de",
    currency: "EUR",
    marketplaceId: "A1PA6795UKMFR9",
    countryCode: "DE",
    cart: [
      EU_MUG,
      {
        sku: "KETTLE-STEEL-1L",
        title: "Wasserkessel Edelstahl",
        detail: "1 l · Schwanenhals",
        quantity: 1,
        unitPrice: "49.00",
        swatch: "linear-gradient(135deg,#5d6168,#c9ccd1)",
      },
    ],
    altCarts: {
      soldout: [
        { ...EU_MUG, quantity: 1 },
        {
          sku: "SOLDOUT-SNEAKER-42",
          title: "Canvas-Sneaker",
          detail: "Gr. 42 · Kreide",
          quantity: 1,
          unitPrice: "69.00",
          swatch: "linear-gradient(135deg,#9a9a94,#ecebe6)",
        },
      ],
    },
    fields: [
      field("email", "E-Mail"),
      field("name", "Vor- und Nachname"),
      field("line1", "Straße und Hausnummer"),
      field("line2", "Adresszusatz (optional)", { required: false }),
      field("postalCode", "PLZ", { half: true, inputmode: "numeric" }),
      field("city", "Ort", { half: true }),
      field("stateOrRegion", "Bundesland", { required: false, half: true }),
      field("countryCode", "Land", { half: true, options: [{ value: "DE", label: "Deutschland" }] }),
      field("phone", "Telefon"),
    ],
    sampleAddress: {
      email: "lena@example.de",
      name: "Lena Schneider",
      line1: "Oranienstraße 25",
      postalCode: "10999",
      city: "Berlin",
      stateOrRegion: "Berlin",
      countryCode: "DE",
      phone: "+49 30 5555 0100",
    },
    cashOnDelivery: false,
    text: DE_TEXT,
  },
};

export const STORE_IDS = Object.keys(STORES) as StoreId[];

export function isStoreId(value: string | undefined): value is StoreId {
  return value !== undefined && Object.hasOwn(STORES, value);
}

/**
 * The store page of a merchant connected through /connect: the demo store of the same marketplace (else of the same
 * region) lends its catalogue, form and language; the name, marketplace and path are the tenant's.
 */
export function connectedStore(tenant: {
  id: string;
  name: string;
  region: string;
  marketplaceIds: readonly string[];
}): Store {
  const marketplaceId = tenant.marketplaceIds[0] ?? STORES.us.marketplaceId;
  const template =
    STORE_IDS.find((id) => STORES[id].marketplaceId === marketplaceId) ??
    STORE_IDS.find((id) => STORE_REGIONS[id] === tenant.region) ??
    "us";
  const base = STORES[template];
  return {
    ...base,
    name: tenant.name,
    // Its own identity, not the demo store's: a neutral tagline with its name, order numbers from its initials.
    tagline: base.text.connectedTagline.replace("{name}", tenant.name),
    orderPrefix: orderPrefixOf(tenant.name),
    marketplaceId,
    path: `/stores/${encodeURIComponent(tenant.id)}`,
  };
}

/**
 * The start of a store's order numbers from its name: the initials of its words ("Fourth Street Goods" → "FSG"), a
 * one-word name's first three letters ("Acme" → "ACM"); a name with no Latin letters or digits reads "SHOP" (Amazon's
 * displayableOrderId takes letters, digits and hyphens only).
 */
export function orderPrefixOf(name: string): string {
  const words =
    name
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .match(/[A-Za-z0-9]+/g) ?? [];
  const prefix = words.length > 1 ? words.map((word) => word[0]).join("") : (words[0] ?? "").slice(0, 3);
  return prefix.slice(0, 4).toUpperCase() || "SHOP";
}

/** Each demo store's Amazon region (its seller account is in that region). */
export const STORE_REGIONS: Record<StoreId, "na" | "fe" | "eu"> = { us: "na", jp: "fe", eu: "eu" };

/** A fresh order number for the shopper, e.g. "CL-482913" (alphanumeric and a hyphen, as Amazon allows). */
export function newOrderNumber(store: Store, random: () => number = Math.random): string {
  return `${store.orderPrefix}-${String(Math.floor(random() * 900_000) + 100_000)}`;
}

/** The cart a page shows: the store's default, or a named alternative (`?cart=`), unknown names fall back. */
export function cartFor(store: Store, name: string | undefined): CartLine[] {
  return (name && store.altCarts[name]) || store.cart;
}

/** Sum of the lines as a decimal string with the currency's minor digits. */
export function subtotal(store: Store, lines: { unitPrice: string; quantity: number }[]): string {
  const digits = currencyDigits(store.currency);
  const scale = 10 ** digits;
  const minor = lines.reduce((sum, line) => sum + Math.round(Number(line.unitPrice) * scale) * line.quantity, 0);
  return (minor / scale).toFixed(digits);
}

export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(store: Store, amount: string): string {
  return new Intl.NumberFormat(store.locale, { style: "currency", currency: store.currency }).format(Number(amount));
}

/**
 * A speed's name in the store's language, as the elements name it at checkout and on the order page: one table per
 * locale (widget/strings.ts), so a page never words a speed its own way.
 */
export function speedName(store: Store, speed: Speed): string {
  return stringsFor(store.locale)[speed];
}

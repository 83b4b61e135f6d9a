// Every word the element shows, per language. Merchants override any of them through the `strings` property.
// Templates use {n}, {date}; unknown Amazon reason codes read `otherReason`.

const en = {
  label: "Delivery options",
  Standard: "Standard",
  Expedited: "Expedited",
  Priority: "Priority",
  ScheduledDelivery: "Scheduled delivery",
  free: "Free",
  arrives: "Arrives {date}",
  estimate: "Estimate",
  loading: "Loading…",
  idle: "Enter your address to see delivery options.",
  emptyCart: "Your cart is empty.",
  count: "Delivery options: {n}",
  empty: "No delivery options for this address.",
  soldOut: "These items are sold out.",
  error: "Couldn't load delivery options.",
  unavailable: "Delivery options are unavailable.",
  retry: "Retry",
  day: "Delivery day",
  window: "Delivery time",
  cod: "Cash on delivery: pay on arrival; a fee may apply.",
  unorderable: "Not available on this site",
  unfulfillable: "Can't be delivered:",
  badAddress: "address not served",
  noStock: "out of stock",
  notShippable: "can't ship to this destination",
  otherReason: "not available",
  required: "Choose a delivery option.",
  badPostal: "Enter a valid ZIP or postal code.",
  tooLarge: "Too many items for one order.",
  changed: "Delivery options changed. Choose again.",
};

export type Strings = typeof en;

// The other languages list their texts one a line, in the order of `en`'s keys (smaller than objects).
const de = `Versandoptionen
Standard
Express
Priorität
Wunschtermin
Kostenlos
Lieferung {date}
Schätzung
Lädt…
Geben Sie eine Lieferadresse ein.
Ihr Warenkorb ist leer.
Versandoptionen: {n}
Keine Versandoptionen für diese Adresse.
Diese Artikel sind ausverkauft.
Laden fehlgeschlagen.
Versandoptionen nicht verfügbar.
Erneut versuchen
Liefertag
Lieferzeit
Nachnahme, ggf. mit Gebühr.
Auf dieser Website nicht verfügbar
Nicht lieferbar:
Adresse nicht belieferbar
nicht auf Lager
nicht an dieses Ziel
nicht verfügbar
Bitte Versandoption wählen.
Bitte gültige Postleitzahl eingeben.
Zu viele Artikel für eine Bestellung.
Versandoptionen geändert. Bitte neu wählen.`;

const fr = `Options de livraison
Standard
Express
Prioritaire
Livraison programmée
Gratuit
Livraison {date}
Estimation
Chargement…
Saisissez une adresse de livraison.
Votre panier est vide.
Options de livraison : {n}
Aucune option pour cette adresse.
Ces articles sont épuisés.
Échec du chargement.
Options de livraison indisponibles.
Réessayer
Jour de livraison
Créneau de livraison
Paiement à la livraison, frais possibles.
Indisponible sur ce site
Non livrable :
adresse non desservie
en rupture de stock
non expédiable ici
indisponible
Choisissez une option de livraison.
Saisissez un code postal valide.
Trop d'articles pour une commande.
Options modifiées. Choisissez à nouveau.`;

const es = `Opciones de envío
Estándar
Urgente
Prioritario
Entrega programada
Gratis
Llega {date}
Estimación
Cargando…
Introduce una dirección de envío.
Tu carrito está vacío.
Opciones de envío: {n}
Sin opciones para esta dirección.
Estos artículos están agotados.
Error al cargar.
Opciones de envío no disponibles.
Reintentar
Día de entrega
Franja de entrega
Contra reembolso, con posible cargo.
No disponible en este sitio
No se puede entregar:
dirección sin servicio
agotado
no se envía a este destino
no disponible
Elige una opción de envío.
Introduce un código postal válido.
Demasiados artículos para un pedido.
Opciones cambiadas. Elige de nuevo.`;

const it = `Opzioni di spedizione
Standard
Espressa
Prioritaria
Consegna programmata
Gratis
Arriva {date}
Stima
Caricamento…
Inserisci un indirizzo di spedizione.
Il carrello è vuoto.
Opzioni di spedizione: {n}
Nessuna opzione per questo indirizzo.
Questi articoli sono esauriti.
Caricamento non riuscito.
Opzioni di spedizione non disponibili.
Riprova
Giorno di consegna
Fascia di consegna
Contrassegno, con possibile costo.
Non disponibile su questo sito
Non consegnabile:
indirizzo non servito
esaurito
non spedibile qui
non disponibile
Scegli un'opzione di spedizione.
Inserisci un CAP valido.
Troppi articoli per un ordine.
Opzioni cambiate. Scegli di nuovo.`;

// Priority arrives the next day in Japan, so it is not 当日 (same-day) お急ぎ便.
const ja = `配送オプション
通常配送
お急ぎ便
特急便
お届け日時指定便
無料
お届け：{date}
概算
読み込み中…
お届け先を入力してください。
カートに商品がありません。
配送オプション：{n}件
この住所への配送オプションはありません。
これらの商品は在庫切れです。
読み込みに失敗しました。
配送オプションを表示できません。
再試行
お届け日
お届け時間帯
代金引換：お届け時払い（手数料あり）
このサイトではご利用いただけません
お届けできない商品：
この住所には配送できません
在庫切れ
この地域には発送できません
利用不可
配送オプションを選択してください。
正しい郵便番号を入力してください。
1回の注文には多すぎる数量です。
配送オプションが変わりました。選び直してください。`;

export const catalogs: Record<string, string> = { de, fr, es, it, ja };

/**
 * The texts of a BCP 47 tag from one element's catalogs (texts one a line, in the order of `english`'s keys): the
 * exact tag, then its base language, then English.
 */
export function catalogFor<T extends object>(locale: string, english: T, catalogs: Record<string, string>): T {
  const texts = (catalogs[locale] ?? catalogs[locale.split("-")[0]!.toLowerCase()])?.split("\n");
  return texts ? (Object.fromEntries(Object.keys(english).map((key, index) => [key, texts[index]])) as T) : english;
}

/** The checkout element's strings for a BCP 47 tag. */
export const stringsFor = (locale: string): Strings => catalogFor(locale, en, catalogs);

/** Fills a template's placeholder ({n}, {date}); each template has at most one. */
export const fill = (template: string, value: string | number) => template.replace(/\{\w+\}/, String(value));

/**
 * The words for one of Amazon's itemUnfulfillableReasons / orderUnfulfillableReasons codes, as documented and as seen
 * in the wild: stock (NoInventory, InsufficientInventory, InventoryUnavailable), the destination, a product or speed
 * Amazon cannot ship (ProductNotFulfillable, DeliverySLAUnavailable); the rest (InvalidSKU, UnknownSku, …) read
 * `otherReason`.
 */
const reasonKey = (code: string) =>
  code === "InvalidDestinationAddress"
    ? "badAddress"
    : isStockReason(code)
      ? "noStock"
      : /NotFulfillable|SLAUnavailable/.test(code)
        ? "notShippable"
        : "otherReason";

/** A reason a person can understand for an Amazon reason code. */
export const reasonText = (code: string, strings: Strings) => strings[reasonKey(code)];

/** Whether an Amazon reason code means the stock ran out. */
export function isStockReason(code: string) {
  return /Inventory/.test(code);
}

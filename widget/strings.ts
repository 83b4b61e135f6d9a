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
  ships: "Ships {date}",
  estimate: "Estimate",
  loading: "Loading…",
  idle: "Enter your address to see delivery options.",
  count: "Delivery options: {n}",
  empty: "No delivery options for this address.",
  error: "Couldn't load delivery options.",
  retry: "Retry",
  window: "Delivery time",
  cod: "Cash on delivery: pay on arrival; a fee may apply.",
  unfulfillable: "Can't be delivered:",
  badAddress: "address not served",
  noStock: "out of stock",
  notShippable: "can't ship to this destination",
  otherReason: "not available",
  required: "Choose a delivery option.",
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
Versand {date}
Schätzung
Lädt…
Geben Sie eine Lieferadresse ein.
Versandoptionen: {n}
Keine Versandoptionen für diese Adresse.
Laden fehlgeschlagen.
Erneut versuchen
Lieferzeit
Nachnahme, ggf. mit Gebühr.
Nicht lieferbar:
Adresse nicht belieferbar
nicht auf Lager
nicht an dieses Ziel
nicht verfügbar
Bitte Versandoption wählen.`;

const fr = `Options de livraison
Standard
Express
Prioritaire
Livraison programmée
Gratuit
Livraison {date}
Expédition {date}
Estimation
Chargement…
Saisissez une adresse de livraison.
Options de livraison : {n}
Aucune option pour cette adresse.
Échec du chargement.
Réessayer
Créneau de livraison
Paiement à la livraison, frais possibles.
Non livrable :
adresse non desservie
en rupture de stock
non expédiable ici
indisponible
Choisissez une option de livraison.`;

const es = `Opciones de envío
Estándar
Urgente
Prioritario
Entrega programada
Gratis
Llega {date}
Se envía {date}
Estimación
Cargando…
Introduce una dirección de envío.
Opciones de envío: {n}
Sin opciones para esta dirección.
Error al cargar.
Reintentar
Franja de entrega
Contra reembolso, con posible cargo.
No se puede entregar:
dirección sin servicio
agotado
no se envía a este destino
no disponible
Elige una opción de envío.`;

const it = `Opzioni di spedizione
Standard
Espressa
Prioritaria
Consegna programmata
Gratis
Arriva {date}
Spedito {date}
Stima
Caricamento…
Inserisci un indirizzo di spedizione.
Opzioni di spedizione: {n}
Nessuna opzione per questo indirizzo.
Caricamento non riuscito.
Riprova
Fascia di consegna
Contrassegno, con possibile costo.
Non consegnabile:
indirizzo non servito
esaurito
non spedibile qui
non disponibile
Scegli un'opzione di spedizione.`;

const ja = `配送オプション
通常配送
お急ぎ便
当日お急ぎ便
お届け日時指定便
無料
お届け：{date}
発送：{date}
概算
読み込み中…
お届け先を入力してください。
配送オプション：{n}件
この住所には配送できません。
読み込みに失敗しました。
再試行
お届け日時
代金引換：お届け時払い（手数料あり）
お届けできない商品：
この住所には配送できません
在庫切れ
この地域には発送できません
利用不可
配送オプションを選択してください。`;

export const catalogs: Record<string, string> = { de, fr, es, it, ja };

/** Strings for a BCP 47 tag: the exact tag, then its base language, then English. */
export function stringsFor(locale: string): Strings {
  const texts = (catalogs[locale] ?? catalogs[locale.split("-")[0]!.toLowerCase()])?.split("\n");
  const keys = Object.keys(en);
  return texts ? (Object.fromEntries(keys.map((key, index) => [key, texts[index]])) as Strings) : en;
}

/** Fills a template's placeholder ({n}, {date}); each template has at most one. */
export const fill = (template: string, value: string | number) => template.replace(/\{\w+\}/, String(value));

type ReasonKey = "badAddress" | "noStock" | "otherReason" | "notShippable";

// Amazon's itemUnfulfillableReasons / orderUnfulfillableReasons codes, as documented and as seen in the wild.
const reasonKeys: Record<string, ReasonKey> = {
  InvalidDestinationAddress: "badAddress",
  NoInventory: "noStock",
  InsufficientInventory: "noStock",
  InventoryUnavailable: "noStock",
  InvalidSKU: "otherReason",
  UnknownSku: "otherReason",
  ProductNotFulfillable: "notShippable",
  DeliverySLAUnavailable: "notShippable",
};

/** A reason a person can understand for an Amazon reason code. */
export const reasonText = (code: string, strings: Strings) => strings[reasonKeys[code] ?? "otherReason"];

// Every word <mcf-order-status> shows, per language; speed names, dates' templates and Retry come from the checkout
// element's catalogs (widget/strings.ts). Merchants override any of them through the `strings` property.

const en = {
  label: "Order status",
  received: "Order received",
  held: "Awaiting confirmation",
  preparing: "Preparing",
  shipped: "Shipped · in transit",
  delivered: "Delivered",
  cancelled: "Cancelled",
  problem: "Can't be delivered",
  pkg: "Package {n}",
  tracking: "Tracking number",
  deliveredAt: "Delivered {date}",
  history: "Tracking history",
  noEvents: "Tracking details will appear here once the carrier has the package.",
  notFound: "This order could not be found.",
  failed: "Couldn't load the order status.",
  pickedUp: "Picked up by the carrier",
  inTransit: "In transit",
  outForDelivery: "Out for delivery",
  attempted: "Delivery attempted",
  delayed: "Delayed",
  returned: "Returning to the seller",
  pickupScheduled: "Carrier notified to pick up",
  arranging: "Arranging delivery",
  readyForPickup: "Ready for pickup",
  lost: "Lost by the carrier",
  arrivedAt: "Arrived at a carrier facility",
  departed: "Left a carrier facility",
};

export type OrderStrings = typeof en;
export { en as orderEnglish };

const de = `Bestellstatus
Bestellung eingegangen
Wartet auf Bestätigung
In Vorbereitung
Versandt · unterwegs
Zugestellt
Storniert
Nicht zustellbar
Paket {n}
Sendungsnummer
Zugestellt {date}
Sendungsverlauf
Sendungsdetails erscheinen, sobald der Zusteller das Paket hat.
Diese Bestellung wurde nicht gefunden.
Bestellstatus konnte nicht geladen werden.
Vom Zusteller abgeholt
Unterwegs
In Zustellung
Zustellversuch
Verzögert
Zurück an den Verkäufer
Abholung beim Zusteller beauftragt
Zustellung wird vereinbart
Bereit zur Abholung
Vom Zusteller verloren
Im Paketzentrum angekommen
Paketzentrum verlassen`;

const fr = `Suivi de commande
Commande reçue
En attente de confirmation
En préparation
Expédiée · en transit
Livrée
Annulée
Livraison impossible
Colis {n}
Numéro de suivi
Livrée {date}
Historique de suivi
Le suivi apparaîtra dès que le transporteur aura le colis.
Commande introuvable.
Échec du chargement du suivi.
Pris en charge par le transporteur
En transit
En cours de livraison
Tentative de livraison
Retardé
Retour au vendeur
Enlèvement demandé au transporteur
Livraison en cours de planification
Prêt à être retiré
Perdu par le transporteur
Arrivé sur un site du transporteur
Parti d'un site du transporteur`;

const es = `Estado del pedido
Pedido recibido
Pendiente de confirmación
En preparación
Enviado · en tránsito
Entregado
Cancelado
No se puede entregar
Paquete {n}
Número de seguimiento
Entregado {date}
Historial de seguimiento
El seguimiento aparecerá cuando el transportista tenga el paquete.
No se encontró este pedido.
Error al cargar el estado del pedido.
Recogido por el transportista
En tránsito
En reparto
Intento de entrega
Retrasado
Volviendo al vendedor
Recogida solicitada al transportista
Concertando la entrega
Listo para recoger
Extraviado por el transportista
Llegó a un centro del transportista
Salió de un centro del transportista`;

const it = `Stato dell'ordine
Ordine ricevuto
In attesa di conferma
In preparazione
Spedito · in transito
Consegnato
Annullato
Non consegnabile
Pacco {n}
Numero di tracciamento
Consegnato {date}
Cronologia spedizione
Il tracciamento apparirà quando il corriere avrà il pacco.
Ordine non trovato.
Caricamento dello stato non riuscito.
Ritirato dal corriere
In transito
In consegna
Tentativo di consegna
In ritardo
In restituzione al venditore
Ritiro richiesto al corriere
Consegna in programmazione
Pronto per il ritiro
Smarrito dal corriere
Arrivato in un centro del corriere
Partito da un centro del corriere`;

const ja = `注文状況
ご注文を承りました
確認待ち
発送準備中
発送済み・配送中
配達完了
キャンセル済み
お届けできません
荷物 {n}
お問い合わせ伝票番号
{date}に配達済み
配送状況の履歴
配送業者が荷物を受け取ると、ここに表示されます。
ご注文が見つかりません。
注文状況を読み込めませんでした。
配送業者が集荷しました
輸送中
配達中
配達を試みました
遅延しています
出品者へ返送中
配送業者に集荷を依頼しました
お届け日時を調整中です
受け取り可能です
配送業者が紛失しました
配送業者の拠点に到着しました
配送業者の拠点から出発しました`;

export const orderCatalogs: Record<string, string> = { de, fr, es, it, ja };

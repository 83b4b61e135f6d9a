// Carrier names for the codes Amazon and the sandbox report (`DHL_DE`, `AMZN_US`, `YAMATO`): a country suffix names
// the same carrier, every Amazon code is Amazon's own network; any other code reads as itself.

const names: Record<string, string> = {
  AMZN: "Amazon Logistics",
  USPS: "USPS",
  UPS: "UPS",
  FEDEX: "FedEx",
  DHL: "DHL",
  DHLEXPRESS: "DHL Express",
  DPD: "DPD",
  GLS: "GLS",
  HERMES: "Hermes",
  EVRI: "Evri",
  TNT: "TNT",
  ONTRAC: "OnTrac",
  LASERSHIP: "LaserShip",
  CANADAPOST: "Canada Post",
  PUROLATOR: "Purolator",
  ROYALMAIL: "Royal Mail",
  PARCELFORCE: "Parcelforce",
  COLISSIMO: "Colissimo",
  CHRONOPOST: "Chronopost",
  LAPOSTE: "La Poste",
  CORREOS: "Correos",
  SEUR: "SEUR",
  POSTEITALIANE: "Poste Italiane",
  BRT: "BRT",
  AUSPOST: "Australia Post",
  STARTRACK: "StarTrack",
  JAPANPOST: "Japan Post",
  SAGAWA: "Sagawa",
  YAMATO: "Yamato Transport",
};

const ja: Record<string, string> = { AMZN: "Amazon", JAPANPOST: "日本郵便", SAGAWA: "佐川急便", YAMATO: "ヤマト運輸" };

/** The shopper's name for a carrier code in a language, else the code. */
export function carrierName(code: string, locale: string) {
  const key = code
    .toUpperCase()
    .replace(/^AM(AZON|Z[NL]).*/, "AMZN")
    .replace(/_[A-Z]{2}$/, "")
    .replace(/^JP_?POST$/, "JAPANPOST")
    .replace(/[\W_]/g, "");
  return (locale.startsWith("ja") && ja[key]) || names[key] || code;
}

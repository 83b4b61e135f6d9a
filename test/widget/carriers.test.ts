// Carrier names: every code the sandbox emits (and Amazon's own network under any of its codes) has a name.
import { carrierName } from "../../widget/carriers.ts";
import { describe, equal, it, ok } from "./helpers.ts";

describe("carrier names", () => {
  it("names every carrier code the sandbox's marketplaces use", async () => {
    const source = await (await fetch("/sandbox/marketplaces.ts")).text();
    const codes = [...source.matchAll(/code: "([A-Z_]+)"/g)].map((match) => match[1]!);
    ok(codes.length >= 15, `the sandbox's codes: ${codes.join()}`);
    for (const code of [...codes, "AMZN"]) {
      const name = carrierName(code, "en");
      ok(name !== code || /^[A-Z]{2,4}$/.test(code), `${code} reads as ${name}`);
      ok(!name.includes("_"), `${code} reads as ${name}`);
    }
  });

  it("reads Amazon's and the sandbox's codes as the carriers' names, Japanese carriers in Japanese", () => {
    const cases: [string, string, string][] = [
      ["DHL_DE", "de", "DHL"],
      ["DPD_UK", "en", "DPD"],
      ["ROYAL_MAIL", "en", "Royal Mail"],
      ["HERMES_UK", "en", "Hermes"],
      ["COLISSIMO", "fr", "Colissimo"],
      ["CORREOS", "es", "Correos"],
      ["FEDEX", "en", "FedEx"],
      ["USPS", "en", "USPS"],
      ["UPS", "en", "UPS"],
      ["AMZN_US", "en", "Amazon Logistics"],
      ["AMZL_UK", "en", "Amazon Logistics"],
      ["AMZN_DE", "de", "Amazon Logistics"],
      ["YAMATO", "en", "Yamato Transport"],
      ["YAMATO", "ja-JP", "ヤマト運輸"],
      ["SAGAWA", "en", "Sagawa"],
      ["SAGAWA", "ja", "佐川急便"],
      ["JAPANPOST", "en", "Japan Post"],
      ["JP_POST", "ja", "日本郵便"],
      ["CANADA_POST", "en", "Canada Post"],
      ["SOME_LOCAL_CARRIER", "en", "SOME_LOCAL_CARRIER"],
      ["", "en", ""],
    ];
    for (const [code, locale, name] of cases) equal(carrierName(code, locale), name, `${code} in ${locale}`);
  });
});

// Languages, fallbacks, merchant overrides and Intl formatting.
import { catalogs, fill, reasonText, stringsFor } from "../../widget/strings.ts";
import {
  afterEach,
  describe,
  equal,
  expectAccessible,
  includes,
  it,
  liveRegion,
  mount,
  mountWithOptions,
  ok,
  part,
  radios,
  shadow,
  text,
  useFakeProxy,
} from "./helpers.ts";

const price = (element: Element, index: number) => text(radios(element)[index]!.querySelector('[part="price"]'));

describe("i18n", () => {
  const proxy = useFakeProxy();
  afterEach(() => {
    document.documentElement.lang = "en";
  });

  it("every catalog has one text per English key, none empty", () => {
    const keys = Object.keys(stringsFor("en"));
    for (const [language, texts] of Object.entries(catalogs)) {
      const lines = texts.split("\n");
      equal(lines.length, keys.length, `${language} has ${lines.length} texts`);
      ok(
        lines.every((line) => line.trim().length > 0),
        `${language} has an empty text`,
      );
      const strings = stringsFor(language);
      ok(strings.arrives.includes("{date}") && strings.count.includes("{n}"));
    }
    equal(Object.keys(catalogs).sort().join(), "de,es,fr,it,ja");
  });

  for (const [locale, free, label, arrives] of [
    ["en", "Free", "Delivery options", "Arrives Wed, Mar 11"],
    ["de", "Kostenlos", "Versandoptionen", "Lieferung Mi., 11. März"],
    ["fr", "Gratuit", "Options de livraison", "Livraison mer. 11 mars"],
    ["es", "Gratis", "Opciones de envío", "Llega mié, 11 mar"],
    ["it", "Gratis", "Opzioni di spedizione", "Arriva mer 11 mar"],
    ["ja", "無料", "配送オプション", "お届け：3月11日(水)"],
  ] as const) {
    it(`${locale}: words, dates and group label`, async () => {
      const element = await mountWithOptions(`country="US" postal-code="98101" locale="${locale}"`);
      equal(price(element, 0), free);
      equal(shadow(element).querySelector('[role="radiogroup"]')!.getAttribute("aria-label"), label);
      equal(text(radios(element)[2]!.querySelector('[part="arrival"]')), arrives);
      await expectAccessible(element);
    });
  }

  it("currency follows the locale's conventions through Intl.NumberFormat", async () => {
    const element = await mountWithOptions('country="US" postal-code="98101" locale="de"');
    equal(price(element, 1), "7,49 $");
    element.locale = "en-US";
    await element.updateComplete;
    equal(price(element, 1), "$7.49");
  });

  it("switching the locale attribute re-renders every text without a new request", async () => {
    const element = await mountWithOptions('country="US" postal-code="98101" locale="en"');
    element.setAttribute("locale", "fr");
    await element.updateComplete;
    equal(price(element, 0), "Gratuit");
    equal(liveRegion(element), "Options de livraison : 3");
    includes(text(radios(element)[0]), "Standard");
    includes(text(radios(element)[0]!.querySelector('[part="arrival"]')), "Livraison");
    equal(proxy.calls.length, 1);
  });

  it("falls back from region to base language, then to English", async () => {
    equal(stringsFor("de-AT").free, "Kostenlos");
    equal(stringsFor("ja-JP").free, "無料");
    equal(stringsFor("pt-BR").free, "Free");
    const element = await mountWithOptions('country="US" postal-code="98101" locale="de-CH"');
    equal(price(element, 0), "Kostenlos");
    element.locale = "not a locale!";
    await element.updateComplete;
    equal(price(element, 0), "Free", "an invalid tag reads English rather than breaking");
  });

  it("without a locale attribute the closest lang wins, then <html lang>", async () => {
    document.documentElement.lang = "it";
    const element = await mountWithOptions();
    equal(price(element, 0), "Gratis");
    includes(text(part(element, "arrival")), "Arriva");
    element.parentElement!.lang = "ja";
    element.requestUpdate();
    await element.updateComplete;
    equal(price(element, 0), "無料");
  });

  it("the merchant overrides any string", async () => {
    const element = await mountWithOptions('country="US" postal-code="98101" locale="de"', (el) => {
      el.strings = { free: "Gratis-Versand", Standard: "Paket", arrives: "Da am {date}" };
    });
    equal(price(element, 0), "Gratis-Versand");
    includes(text(radios(element)[0]), "Paket");
    includes(text(radios(element)[2]!.querySelector('[part="arrival"]')), "Da am Mi., 11. März");
    includes(text(radios(element)[1]), "Express", "strings not overridden keep the locale's");
  });

  it("one date format within one Japanese list: single days and ranges alike", async () => {
    const element = await mountWithOptions('country="US" postal-code="98101" locale="ja"');
    equal(text(radios(element)[0]!.querySelector('[part="arrival"]')), "お届け：3月14日(土)～3月16日(月)");
    equal(text(radios(element)[2]!.querySelector('[part="arrival"]')), "お届け：3月11日(水)");
  });

  it("Japanese Priority is not named same-day, since it arrives the next day", () => {
    ok(!stringsFor("ja").Priority.includes("当日"));
  });

  it("idle text is localized too", async () => {
    const element = await mount('<mcf-delivery-options locale="es"></mcf-delivery-options>');
    equal(text(part(element, "message")), "Introduce una dirección de envío.");
  });

  it("reason codes map to words, unknown codes to a general one", () => {
    const en = stringsFor("en");
    equal(reasonText("InvalidDestinationAddress", en), "address not served");
    equal(reasonText("NoInventory", en), "out of stock");
    equal(reasonText("InsufficientInventory", en), "out of stock");
    equal(reasonText("InventoryUnavailable", en), "out of stock");
    equal(reasonText("DeliverySLAUnavailable", en), "can't ship to this destination");
    equal(reasonText("UnknownSku", en), "not available");
    equal(reasonText("InvalidSKU", en), "not available");
    equal(reasonText("ProductNotFulfillable", en), "can't ship to this destination");
    equal(reasonText("SomethingAmazonAddsLater", en), "not available");
    equal(reasonText("NoInventory", stringsFor("ja")), "在庫切れ");
  });

  it("fill puts a value into a template's placeholder", () => {
    equal(fill("Arrives {date}", "Wed, Mar 11"), "Arrives Wed, Mar 11");
    equal(fill("Delivery options: {n}", 3), "Delivery options: 3");
  });
});

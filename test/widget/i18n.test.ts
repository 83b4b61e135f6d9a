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
      ok(strings.arrives.includes("{date}") && strings.ships.includes("{date}") && strings.count.includes("{n}"));
    }
    equal(Object.keys(catalogs).sort().join(), "de,es,fr,it,ja");
  });

  for (const [locale, free, label, arrives] of [
    ["en", "Free", "Delivery options", "Arrives tomorrow"],
    ["de", "Kostenlos", "Versandoptionen", "Lieferung morgen"],
    ["fr", "Gratuit", "Options de livraison", "Livraison demain"],
    ["es", "Gratis", "Opciones de envío", "Llega mañana"],
    ["it", "Gratis", "Opzioni di spedizione", "Arriva domani"],
    ["ja", "無料", "配送オプション", "お届け：明日"],
  ] as const) {
    it(`${locale}: words, relative dates and group label`, async () => {
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
    includes(text(radios(element)[2]!.querySelector('[part="arrival"]')), "Da am morgen");
    includes(text(radios(element)[1]), "Express", "strings not overridden keep the locale's");
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
    equal(fill("Arrives {date}", "tomorrow"), "Arrives tomorrow");
    equal(fill("Delivery options: {n}", 3), "Delivery options: 3");
  });
});

// Every state the element can show, each checked by axe-core.
import {
  cart,
  describe,
  equal,
  expectAccessible,
  includes,
  it,
  json,
  liveRegion,
  mount,
  mountLoading,
  mountWithOptions,
  ok,
  option,
  optionsResponse,
  part,
  press,
  problem,
  radios,
  scheduledOption,
  shadow,
  text,
  until,
  useFakeProxy,
} from "./helpers.ts";

describe("states", () => {
  const proxy = useFakeProxy();

  it("idle: asks for an address and calls nothing while the address or cart is missing", async () => {
    const element = await mount('<mcf-delivery-options country="US"></mcf-delivery-options>', (el) => {
      el.items = cart;
    });
    equal(element.status, "idle");
    includes(text(part(element, "message")), "Enter your address");
    equal(proxy.calls.length, 0);
    element.postalCode = "98101";
    element.items = [];
    await element.updateComplete;
    equal(element.status, "idle", "an empty cart stays idle");
    equal(proxy.calls.length, 0);
    await expectAccessible(element);
  });

  it("loading: a skeleton reserves the layout, the group is busy and the live region says so", async () => {
    const { element, release } = await mountLoading(proxy);
    equal(proxy.calls.length, 1);
    equal(shadow(element).querySelectorAll('[part="skeleton"]').length, 3);
    equal(shadow(element).querySelector('[part="base"]')!.getAttribute("aria-busy"), "true");
    equal(liveRegion(element), "Loading…");
    equal(shadow(element).querySelector('[aria-busy] [role="status"]'), null, "the live region is not held back");
    const skeletonHeight = part(element, "skeleton")!.getBoundingClientRect().height;
    await expectAccessible(element);
    release();
    await until(() => element.status === "ready");
    await element.updateComplete;
    const optionHeight = radios(element)[0]!.getBoundingClientRect().height;
    ok(Math.abs(optionHeight - skeletonHeight) < 2, `skeleton ${skeletonHeight}px vs option ${optionHeight}px`);
  });

  it("options: ordered by speed, zero price reads Free, arrival days as ranges in one format", async () => {
    const element = await mountWithOptions();
    equal(element.status, "ready");
    const [standard, expedited, priority] = radios(element);
    equal(radios(element).length, 3);
    includes(text(standard), "Standard");
    includes(text(expedited), "Expedited");
    includes(text(priority), "Priority");
    equal(text(standard!.querySelector('[part="price"]')), "Free");
    equal(text(expedited!.querySelector('[part="price"]')), "$7.49");
    // Standard arrives 14-16 March (20:00 UTC = 13:00 in Los Angeles): a range.
    equal(text(standard!.querySelector('[part="arrival"]')), "Arrives Sat, Mar 14 – Mon, Mar 16");
    // Priority arrives on 11 March in Los Angeles: one day, in the same format as the ranges.
    equal(text(priority!.querySelector('[part="arrival"]')), "Arrives Wed, Mar 11");
    equal(liveRegion(element), "Delivery options: 3");
    equal(shadow(element).querySelector('[role="radiogroup"]')!.getAttribute("aria-label"), "Delivery options");
    equal(element.value, "", "nothing is chosen for the shopper");
    await expectAccessible(element);
  });

  it("dates read in the option's time zone, not the browser's", async () => {
    proxy.reply = () =>
      json(
        optionsResponse({
          options: [
            option("Priority", "1.00", {
              timeZone: "Asia/Tokyo",
              arrival: { earliest: "2026-03-10T16:00:00Z", latest: "2026-03-10T16:30:00Z" },
            }),
          ],
        }),
      );
    // 16:00 UTC on 10 March is 01:00 on 11 March in Tokyo, still 10 March in the browser's UTC.
    const element = await mountWithOptions('country="JP" postal-code="100-0001" locale="en"');
    equal(text(part(element, "arrival")), "Arrives Wed, Mar 11");
  });

  it("options without dates leave the date lines out", async () => {
    proxy.reply = () =>
      json(
        optionsResponse({
          options: [option("Standard", "1.00", { ship: {}, arrival: { latest: "2026-03-20T20:00:00Z" } })],
        }),
      );
    const element = await mountWithOptions();
    equal(text(part(element, "arrival")), "Arrives Fri, Mar 20");
    proxy.reply = () => json(optionsResponse({ options: [option("Standard", "1.00", { arrival: {} })] }));
    await element.refresh();
    equal(part(element, "arrival"), null);
  });

  it("scheduled delivery: a row of days, the chosen day's windows, in Asia/Tokyo; each window its own quote", async () => {
    proxy.reply = () =>
      json(
        optionsResponse({
          options: [option("Standard", "0", { price: { amount: "0", currency: "JPY" } }), scheduledOption()],
        }),
      );
    const element = await mountWithOptions('country="JP" postal-code="100-0001" locale="en"');
    equal(part(element, "scheduled"), null, "the picker appears once Scheduled Delivery is chosen");
    radios(element)[1]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w1", "the earliest window is chosen first");
    const days = () => [...shadow(element).querySelectorAll<HTMLElement>('[part~="day"]')];
    const windows = () => [...shadow(element).querySelectorAll<HTMLElement>('[part~="window"]')];
    // Days and windows in Tokyo: 23:00 UTC on 10 March is 08:00 on 11 March there.
    equal(days().map(text).join(" | "), "Wed, Mar 11 | Thu, Mar 12");
    equal(windows().map(text).join(" | "), "8 AM – 12 PM | 2 – 4 PM");
    equal(part(element, "days")!.getAttribute("aria-label"), "Delivery day");
    equal(part(element, "windows")!.getAttribute("aria-label"), "Delivery time");
    equal(days()[0]!.getAttribute("aria-checked"), "true");
    await expectAccessible(element);
    const changes: string[] = [];
    element.addEventListener("mcf-change", (event) => changes.push((event as CustomEvent).detail.quote));
    windows()[1]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w2");
    days()[1]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w3", "a day without the chosen time takes its first window");
    equal(windows().map(text).join(" | "), "8 AM – 12 PM");
    equal(element.selected?.deliveryWindow?.start, "2026-03-11T23:00:00Z");
    // The chosen option's arrival line follows the chosen window (Thu, Mar 12 in Tokyo), not the earliest one.
    const arrivals = shadow(element).querySelectorAll('[part="arrival"]');
    includes(text(arrivals[arrivals.length - 1]!), "Thu, Mar 12");
    equal(changes.join(), "quote-w2,quote-w3");
    radios(element)[0]!.click();
    await element.updateComplete;
    equal(part(element, "scheduled"), null);
    radios(element)[1]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w3", "choosing Scheduled Delivery again keeps the window");
    equal(text(part(element, "price")), "Free");
    equal(text(shadow(element).querySelectorAll('[part="price"]')[1]!), "¥500");
    await expectAccessible(element);
  });

  it("scheduled delivery picker: keyboard moves within days and within windows, one tab stop each", async () => {
    proxy.reply = () => json(optionsResponse({ options: [scheduledOption()] }));
    const element = await mountWithOptions('country="JP" postal-code="100-0001" locale="ja"');
    radios(element)[0]!.click();
    await element.updateComplete;
    const stops = () => [...shadow(element).querySelectorAll('[part="scheduled"] [tabindex="0"]')].map(text);
    equal(stops().join(" | "), "3月11日(水) | 8時～12時");
    press(shadow(element).querySelector<HTMLElement>('[part~="window-checked"]')!, "ArrowRight");
    await element.updateComplete;
    equal(element.value, "quote-w2");
    equal(shadow(element).activeElement, shadow(element).querySelector('[part~="window-checked"]'));
    press(shadow(element).querySelector<HTMLElement>('[part~="day-checked"]')!, "ArrowRight");
    await element.updateComplete;
    equal(element.value, "quote-w3");
    equal(shadow(element).activeElement, shadow(element).querySelector('[part~="day-checked"]'));
    press(shadow(element).querySelector<HTMLElement>('[part~="day-checked"]')!, "ArrowRight");
    await element.updateComplete;
    equal(element.value, "quote-w1", "wraps to the first day, at its first window");
    await expectAccessible(element);
  });

  it("cash on delivery in Japan: asks for COD options, offers only those and shows the note", async () => {
    const yen = (amount: string) => ({ amount, currency: "JPY" });
    proxy.reply = () =>
      json(
        optionsResponse({
          options: [
            option("Standard", "0", { price: yen("0") }),
            option("Standard", "330", { id: "Standard-COD", cashOnDelivery: true, price: yen("330") }),
          ],
        }),
      );
    const element = await mountWithOptions('country="jp" postal-code="100-0001" cash-on-delivery locale="ja"');
    equal(proxy.calls[0]!.body.cashOnDelivery, true);
    equal((proxy.calls[0]!.body.address as { countryCode: string }).countryCode, "JP");
    includes(text(part(element, "cod-note")), "代金引換");
    equal(radios(element).length, 1, "one option a speed: the COD one");
    radios(element)[0]!.click();
    equal(element.selected?.id, "Standard-COD");
    equal(text(part(element, "price")), "￥330");
    await expectAccessible(element);
  });

  it("no COD note outside Japan or without cash-on-delivery", async () => {
    const element = await mountWithOptions('country="US" postal-code="98101" cash-on-delivery');
    equal(part(element, "cod-note"), null);
    // Amazon offers COD in Japan only: asking elsewhere would make the proxy refuse the whole request.
    equal(proxy.calls[0]!.body.cashOnDelivery, undefined);
  });

  it("unfulfillable items are listed with reasons a person understands", async () => {
    proxy.reply = () =>
      json(
        optionsResponse({
          unfulfillable: [
            { sku: "MUG-BLUE", quantity: 2, reasons: ["NoInventory"] },
            { sku: "TEE-M", quantity: 1, reasons: ["InvalidSKU", "ProductNotFulfillable"] },
          ],
        }),
      );
    const element = await mountWithOptions();
    const items = [...part(element, "unfulfillable")!.querySelectorAll("li")].map(text);
    equal(items[0], "Blue mug × 2: out of stock", "the item's title is shown when known");
    equal(items[1], "TEE-M × 1: not available, can't ship to this destination");
    await expectAccessible(element);
  });

  it("empty: no fulfillable option, with the order's reasons", async () => {
    proxy.reply = () =>
      json(
        optionsResponse({
          options: [option("Standard", "1.00", { fulfillable: false, reasons: ["InvalidDestinationAddress"] })],
          reasons: ["InvalidDestinationAddress", "SomethingNew"],
        }),
      );
    const element = await mountWithOptions();
    equal(element.status, "empty");
    equal(radios(element).length, 0);
    equal(text(part(element, "message")), "No delivery options for this address.");
    equal([...shadow(element).querySelectorAll("li")].map(text).join(" | "), "address not served | not available");
    equal(liveRegion(element), "No delivery options for this address.");
    equal(element.value, "");
    await expectAccessible(element);
  });

  for (const source of ["stale", "fallback"] as const) {
    it(`${source} answers are labelled as estimates`, async () => {
      proxy.reply = () => json(optionsResponse({ source }));
      const element = await mountWithOptions();
      equal(shadow(element).querySelectorAll('[part="estimate"]').length, 3);
      includes(text(radios(element)[0]), "Estimate");
      await expectAccessible(element);
    });
  }

  it("live and cached answers carry no estimate label", async () => {
    proxy.reply = () => json(optionsResponse({ source: "cache" }));
    const element = await mountWithOptions();
    equal(part(element, "estimate"), null);
  });

  it("error: a message and a Retry button, never a blank box; Retry asks again", async () => {
    proxy.reply = () => problem(502, "Upstream unavailable", "Amazon did not answer in time.");
    const element = await mountWithOptions();
    equal(element.status, "error");
    includes(text(part(element, "error")), "Couldn't load delivery options.");
    equal(liveRegion(element), "Couldn't load delivery options.");
    equal(element.value, "");
    await expectAccessible(element);
    proxy.reply = () => json(optionsResponse());
    part(element, "retry")!.click();
    await until(() => element.status === "ready");
    equal(proxy.calls.length, 2);
  });

  it("error: an unreachable proxy reads the same", async () => {
    proxy.reply = () => Promise.reject(new TypeError("Failed to fetch"));
    const element = await mountWithOptions();
    equal(element.status, "error");
    ok(part(element, "retry"));
  });

  it("status is reflected for styling", async () => {
    const element = await mountWithOptions();
    equal(element.getAttribute("status"), "ready");
  });
});

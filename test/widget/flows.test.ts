// Bugs shoppers met: the browser flow offering what confirm() cannot place, developer words on the page, a chosen
// Scheduled Delivery window lost on the way, and a refused origin that developers could not diagnose.
import {
  describe,
  equal,
  expectAccessible,
  includes,
  it,
  json,
  mount,
  mountWithOptions,
  ok,
  option,
  optionsResponse,
  part,
  press,
  radios,
  scheduledOption,
  shadow,
  text,
  until,
  useFakeProxy,
} from "./helpers.ts";

const problemJson = (slug: string, status: number, detail: string, errors?: { path: string; message: string }[]) =>
  json(
    { type: `https://mcf-checkout.dev/problems/${slug}`, title: "Refused", status, detail, errors },
    status,
    "application/problem+json",
  );

const yen = (amount: string) => ({ amount, currency: "JPY" });
const jpOptions = () => [
  option("Standard", "0", { price: yen("0") }),
  option("Expedited", "400", { price: yen("400") }),
  scheduledOption(),
];
const holdFlow = {
  action: "Hold" as const,
  speeds: ["Standard" as const, "Expedited" as const, "Priority" as const],
  cashOnDelivery: false,
  reasons: ["scheduled-needs-ship" as const, "cod-needs-server" as const],
};

/** An element with a Tokyo address inside a form (so in the server flow by default), once its options are in. */
async function mountJapanInForm() {
  const element = await mount(
    '<form><mcf-delivery-options country="JP" postal-code="100-0001"></mcf-delivery-options></form>',
    (el) => {
      el.items = [{ sku: "TEA", quantity: 1 }];
    },
  );
  await until(() => element.status === "ready");
  await element.updateComplete;
  return element;
}

/** Captures console.error while `body` runs. */
async function consoleErrors(body: () => Promise<void>) {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await body();
  } finally {
    console.error = original;
  }
  return lines;
}

describe("browser flow", () => {
  const proxy = useFakeProxy();

  it("outside a form, what confirm() cannot place is shown unavailable, in the shopper's words", async () => {
    proxy.reply = () => json(optionsResponse({ options: jpOptions(), browserFlow: holdFlow }));
    const element = await mountWithOptions('country="JP" postal-code="100-0001" locale="ja"');
    const scheduled = radios(element)[2]!;
    equal(scheduled.getAttribute("aria-disabled"), "true");
    equal(text(scheduled.querySelector('[part="unorderable"]')), "このサイトではご利用いただけません");
    scheduled.click();
    await element.updateComplete;
    equal(element.value, "", "it cannot be chosen");
    radios(element)[1]!.click();
    await element.updateComplete;
    press(radios(element)[1]!, "ArrowDown");
    await element.updateComplete;
    equal(element.selected?.speed, "Standard", "arrow keys skip it and wrap");
    ok(!/MCF_|perUnitPrice|Hold/.test(text(shadow(element) as unknown as Element)), "no developer words");
    await expectAccessible(element);
  });

  it("in a form that posts to the merchant (server flow) everything stays orderable; flow=browser overrides", async () => {
    proxy.reply = () => json(optionsResponse({ options: jpOptions(), browserFlow: holdFlow }));
    const element = await mountJapanInForm();
    equal(radios(element)[2]!.getAttribute("aria-disabled"), "false");
    element.flow = "browser";
    await element.updateComplete;
    equal(radios(element)[2]!.getAttribute("aria-disabled"), "true");
  });

  it("cash on delivery the browser flow cannot order, and browser orders off, disable every option", async () => {
    const cod = [option("Standard", "330", { id: "Standard-COD", cashOnDelivery: true, price: yen("330") })];
    proxy.reply = () => json(optionsResponse({ options: cod, browserFlow: holdFlow }));
    const element = await mountWithOptions('country="JP" postal-code="100-0001" cash-on-delivery');
    equal(radios(element)[0]!.getAttribute("aria-disabled"), "true");
    proxy.reply = () =>
      json(
        optionsResponse({ browserFlow: { action: null, speeds: [], cashOnDelivery: false, reasons: ["orders-off"] } }),
      );
    element.cashOnDelivery = false;
    await until(() => element.status === "ready" && radios(element).length === 3);
    await element.updateComplete;
    ok(radios(element).every((radio) => radio.getAttribute("aria-disabled") === "true"));
    equal(element.value, "");
  });

  it("a proxy without browserFlow leaves everything orderable", async () => {
    proxy.reply = () => json(optionsResponse({ options: jpOptions() }));
    const element = await mountWithOptions('country="JP" postal-code="100-0001"');
    ok(radios(element).every((radio) => radio.getAttribute("aria-disabled") === "false"));
  });

  it("a refused order reaches mcf-error in the shopper's words; the developer's detail goes to the console", async () => {
    proxy.reply = (call) =>
      call.url.endsWith("/v1/orders")
        ? problemJson(
            "scheduled-delivery-hold",
            409,
            "Amazon forbids Hold with ScheduledDelivery; set MCF_BROWSER_ORDERS=ship",
            [{ path: "items[].perUnitPrice", message: "not allowed" }],
          )
        : json(optionsResponse({ options: jpOptions() }));
    const element = await mountWithOptions('country="JP" postal-code="100-0001" locale="ja"');
    radios(element)[2]!.click();
    let message = "";
    element.addEventListener("mcf-error", (event) => {
      message = (event as CustomEvent).detail.message;
    });
    const lines = await consoleErrors(async () => {
      await element
        .confirm({ address: { countryCode: "JP", postalCode: "100-0001", name: "山田", line1: "1-1" } })
        .catch(() => {});
    });
    equal(message, "このサイトではご利用いただけません");
    includes(lines.join("\n"), "MCF_BROWSER_ORDERS");
  });

  it("an expired quote on confirm() says options changed and loads fresh ones", async () => {
    proxy.reply = (call) =>
      call.url.endsWith("/v1/orders") ? problemJson("quote-expired", 409, "quote expired") : json(optionsResponse());
    const element = await mountWithOptions();
    radios(element)[0]!.click();
    let message = "";
    element.addEventListener("mcf-error", (event) => {
      message = (event as CustomEvent).detail.message;
    });
    await consoleErrors(() =>
      element.confirm().then(
        () => {},
        () => {},
      ),
    );
    equal(message, "Delivery options changed. Choose again.");
    await until(() => proxy.calls.filter((call) => call.url.endsWith("/v1/delivery-options")).length === 2);
  });
});

describe("errors and Retry", () => {
  const proxy = useFakeProxy();

  for (const [status, retry] of [
    [429, true],
    [503, true],
    [400, false],
    [404, false],
  ] as const) {
    it(`${status}: ${retry ? "Retry" : "no Retry"}`, async () => {
      proxy.reply = () => problemJson("upstream-rejected", status, "details for developers");
      let element!: Awaited<ReturnType<typeof mountWithOptions>>;
      await consoleErrors(async () => {
        element = await mountWithOptions();
      });
      equal(element.status, "error");
      equal(!!part(element, "retry"), retry);
      ok(!text(part(element, "error")).includes("developers"));
      await expectAccessible(element);
    });
  }

  it("more than 250 units refused by the proxy reads as too large", async () => {
    proxy.reply = () =>
      problemJson("validation", 400, "items: must add up to at most 250 units", [
        { path: "items", message: "must add up to at most 250 units" },
      ]);
    let element!: Awaited<ReturnType<typeof mountWithOptions>>;
    await consoleErrors(async () => {
      element = await mountWithOptions();
    });
    equal(element.status, "invalid");
    equal(text(part(element, "message")), "Too many items for one order.");
    equal(part(element, "retry"), null);
  });

  it("a refused origin: a console error names the origin and MCF_ALLOWED_ORIGINS; the shopper sees a neutral message", async () => {
    proxy.reply = () => problemJson("origin-not-allowed", 403, `Origin ${location.origin} is not allowed`);
    let element!: Awaited<ReturnType<typeof mountWithOptions>>;
    const lines = await consoleErrors(async () => {
      element = await mountWithOptions();
    });
    const line = lines.find((entry) => entry.includes("MCF_ALLOWED_ORIGINS"));
    ok(line, `a console error names MCF_ALLOWED_ORIGINS: ${lines.join(" | ")}`);
    includes(line, location.origin);
    equal(text(part(element, "error")), "Delivery options are unavailable.");
    equal(part(element, "retry"), null);
    ok(!text(shadow(element) as unknown as Element).includes("MCF_"));
  });
});

describe("the chosen Scheduled Delivery window", () => {
  const proxy = useFakeProxy();

  it("survives moving to another speed and back, with arrows or the mouse, and refreshes of the same answer", async () => {
    proxy.reply = () => json(optionsResponse({ options: jpOptions() }));
    const element = await mountWithOptions('country="JP" postal-code="100-0001"');
    radios(element)[2]!.click();
    await element.updateComplete;
    const window = () => shadow(element).querySelectorAll<HTMLElement>('[part~="window"]');
    window()[1]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w2");
    press(radios(element)[2]!, "ArrowUp");
    await element.updateComplete;
    equal(element.selected?.speed, "Expedited");
    press(radios(element)[1]!, "ArrowDown");
    await element.updateComplete;
    equal(element.value, "quote-w2", "back with the arrows");
    radios(element)[0]!.click();
    await element.updateComplete;
    radios(element)[2]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w2", "back with the mouse");
    radios(element)[0]!.click();
    await element.refresh();
    radios(element)[2]!.click();
    await element.updateComplete;
    equal(element.value, "quote-w2", "after a refresh while another speed was chosen");
    await element.refresh();
    equal(element.value, "quote-w2", "after a refresh while it was chosen");
    equal(element.selected?.deliveryWindow?.start, "2026-03-11T05:00:00Z");
  });

  it("form reset forgets it", async () => {
    proxy.reply = () => json(optionsResponse({ options: jpOptions() }));
    const element = await mountJapanInForm();
    radios(element)[2]!.click();
    await element.updateComplete;
    shadow(element).querySelectorAll<HTMLElement>('[part~="window"]')[1]!.click();
    element.closest("form")!.reset();
    await element.updateComplete;
    radios(element)[2]!.click();
    equal(element.value, "quote-w1");
  });
});

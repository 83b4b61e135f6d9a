// Talking to the proxy: the request it gets, debounce, aborts, problem+json errors, keys and endpoints.
import { ProblemError } from "../../widget/client.ts";
import {
  cart,
  deepEqual,
  describe,
  equal,
  held,
  it,
  json,
  mount,
  mountWithOptions,
  ok,
  option,
  optionsResponse,
  problem,
  radios,
  until,
  useFakeProxy,
} from "./helpers.ts";

describe("proxy", () => {
  const proxy = useFakeProxy();

  it("posts the DESIGN request to <endpoint>/v1/delivery-options with the publishable key", async () => {
    await mountWithOptions(
      'endpoint="https://proxy.example/" publishable-key="pk_test_1" marketplace-id="ATVPDKIKX0DER" country="us" postal-code="98101" state="WA" city="Seattle" speeds="Standard, Priority"',
      (el) => {
        el.items = [{ sku: "MUG-BLUE", quantity: 2, title: "Blue mug", declaredValue: "12.50" }];
      },
    );
    const call = proxy.calls[0]!;
    equal(call.url, "https://proxy.example/v1/delivery-options");
    equal(call.method, "POST");
    equal(call.headers.get("authorization"), "Bearer pk_test_1");
    equal(call.headers.get("content-type"), "application/json");
    deepEqual(call.body, {
      marketplaceId: "ATVPDKIKX0DER",
      items: [{ sku: "MUG-BLUE", quantity: 2, declaredValue: "12.50" }],
      address: { countryCode: "US", postalCode: "98101", stateOrRegion: "WA", city: "Seattle" },
      speeds: ["Standard", "Priority"],
    });
  });

  it("endpoint defaults to the origin the script was loaded from; no key, no Authorization", async () => {
    await mountWithOptions();
    equal(proxy.calls[0]!.url, `${location.origin}/v1/delivery-options`);
    equal(proxy.calls[0]!.headers.has("authorization"), false);
  });

  it("items and address can be given as JSON attributes", async () => {
    const element = await mount(
      `<mcf-delivery-options items='[{"sku":"A-1","quantity":3}]' address='{"countryCode":"GB","postalCode":"SW1A 1AA"}'></mcf-delivery-options>`,
    );
    await until(() => element.status === "ready");
    deepEqual(proxy.calls[0]!.body, {
      items: [{ sku: "A-1", quantity: 3 }],
      address: { countryCode: "GB", postalCode: "SW1A 1AA" },
    });
  });

  it("debounces: a burst of changes makes one request, after the quiet period", async () => {
    const element = await mount('<mcf-delivery-options country="US"></mcf-delivery-options>', (el) => {
      el.items = cart;
      el.debounce = 40;
    });
    for (const postalCode of ["9", "98", "981", "9810", "98101"]) {
      element.postalCode = postalCode;
      await element.updateComplete;
    }
    equal(element.status, "loading", "the skeleton shows while waiting");
    equal(proxy.calls.length, 0, "nothing is sent during the burst");
    await until(() => element.status === "ready");
    equal(proxy.calls.length, 1);
    equal((proxy.calls[0]!.body.address as Record<string, string>).postalCode, "98101");
  });

  it("aborts a stale request; its late answer is never shown", async () => {
    const first = held(() => json(optionsResponse({ options: [option("Standard", "99.00")] })));
    proxy.reply = (call) => (proxy.calls.indexOf(call) === 0 ? first.reply : json(optionsResponse()));
    const element = await mount(
      '<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>',
      (el) => {
        el.items = cart;
      },
    );
    await until(() => proxy.calls.length === 1);
    element.postalCode = "98052";
    await until(() => element.status === "ready");
    equal(proxy.calls[0]!.signal?.aborted, true);
    equal(proxy.calls[1]!.signal?.aborted, false);
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    equal(radios(element).length, 3, "the second answer stays");
  });

  it("an unchanged request is not sent again; refresh() sends it at once", async () => {
    const element = await mountWithOptions();
    element.country = "US";
    element.requestUpdate();
    await element.updateComplete;
    equal(proxy.calls.length, 1);
    element.debounce = 10_000;
    await element.refresh();
    equal(proxy.calls.length, 2);
    equal(element.status, "ready");
  });

  it("problem+json errors reach mcf-error as ProblemError with status, title and detail", async () => {
    proxy.reply = () => problem(400, "Invalid request", "address.postalCode: must not be empty");
    const element = await mount(
      '<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>',
      (el) => {
        el.items = cart;
      },
    );
    const event = await new Promise<CustomEvent>((resolve) =>
      element.addEventListener("mcf-error", (e) => resolve(e as CustomEvent), { once: true }),
    );
    const { error, operation } = event.detail as { error: ProblemError; operation: string };
    equal(operation, "options");
    ok(error instanceof ProblemError);
    equal(error.status, 400);
    equal(error.title, "Invalid request");
    equal(error.detail, "address.postalCode: must not be empty");
    equal(error.message, "address.postalCode: must not be empty");
    await until(() => element.status === "error");
  });

  it("a proxy that does not answer in time reads as an error with Retry", async () => {
    const gate = held(() => json(optionsResponse()));
    proxy.reply = () => gate.reply;
    const element = await mountWithOptions('country="US" postal-code="98101"', (el) => {
      el.timeout = 50;
    });
    equal(element.status, "error");
    equal(proxy.calls[0]!.signal?.aborted, true, "the request is abandoned");
    gate.release();
    proxy.reply = () => json(optionsResponse());
    await element.refresh();
    equal(element.status, "ready");
  });

  it("non-JSON failures and unreachable proxies become ProblemErrors too", async () => {
    proxy.reply = () => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" });
    const element = await mount(
      '<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>',
      (el) => {
        el.items = cart;
      },
    );
    const errors: ProblemError[] = [];
    element.addEventListener("mcf-error", (e) => errors.push((e as CustomEvent).detail.error));
    await until(() => errors.length === 1);
    equal(errors[0]!.status, 502);
    equal(errors[0]!.title, "Bad Gateway");
    proxy.reply = () => Promise.reject(new TypeError("Failed to fetch"));
    await element.refresh();
    equal(errors[1]!.status, 0);
    equal(errors[1]!.title, "Network error");
  });
});

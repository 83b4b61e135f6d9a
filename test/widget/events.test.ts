// Events (bubbling, composed) and confirm(): the browser checkout flow.
import type { ProblemError } from "../../widget/client.ts";
import {
  cart,
  deepEqual,
  describe,
  equal,
  fullAddress,
  includes,
  it,
  json,
  mount,
  mountWithOptions,
  orderResponse,
  problem,
  radios,
  rejects,
  shadow,
  useFakeProxy,
} from "./helpers.ts";

describe("events and confirm()", () => {
  const proxy = useFakeProxy();

  it("mcf-ready, mcf-options and mcf-change bubble out of the shadow root, composed", async () => {
    const seen: Event[] = [];
    const listener = (event: Event) => seen.push(event);
    for (const type of ["mcf-ready", "mcf-options", "mcf-change"]) document.addEventListener(type, listener);
    const element = await mountWithOptions();
    radios(element)[1]!.click();
    for (const type of ["mcf-ready", "mcf-options", "mcf-change"]) document.removeEventListener(type, listener);
    equal(seen.map((event) => event.type).join(), "mcf-ready,mcf-options,mcf-change");
    equal(
      seen.every((event) => event.bubbles && event.composed),
      true,
    );
    const options = (seen[1] as CustomEvent).detail;
    equal(options.options.map((o: { speed: string }) => o.speed).join(), "Standard,Expedited,Priority");
    equal(options.source, "live");
    const change = (seen[2] as CustomEvent).detail;
    equal(change.speed, "Expedited");
    equal(change.quote, "quote-Expedited");
    equal(change.price.amount, "7.49");
  });

  it("choosing the same option again fires no mcf-change", async () => {
    const element = await mountWithOptions();
    let changes = 0;
    element.addEventListener("mcf-change", () => changes++);
    radios(element)[0]!.click();
    radios(element)[0]!.click();
    equal(changes, 1);
  });

  it("confirm() posts the quote, address and items to /v1/orders and dispatches mcf-order", async () => {
    const element = await mountWithOptions('publishable-key="pk_1" country="US" postal-code="98101"', (el) => {
      el.address = fullAddress;
    });
    radios(element)[1]!.click();
    const ordered = new Promise<CustomEvent>((resolve) =>
      document.addEventListener("mcf-order", (event) => resolve(event as CustomEvent), { once: true }),
    );
    const order = await element.confirm({ displayableOrderId: "SHOP-1001", notificationEmails: ["ada@example.com"] });
    deepEqual(order, orderResponse);
    const event = await ordered;
    deepEqual(event.detail, orderResponse);
    equal(event.composed, true);
    const call = proxy.calls[1]!;
    equal(call.url, `${location.origin}/v1/orders`);
    equal(call.headers.get("authorization"), "Bearer pk_1");
    deepEqual(call.body, {
      displayableOrderId: "SHOP-1001",
      notificationEmails: ["ada@example.com"],
      quote: "quote-Expedited",
      address: fullAddress,
      items: [
        { sku: "MUG-BLUE", quantity: 2 },
        { sku: "TEE-M", quantity: 1 },
      ],
    });
  });

  it("confirm() details override the address and items", async () => {
    const element = await mountWithOptions();
    radios(element)[0]!.click();
    const items = [{ sku: "MUG-BLUE", quantity: 2, giftMessage: "Enjoy!" }];
    await element.confirm({ address: fullAddress, items });
    deepEqual(proxy.calls[1]!.body.items, items);
    deepEqual(proxy.calls[1]!.body.address, fullAddress);
  });

  it("a retried confirm() reuses its Idempotency-Key; a different order gets a new one", async () => {
    const element = await mountWithOptions();
    radios(element)[0]!.click();
    proxy.reply = () => Promise.reject(new TypeError("Failed to fetch"));
    await rejects(element.confirm({ address: fullAddress }));
    proxy.reply = () => json(orderResponse, 201);
    await element.confirm({ address: fullAddress });
    const [first, retry] = [proxy.calls[1]!, proxy.calls[2]!];
    equal(first.headers.get("idempotency-key")?.length, 36);
    equal(retry.headers.get("idempotency-key"), first.headers.get("idempotency-key"));
    radios(element)[2]!.click();
    await element.confirm({ address: fullAddress });
    equal(proxy.calls[3]!.headers.get("idempotency-key") === first.headers.get("idempotency-key"), false);
  });

  it("confirm() without a choice rejects, dispatches mcf-error and shows the required message", async () => {
    const element = await mountWithOptions();
    const errors: CustomEvent[] = [];
    element.addEventListener("mcf-error", (event) => errors.push(event as CustomEvent));
    await rejects(element.confirm(), (error) => {
      equal((error as ProblemError).status, 400);
      equal((error as ProblemError).detail, "Choose a delivery option.");
    });
    equal(errors.length, 1);
    equal(errors[0]!.detail.operation, "order");
    equal(proxy.calls.length, 1, "nothing was posted");
    equal(shadow(element).activeElement, radios(element)[0], "the group is focused for the shopper");
  });

  it("confirm() refused by the proxy rejects with the problem and dispatches mcf-error", async () => {
    const element = await mountWithOptions();
    radios(element)[0]!.click();
    proxy.reply = () => problem(409, "Quote expired", "The quote expired; ask for delivery options again.");
    const failed = new Promise<CustomEvent>((resolve) =>
      element.addEventListener("mcf-error", (event) => resolve(event as CustomEvent), { once: true }),
    );
    await rejects(element.confirm({ address: fullAddress }), (error) => {
      equal((error as ProblemError).status, 409);
      equal((error as ProblemError).title, "Quote expired");
    });
    const event = await failed;
    equal(event.detail.operation, "order");
    equal(event.bubbles && event.composed, true);
  });

  it("mcf-error bubbles out when options fail", async () => {
    proxy.reply = () => problem(503, "Unavailable");
    const failed = new Promise<CustomEvent>((resolve) =>
      document.addEventListener("mcf-error", (event) => resolve(event as CustomEvent), { once: true }),
    );
    await mount('<mcf-delivery-options country="US" postal-code="98101"></mcf-delivery-options>', (el) => {
      el.items = cart;
    });
    const event = await failed;
    equal(event.composed, true);
    includes((event.detail.error as ProblemError).title, "Unavailable");
  });

  it("the element is defined once even when the bundle is loaded twice", async () => {
    const first = customElements.get("mcf-delivery-options");
    await import(`../../widget/index.ts?again=${Date.now()}`);
    equal(customElements.get("mcf-delivery-options"), first);
  });
});

// The one HTTP contract every runtime must honour, written once and run against each (runtimes.test.ts).
// Every response is recorded so the secret scan can read all of it, together with what the runtime printed.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { RunningProxy } from "./harness.ts";

export interface ContractFixture {
  /** The running proxy under test (set by the suite's `before`). */
  proxy(): RunningProxy;
  secretKey: string;
  publishableKey: string;
  allowedOrigin: string;
  /** Values that must never appear in any response or log line. */
  secrets: string[];
  preview: { items: { sku: string; quantity: number }[]; address: Record<string, string> };
  orderAddress: Record<string, string>;
}

interface Recorded {
  status: number;
  headers: Headers;
  text: string;
  json(): unknown;
}

/** Everything a contract run received, for the secret scan. */
export function createRecorder(fixture: ContractFixture) {
  const transcript: string[] = [];
  async function call(path: string, init: RequestInit & { key?: "secret" | "publishable" | "none" } = {}) {
    const headers = new Headers(init.headers);
    if (init.key !== "none") {
      headers.set("authorization", `Bearer ${init.key === "secret" ? fixture.secretKey : fixture.publishableKey}`);
    }
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const response = await fetch(new URL(path, fixture.proxy().url), { ...init, headers, redirect: "manual" });
    const text = await response.text();
    transcript.push(
      `${response.status} ${path}\n${[...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n${text}`,
    );
    const recorded: Recorded = {
      status: response.status,
      headers: response.headers,
      text,
      json: () => JSON.parse(text),
    };
    return recorded;
  }
  return { call, transcript };
}

interface PreviewOption {
  id: string;
  speed: string;
  fulfillable: boolean;
  price: { amount: string; currency: string };
  ship: { earliest: string; latest: string };
  arrival: { earliest: string; latest: string };
  quote: string;
  expiresAt: string;
}

const isIsoTime = (value: unknown) => typeof value === "string" && !Number.isNaN(Date.parse(value));

/** Registers the contract's tests in the current `describe`. */
export function contractTests(fixture: ContractFixture): void {
  const { call, transcript } = createRecorder(fixture);
  const browser = { origin: fixture.allowedOrigin };
  let option: PreviewOption | undefined;

  const previewBody = () => JSON.stringify(fixture.preview);
  const orderBody = (quote: string, orderId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ quote, orderId, address: fixture.orderAddress, items: fixture.preview.items, ...extra });

  it("previews delivery options with prices, dates and signed quotes", async () => {
    const response = await call("/v1/delivery-options", {
      method: "POST",
      key: "publishable",
      headers: browser,
      body: previewBody(),
    });
    assert.equal(response.status, 200, response.text);
    assert.ok(response.headers.get("x-request-id"));
    const body = response.json() as { options: PreviewOption[]; source: string };
    assert.equal(body.source, "live");
    assert.ok(body.options.length > 0, "at least one delivery option");
    for (const each of body.options) {
      assert.match(each.price.amount, /^\d+(\.\d+)?$/, "price is a decimal string");
      assert.match(each.price.currency, /^[A-Z]{3}$/);
      assert.ok(isIsoTime(each.ship.earliest) && isIsoTime(each.arrival.latest), "ship and arrival dates");
      assert.ok(each.quote.split(".").length === 3, "quote is a compact signed token");
    }
    option = body.options.find((each) => each.fulfillable);
    assert.ok(option, "a fulfillable option");
  });

  it("turns a quote into an order (201 with an orderToken)", async () => {
    assert.ok(option, "needs the preview");
    const response = await call("/v1/orders", {
      method: "POST",
      key: "secret",
      headers: { "idempotency-key": "runtime-order-1" },
      body: orderBody(option.quote, `rt-${fixture.proxy().runtime}-1`),
    });
    assert.equal(response.status, 201, response.text);
    const order = response.json() as { orderId: string; status: string; speed: string; orderToken: string };
    assert.equal(order.orderId, `rt-${fixture.proxy().runtime}-1`);
    assert.equal(order.speed, option.speed);
    assert.ok(order.orderToken.length > 20);
  });

  it("replays the same Idempotency-Key and refuses it with a different body (409)", async () => {
    assert.ok(option, "needs the preview");
    const headers = { "idempotency-key": "runtime-order-2" };
    const body = orderBody(option.quote, `rt-${fixture.proxy().runtime}-2`);
    const first = await call("/v1/orders", { method: "POST", key: "secret", headers, body });
    const again = await call("/v1/orders", { method: "POST", key: "secret", headers, body });
    assert.equal(first.status, 201, first.text);
    assert.equal(again.status, 201, again.text);
    assert.equal((again.json() as { orderId: string }).orderId, (first.json() as { orderId: string }).orderId);
    const changed = orderBody(option.quote, `rt-${fixture.proxy().runtime}-3`);
    const conflict = await call("/v1/orders", { method: "POST", key: "secret", headers, body: changed });
    assert.equal(conflict.status, 409, conflict.text);
    assert.match(conflict.headers.get("content-type") ?? "", /application\/problem\+json/);
  });

  it("allows the configured origin and refuses a foreign one (CORS)", async () => {
    const preflight = (origin: string) =>
      call("/v1/delivery-options", {
        method: "OPTIONS",
        key: "none",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
    const allowed = await preflight(fixture.allowedOrigin);
    assert.ok(allowed.status < 300, `preflight ${allowed.status}`);
    assert.equal(allowed.headers.get("access-control-allow-origin"), fixture.allowedOrigin);
    // A foreign page's preflight is answered, so the refusal of its request can be read by the page (the element
    // then tells its developer which variable to set); the request itself is refused before any work.
    const foreign = await preflight("https://evil.example");
    assert.equal(foreign.status, 204);
    const foreignPost = await call("/v1/delivery-options", {
      method: "POST",
      key: "publishable",
      headers: { origin: "https://evil.example" },
      body: previewBody(),
    });
    assert.equal(foreignPost.status, 403, foreignPost.text);
    assert.equal(foreignPost.headers.get("access-control-allow-origin"), "https://evil.example");
    assert.match(foreignPost.text, /origin-not-allowed/);
  });

  it("answers bad input with problem+json naming the field, and an x-request-id", async () => {
    const bad = { ...fixture.preview, items: [{ sku: fixture.preview.items[0]?.sku, quantity: 0 }] };
    const response = await call("/v1/delivery-options", {
      method: "POST",
      key: "publishable",
      headers: browser,
      body: JSON.stringify(bad),
    });
    assert.equal(response.status, 400, response.text);
    assert.match(response.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.ok(response.headers.get("x-request-id"));
    const problem = response.json() as { status: number; errors?: { path: string; message: string }[] };
    assert.equal(problem.status, 400);
    assert.ok(
      problem.errors?.some((error) => /items.*0.*quantity/.test(error.path)),
      `names items[0].quantity: ${response.text}`,
    );
    const unauthorized = await call("/v1/orders", { method: "POST", key: "none", body: "{}" });
    assert.equal(unauthorized.status, 401, unauthorized.text);
    assert.ok(unauthorized.headers.get("x-request-id"));
  });

  it("serves the elements at /widget.js and /order-status.js", async () => {
    const response = await call("/widget.js", { key: "none" });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /javascript/);
    assert.ok(response.text.includes("mcf-delivery-options"), "the built element");
    const status = await call("/order-status.js", { key: "none" });
    assert.equal(status.status, 200);
    assert.match(status.headers.get("content-type") ?? "", /javascript/);
    assert.ok(status.text.includes("mcf-order-status"), "the built order-status element");
  });

  it("never reveals a secret in any response or in what the runtime printed", () => {
    assert.ok(transcript.length >= 8, "scans the responses of the checks above");
    const printed = fixture.proxy().output();
    assert.match(printed, /\/v1\/delivery-options/, "captured the runtime's request log");
    const everything = `${transcript.join("\n")}\n${printed}`;
    for (const secret of fixture.secrets) {
      assert.ok(!everything.includes(secret), `a secret (${secret.slice(0, 3)}…) leaked`);
    }
  });
}

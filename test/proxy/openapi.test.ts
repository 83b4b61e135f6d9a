// /openapi.json is generated from the schemas that validate requests: a JSON Schema validator reading the document
// must accept and refuse exactly what the proxy accepts and refuses.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createOrderRequestSchema, deliveryOptionsRequestSchema } from "../../proxy/schemas/index.ts";
import { openApiDocument } from "../../proxy/schemas/openapi.ts";

const document = openApiDocument() as { openapi: string; components: { schemas: Record<string, object> } };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const preview = { items: [{ sku: "A", quantity: 1 }], address: { countryCode: "US", postalCode: "98101" } };
const order = {
  quote: "q",
  items: [{ sku: "A", quantity: 1, perUnitPrice: "9.99" }],
  address: { name: "Jo", line1: "1 Main", countryCode: "US", postalCode: "98101" },
  orderDate: "2026-03-02T10:00:00Z",
  notificationEmails: ["jo@example.com"],
};

const cases: [string, { safeParse(input: unknown): { success: boolean } }, unknown][] = [
  ["DeliveryOptionsRequest", deliveryOptionsRequestSchema, preview],
  [
    "DeliveryOptionsRequest",
    deliveryOptionsRequestSchema,
    { ...preview, speeds: ["Standard", "ScheduledDelivery"], cashOnDelivery: true },
  ],
  ["DeliveryOptionsRequest", deliveryOptionsRequestSchema, { ...preview, items: [] }],
  [
    "DeliveryOptionsRequest",
    deliveryOptionsRequestSchema,
    { ...preview, items: [{ sku: "x".repeat(51), quantity: 1 }] },
  ],
  ["DeliveryOptionsRequest", deliveryOptionsRequestSchema, { ...preview, items: [{ sku: "A", quantity: 251 }] }],
  [
    "DeliveryOptionsRequest",
    deliveryOptionsRequestSchema,
    { ...preview, address: { countryCode: "USA", postalCode: "1" } },
  ],
  ["DeliveryOptionsRequest", deliveryOptionsRequestSchema, { ...preview, extra: true }],
  ["DeliveryOptionsRequest", deliveryOptionsRequestSchema, { ...preview, speeds: ["Fast"] }],
  ["CreateOrderRequest", createOrderRequestSchema, order],
  ["CreateOrderRequest", createOrderRequestSchema, { ...order, action: "Hold", policy: "FillAll", orderId: "shop-1" }],
  ["CreateOrderRequest", createOrderRequestSchema, { ...order, orderId: "has space" }],
  ["CreateOrderRequest", createOrderRequestSchema, { ...order, address: { ...order.address, line1: undefined } }],
  ["CreateOrderRequest", createOrderRequestSchema, { ...order, notificationEmails: ["nope"] }],
  ["CreateOrderRequest", createOrderRequestSchema, { ...order, comment: "x".repeat(751) }],
  ["CreateOrderRequest", createOrderRequestSchema, { ...order, orderDate: "2026-13-40" }],
];

describe("/openapi.json", () => {
  test("is OpenAPI 3.1 with the request schemas", () => {
    assert.equal(document.openapi, "3.1.0");
    assert.ok(document.components.schemas.DeliveryOptionsRequest);
    assert.ok(document.components.schemas.CreateOrderRequest);
  });
  test("its schemas accept and refuse exactly what the proxy's validation does", () => {
    for (const [name, schema, body] of cases) {
      const input = JSON.parse(JSON.stringify(body));
      const validate = ajv.compile(document.components.schemas[name]!);
      assert.equal(validate(input), schema.safeParse(input).success, `${name}: ${JSON.stringify(body).slice(0, 120)}`);
    }
    assert.ok(
      cases.some(([, schema, body]) => !schema.safeParse(body).success),
      "refusals are among the cases",
    );
  });
});

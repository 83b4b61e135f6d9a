// /openapi.json: OpenAPI 3.1 built from the very schemas that validate requests.
import * as z from "zod/mini";
import {
  cartValueRequestSchema,
  createOrderRequestSchema,
  deliveryOptionsRequestSchema,
  orderIdSchema,
  packageNumberSchema,
} from "./index.ts";

const json = (schema: z.core.$ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
};

const problem = {
  description: "RFC 9457 problem details",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};
const ok = (description: string, schema?: string) => ({
  description,
  content: { "application/json": { schema: schema ? { $ref: `#/components/schemas/${schema}` } : { type: "object" } } },
});
const orderIdParameter = { name: "orderId", in: "path", required: true, schema: json(orderIdSchema) };
const errors = {
  "400": problem,
  "401": problem,
  "403": problem,
  "404": problem,
  "422": problem,
  "502": problem,
  "503": problem,
  "504": problem,
};
/** Routes that read a JSON body may also refuse it for its size or type. */
const bodyErrors = { ...errors, "413": problem, "415": problem };
/** The merchant's server, or the browser holding this order's token. */
const serverOrOrderToken = [{ secretKey: [] }, { orderToken: [] }];

export function openApiDocument(version = "0.1.0"): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "mcf-checkout proxy",
      version,
      description:
        "Amazon Multi-Channel Fulfillment delivery options and orders. Keys travel as `Authorization: Bearer <key>`. " +
        "Text fields are measured as sent (surrounding white space counts towards maxLength), must contain a " +
        "visible character and no control characters, and are trimmed before use.",
    },
    components: {
      securitySchemes: {
        secretKey: { type: "http", scheme: "bearer", description: "MCF_SECRET_KEY, from the merchant's server" },
        publishableKey: { type: "http", scheme: "bearer", description: "MCF_PUBLISHABLE_KEY, from browsers" },
        orderToken: {
          type: "apiKey",
          in: "header",
          name: "X-Order-Token",
          description:
            "The orderToken from order creation; lets a browser read (and, while on Hold, cancel) its order.",
        },
      },
      schemas: {
        DeliveryOptionsRequest: json(deliveryOptionsRequestSchema),
        CreateOrderRequest: json(createOrderRequestSchema),
        CartValueRequest: json(cartValueRequestSchema),
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            errors: {
              type: "array",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: { path: { type: "string" }, message: { type: "string" } },
              },
            },
            amznRequestId: { type: "string" },
            requestId: { type: "string" },
          },
        },
        Money: {
          type: "object",
          required: ["amount", "currency"],
          properties: { amount: { type: "string" }, currency: { type: "string" } },
        },
        DeliveryOption: {
          type: "object",
          required: ["id", "speed", "fulfillable", "price", "fees", "ship", "arrival"],
          properties: {
            id: { type: "string" },
            speed: { enum: ["Standard", "Expedited", "Priority", "ScheduledDelivery"] },
            fulfillable: { type: "boolean" },
            price: { $ref: "#/components/schemas/Money" },
            fees: {
              type: "object",
              properties: {
                total: { type: "string" },
                currency: { type: "string" },
                lines: {
                  type: "array",
                  items: { type: "object", properties: { name: { type: "string" }, amount: { type: "string" } } },
                },
              },
            },
            ship: { $ref: "#/components/schemas/DateRange" },
            arrival: { $ref: "#/components/schemas/DateRange" },
            timeZone: { type: "string" },
            deliveryWindows: {
              type: "array",
              items: {
                type: "object",
                required: ["start", "end", "quote"],
                properties: { start: { type: "string" }, end: { type: "string" }, quote: { type: "string" } },
              },
            },
            cashOnDelivery: { type: "boolean" },
            quote: { type: "string" },
            expiresAt: { type: "string", format: "date-time" },
            reasons: { type: "array", items: { type: "string" } },
          },
        },
        DateRange: {
          type: "object",
          properties: { earliest: { type: "string" }, latest: { type: "string" } },
        },
        DeliveryOptions: {
          type: "object",
          required: ["options", "unfulfillable", "reasons", "source"],
          properties: {
            options: { type: "array", items: { $ref: "#/components/schemas/DeliveryOption" } },
            unfulfillable: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  sku: { type: "string" },
                  quantity: { type: "integer" },
                  reasons: { type: "array", items: { type: "string" } },
                },
              },
            },
            reasons: { type: "array", items: { type: "string" } },
            source: { enum: ["live", "cache", "stale", "fallback"] },
          },
        },
        CreatedOrder: {
          type: "object",
          required: ["orderId", "status", "action", "speed", "orderToken"],
          properties: {
            orderId: { type: "string" },
            status: { type: "string" },
            action: { enum: ["Ship", "Hold"], description: "The action Amazon has for the order" },
            speed: { type: "string" },
            price: { $ref: "#/components/schemas/Money" },
            orderTokenExpiresAt: { type: "string", format: "date-time" },
            amznRequestId: { type: "string" },
            deliveryWindow: { type: "object", properties: { start: { type: "string" }, end: { type: "string" } } },
            orderToken: { type: "string" },
          },
        },
      },
    },
    paths: {
      "/v1/delivery-options": {
        post: {
          operationId: "getDeliveryOptions",
          security: [{ publishableKey: [] }, { secretKey: [] }, {}],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/DeliveryOptionsRequest" } } },
          },
          responses: { "200": ok("Delivery options with signed quotes", "DeliveryOptions"), ...bodyErrors },
        },
      },
      "/v1/cart-values": {
        post: {
          operationId: "signCartValue",
          description:
            "The cart's value from the merchant's own unit prices, signed: pass it to the element (cart-value) so " +
            "free-over-threshold prices use it. Declared values from a browser never lower a price.",
          security: [{ secretKey: [] }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/CartValueRequest" } } },
          },
          responses: { "200": ok("The signed cart value {cartValue, value, expiresAt}"), ...bodyErrors },
        },
      },
      "/v1/orders": {
        post: {
          operationId: "createOrder",
          security: [{ secretKey: [] }, { publishableKey: [] }, {}],
          parameters: [
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } },
          ],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/CreateOrderRequest" } } },
          },
          responses: { "201": ok("Order created (or replayed)", "CreatedOrder"), "409": problem, ...bodyErrors },
        },
      },
      "/v1/orders/{orderId}": {
        get: {
          operationId: "getOrder",
          security: serverOrOrderToken,
          parameters: [orderIdParameter],
          responses: { "200": ok("Status, shipments, packages and tracking numbers"), ...errors },
        },
      },
      "/v1/orders/{orderId}/ship": {
        post: {
          operationId: "shipOrder",
          security: [{ secretKey: [] }],
          parameters: [orderIdParameter],
          responses: { "200": ok("Hold released"), ...errors },
        },
      },
      "/v1/orders/{orderId}/cancel": {
        post: {
          operationId: "cancelOrder",
          security: serverOrOrderToken,
          parameters: [orderIdParameter],
          responses: { "200": ok("Cancelled"), "409": problem, ...errors },
        },
      },
      "/v1/orders/{orderId}/packages/{packageNumber}": {
        get: {
          operationId: "getPackage",
          security: serverOrOrderToken,
          parameters: [
            orderIdParameter,
            { name: "packageNumber", in: "path", required: true, schema: json(packageNumberSchema) },
          ],
          responses: { "200": ok("Package tracking details"), ...errors },
        },
      },
      "/v1/health": { get: { operationId: "health", responses: { "200": ok("Proxy and upstream status") } } },
      "/openapi.json": { get: { operationId: "openapi", responses: { "200": ok("This document") } } },
      "/widget.js": {
        get: {
          operationId: "widget",
          responses: {
            "200": { description: "The <mcf-delivery-options> bundle", content: { "text/javascript": {} } },
          },
        },
      },
      "/order-status.js": {
        get: {
          operationId: "orderStatusElement",
          responses: {
            "200": { description: "The <mcf-order-status> bundle", content: { "text/javascript": {} } },
          },
        },
      },
    },
  };
}

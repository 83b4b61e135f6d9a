// Amazon's 2026-07-04 answers as zod/mini schemas: what the proxy relies on, checked at the edge before any mapping
// (the model's required fields, whole eaches, decimal money, instants, known statuses). Unknown fields pass and are
// ignored. Hand-written from spec/fulfillmentOutbound_2026-07-04.json rather than compiled from it: the Worker bundle
// has no room for a JSON Schema validator.
import * as z from "zod/mini";
import { ORDER_STATUSES, TIERS } from "./wire.ts";

const text = z.string();
const optionalText = z.optional(z.string());
const instant = z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), { error: "not an instant" }));
/** A quantity in whole eaches ("2" or "2.0"). */
const eaches = z.object({
  unit: z.optional(z.literal("EACHES")),
  value: z.string().check(z.regex(/^\d{1,10}(\.0*)?$/, "not a whole number of eaches")),
});
const money = z.object({
  currencyCode: text,
  amount: z.string().check(z.regex(/^-?\d{1,12}(\.\d{1,6})?$/, "not a decimal amount")),
});
const interval = z.object({ startTime: instant, endTime: instant });
const product = z.object({ productIdentifier: z.object({ amazonSku: text }) });
const address = z.object({
  name: text,
  addressLine1: text,
  addressLine2: optionalText,
  addressLine3: optionalText,
  city: optionalText,
  districtOrCounty: optionalText,
  stateOrRegion: optionalText,
  postalCode: text,
  countryCode: text,
  phone: optionalText,
  email: optionalText,
});
const constraint = z.object({
  code: text,
  type: text,
  message: text,
  details: z.optional(z.array(z.object({ type: text, value: text }))),
});

const offer = z.object({
  estimatedPrice: z.optional(
    z.object({ rollupPrices: z.array(z.object({ type: text, value: money })), totalPrice: money }),
  ),
  fulfillmentConfiguration: z.optional(
    z.object({
      serviceLevel: z.optional(
        z.object({
          serviceTier: optionalText,
          deliveryInterval: z.optional(interval),
          shipInterval: z.optional(interval),
        }),
      ),
      services: z.optional(z.object({ delivery: z.optional(z.object({ paymentOnDelivery: optionalText })) })),
    }),
  ),
});

export const previewAnswer = z.object({
  plannedShipments: z.array(
    z.object({
      items: z.array(z.object({ productIdentifier: product.shape.productIdentifier, amount: eaches })),
      offers: z.optional(z.array(offer)),
    }),
  ),
  constraints: z.optional(z.array(constraint)),
});
export type PreviewAnswer = z.infer<typeof previewAnswer>;

const shipment = z.object({
  amazonShipmentId: text,
  status: text,
  shipTime: z.optional(instant),
  deliveryTime: z.optional(instant),
  items: z.array(
    z.object({
      productIdentifier: product.shape.productIdentifier,
      lineItemId: text,
      amount: eaches,
      packageId: optionalText,
    }),
  ),
  packages: z.optional(
    z.array(
      z.object({
        packageId: text,
        deliveryTime: z.optional(instant),
        status: optionalText,
        tracking: z.optional(
          z.object({
            carrier: z.optional(
              z.object({ carrierCode: text, trackingNumber: optionalText, trackingUrl: optionalText }),
            ),
            amazon: z.optional(z.object({ trackingNumber: optionalText, trackingUrl: optionalText })),
            proofOfDelivery: z.optional(z.object({ receivedBy: optionalText, deliveryPhotoUrl: optionalText })),
          }),
        ),
      }),
    ),
  ),
});
export type ShipmentAnswer = z.infer<typeof shipment>;

const tiers = Object.values(TIERS) as [string, ...string[]];

export const orderAnswer = z.object({
  orderId: text,
  receiveTime: instant,
  status: z.optional(z.enum(Object.keys(ORDER_STATUSES) as [string, ...string[]])),
  statusUpdateTime: z.optional(instant),
  fulfillmentConfiguration: z.optional(
    z.object({
      serviceLevel: z.optional(
        z.object({ serviceTiers: z.optional(z.array(z.enum(tiers))), deliveryInterval: z.optional(interval) }),
      ),
      action: z.optional(z.enum(["SHIP", "HOLD"])),
      policy: optionalText,
      services: z.optional(
        z.object({
          packaging: z.optional(
            z.object({
              packingSlip: z.optional(z.object({ templateAttributes: z.optional(z.record(z.string(), z.string())) })),
            }),
          ),
        }),
      ),
    }),
  ),
  origin: z.optional(z.object({ countryCode: text })),
  // Optional in the model, but an order the proxy cannot address is of no use to it.
  destination: z.object({ deliveryAddress: address }),
  lineItems: z.array(
    z.object({
      lineItemId: text,
      product,
      amount: eaches,
      cancelledAmount: z.optional(eaches),
      unfulfillableAmount: z.optional(eaches),
      fulfillmentConfiguration: z.optional(
        z.object({
          services: z.optional(
            z.object({ delivery: z.optional(z.object({ paymentOnDelivery: z.optional(z.object({})) })) }),
          ),
        }),
      ),
    }),
  ),
  shipments: z.optional(z.array(shipment)),
});
export type OrderAnswer = z.infer<typeof orderAnswer>;

/** getOrder and the 200 of createOrder. */
export const orderEnvelope = z.object({ order: orderAnswer });
/** The 202 of createOrder: accepted, processed later. */
export const acceptedAnswer = z.object({ orderId: text, status: text });

/** `value` checked against `schema`, or the first problem as "path: message". */
export function check<T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
): { ok: true; data: T } | { ok: false; problem: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") ?? "";
  return { ok: false, problem: `${path.replace(/^\./, "") || "body"}: ${issue?.message ?? "invalid"}` };
}

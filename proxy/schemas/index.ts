// Request schemas (zod/mini): one source for validation and for /openapi.json. Limits follow Amazon's model
// (sellerSku ≤ 50, giftMessage ≤ 512, displayableComment ≤ 250, comment ≤ 750, ids ≤ 40, e-mails ≤ 64) and
// Amazon's documented address field lengths.
import * as z from "zod/mini";
import { isDecimal } from "../money/index.ts";

export const SPEEDS = ["Standard", "Expedited", "Priority", "ScheduledDelivery"] as const;
export const MAX_LINES = 100;
export const MAX_UNITS_PER_LINE = 250;

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const decimal = z
  .string()
  .check(
    z.refine(isDecimal, { error: 'must be a decimal string like "12.50"' }),
    z.meta({ pattern: "^\\d{1,12}(\\.\\d{1,6})?$", examples: ["12.50"] }),
  );

export const marketplaceIdSchema = z
  .string()
  .check(z.regex(/^[A-Z0-9]{8,20}$/, "must be an Amazon marketplace id like ATVPDKIKX0DER"));
export const countryCodeSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z]{2}$/, "must be a two-letter ISO 3166-1 country code"),
    z.meta({ description: "ISO 3166-1 alpha-2" }),
  );
export const postalCodeSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(20));
export const speedSchema = z.enum(SPEEDS);
/** Amazon's sellerFulfillmentOrderId: ≤ 40 characters; we allow the safe subset. */
export const orderIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,40}$/, "must be 1-40 characters of A-Z a-z 0-9 _ -"));
export const packageNumberSchema = z.string().check(z.regex(/^[1-9]\d{0,9}$/, "must be a positive whole number"));

const addressFields = {
  countryCode: countryCodeSchema,
  postalCode: postalCodeSchema,
  stateOrRegion: z.optional(text(150)),
  city: z.optional(text(50)),
  districtOrCounty: z.optional(text(150)),
  line2: z.optional(text(60)),
  line3: z.optional(text(60)),
  phone: z.optional(text(20)),
};

/** What a shopper has typed so far: country and postal code are enough for a preview. */
export const previewAddressSchema = z.strictObject({
  ...addressFields,
  line1: z.optional(text(60)),
  name: z.optional(text(50)),
});

/** A full shipping address, as Amazon needs it to create an order. */
export const orderAddressSchema = z.strictObject({ ...addressFields, line1: text(60), name: text(50) });

const quantity = z.int().check(z.minimum(1), z.maximum(MAX_UNITS_PER_LINE));
const sku = text(50);

export const deliveryOptionsRequestSchema = z.strictObject({
  marketplaceId: z.optional(marketplaceIdSchema),
  items: z
    .array(z.strictObject({ sku, quantity, declaredValue: z.optional(decimal) }))
    .check(z.minLength(1), z.maxLength(MAX_LINES)),
  address: previewAddressSchema,
  speeds: z.optional(z.array(speedSchema).check(z.minLength(1), z.maxLength(SPEEDS.length))),
  cashOnDelivery: z.optional(z.boolean()),
});

export const createOrderRequestSchema = z.strictObject({
  quote: z.string().check(z.minLength(1), z.maxLength(4096)),
  orderId: z.optional(orderIdSchema),
  displayableOrderId: z.optional(text(40)),
  orderDate: z.optional(z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" })),
  comment: z.optional(text(750)),
  address: orderAddressSchema,
  items: z
    .array(
      z.strictObject({
        sku,
        quantity,
        giftMessage: z.optional(text(512)),
        displayableComment: z.optional(text(250)),
        perUnitPrice: z.optional(decimal),
        perUnitTax: z.optional(decimal),
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_LINES)),
  notificationEmails: z.optional(
    z.array(z.email({ error: "must be an e-mail address" }).check(z.maxLength(64))).check(z.maxLength(10)),
  ),
  policy: z.optional(z.enum(["FillOrKill", "FillAll", "FillAllAvailable"])),
  action: z.optional(z.enum(["Ship", "Hold"])),
});

export type DeliveryOptionsRequest = z.infer<typeof deliveryOptionsRequestSchema>;
export type CreateOrderRequest = z.infer<typeof createOrderRequestSchema>;
export type PreviewAddress = z.infer<typeof previewAddressSchema>;
export type OrderAddress = z.infer<typeof orderAddressSchema>;

// Request schemas (zod/mini): one source for validation and for /openapi.json. Limits follow Amazon's model
// (sellerSku ≤ 50, giftMessage ≤ 512, displayableComment ≤ 250, comment ≤ 750, ids ≤ 40, e-mails ≤ 64, ≤ 250 units
// per order) and Amazon's documented address field lengths. Every check here has a JSON Schema twin (a keyword zod
// emits, or one given in `z.meta`), so /openapi.json accepts and refuses exactly what the proxy does.
import * as z from "zod/mini";
import { ORDER_ACTIONS, ORDER_POLICIES, SPEEDS } from "../contract/v1.ts";
import { isDecimal } from "../money/index.ts";
import { COUNTRY_CODES } from "./countries.ts";

export const MAX_LINES = 100;
export const MAX_UNITS_PER_LINE = 250;
/** Amazon: "a maximum of 250 units per order". */
export const MAX_UNITS_PER_ORDER = 250;

/** C0, DEL and C1: exactly U+0000–U+001F and U+007F–U+009F. */
const CONTROL = /\p{Cc}/u;
const VISIBLE = /[^\s\p{Cc}]/u;
/** JSON Schema twin of `text()`: no control character, at least one character that is not white space. */
const TEXT_PATTERN =
  "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$";

/**
 * Free text as Amazon takes it: at most `max` characters as sent (surrounding white space counts), something visible,
 * no control characters (they would reach packing slips and carrier labels); surrounding white space is then trimmed.
 */
const text = (max: number) =>
  z.string().check(
    z.maxLength(max),
    z.refine((value) => !CONTROL.test(value), { error: "must not contain control characters" }),
    z.refine((value) => VISIBLE.test(value), { error: "must not be empty" }),
    z.meta({ pattern: TEXT_PATTERN }),
    z.trim(),
  );
const decimal = z
  .string()
  .check(
    z.refine(isDecimal, { error: 'must be a decimal string like "12.50"' }),
    z.meta({ pattern: "^\\d{1,12}(\\.\\d{1,6})?$", examples: ["12.50"] }),
  );

export const marketplaceIdSchema = z
  .string()
  .check(z.regex(/^[A-Z0-9]{8,20}$/, "must be an Amazon marketplace id like ATVPDKIKX0DER"));

/** Upper or lower case (sent to Amazon in upper case); mixed case is a typo. */
const COUNTRY_SPELLINGS = [...COUNTRY_CODES, ...COUNTRY_CODES.map((code) => code.toLowerCase())];
const COUNTRY_SET = new Set(COUNTRY_SPELLINGS);
export const countryCodeSchema = z.string().check(
  z.refine((value) => COUNTRY_SET.has(value), { error: "must be an ISO 3166-1 alpha-2 country code like US" }),
  z.meta({ description: "ISO 3166-1 alpha-2 country code", enum: COUNTRY_SPELLINGS }),
);
export const postalCodeSchema = text(20);
export const speedSchema = z.enum(SPEEDS);
/** Amazon's sellerFulfillmentOrderId: ≤ 40 characters; we allow the safe subset. */
export const orderIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,40}$/, "must be 1-40 characters of A-Z a-z 0-9 _ -"));
export const packageNumberSchema = z.string().check(z.regex(/^[1-9]\d{0,9}$/, "must be a positive whole number"));

/**
 * Amazon's displayableOrderId: "alpha-numeric or ISO 8859-1 compliant string from one to 40 characters in length.
 * Cannot contain two spaces in a row. Leading and trailing white space is removed."
 */
export const displayableOrderIdSchema = z
  .string()
  .check(
    z.maxLength(40),
    z.regex(
      /^(?!.* {2})[\u0020-\u007e\u00a0-\u00ff]*[\u0021-\u007e\u00a1-\u00ff][\u0020-\u007e\u00a0-\u00ff]*$/,
      "must be 1-40 ISO 8859-1 (Latin-1) characters, without two spaces in a row",
    ),
    z.trim(),
  );

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

const CITY_OPTIONAL_IN = ["JP", "jp"];
/** A full shipping address, as Amazon needs it to create an order. Amazon: city "is required in all countries
 * except Japan". */
export const orderAddressSchema = z.strictObject({ ...addressFields, line1: text(60), name: text(50) }).check(
  z.refine((address) => address.city !== undefined || CITY_OPTIONAL_IN.includes(address.countryCode), {
    path: ["city"],
    error: "is required (in every country but Japan)",
  }),
  z.meta({
    if: { properties: { countryCode: { enum: CITY_OPTIONAL_IN } } },
    else: { required: ["city"] },
  }),
);

const quantity = z.int().check(z.minimum(1), z.maximum(MAX_UNITS_PER_LINE));
const sku = text(50);

/** Lines of one order: 1-100 of them, 250 units at most in all. */
const lines = <T extends { quantity: number }>(line: z.ZodMiniType<T>) =>
  z.array(line).check(
    z.minLength(1),
    z.maxLength(MAX_LINES),
    z.refine((items) => items.reduce((sum, item) => sum + item.quantity, 0) <= MAX_UNITS_PER_ORDER, {
      error: `must add up to at most ${MAX_UNITS_PER_ORDER} units (Amazon's limit per order)`,
    }),
    z.meta({
      description: `At most ${MAX_UNITS_PER_ORDER} units in all (Σ quantity): Amazon's limit per order.`,
      "x-maxTotalQuantity": MAX_UNITS_PER_ORDER,
    }),
  );

export const deliveryOptionsRequestSchema = z.strictObject({
  marketplaceId: z.optional(marketplaceIdSchema),
  items: lines(z.strictObject({ sku, quantity, declaredValue: z.optional(decimal) })),
  address: previewAddressSchema,
  speeds: z.optional(z.array(speedSchema).check(z.minLength(1), z.maxLength(SPEEDS.length))),
  cashOnDelivery: z.optional(z.boolean()),
  /** The cart's value signed by the merchant's server (POST /v1/cart-values): what free-over-threshold prices use. */
  cartValue: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

/** POST /v1/cart-values (merchant's server): the cart with the merchant's own unit prices. */
export const cartValueRequestSchema = z.strictObject({
  marketplaceId: z.optional(marketplaceIdSchema),
  items: lines(z.strictObject({ sku, quantity, unitPrice: decimal })),
});

export const createOrderRequestSchema = z.strictObject({
  quote: z.string().check(z.minLength(1), z.maxLength(4096)),
  orderId: z.optional(orderIdSchema),
  displayableOrderId: z.optional(displayableOrderIdSchema),
  orderDate: z.optional(z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" })),
  comment: z.optional(text(750)),
  address: orderAddressSchema,
  items: lines(
    z.strictObject({
      sku,
      quantity,
      giftMessage: z.optional(text(512)),
      displayableComment: z.optional(text(250)),
      perUnitPrice: z.optional(decimal),
      perUnitTax: z.optional(decimal),
    }),
  ),
  notificationEmails: z.optional(z.array(z.email().check(z.maxLength(64))).check(z.maxLength(10))),
  policy: z.optional(z.enum(ORDER_POLICIES)),
  action: z.optional(z.enum(ORDER_ACTIONS)),
});

export type DeliveryOptionsRequest = z.infer<typeof deliveryOptionsRequestSchema>;
export type CreateOrderRequest = z.infer<typeof createOrderRequestSchema>;
export type CartValueRequest = z.infer<typeof cartValueRequestSchema>;
export type PreviewAddress = z.infer<typeof previewAddressSchema>;
export type OrderAddress = z.infer<typeof orderAddressSchema>;

// Postal code formats of the countries of Amazon's MCF marketplaces (North America, Europe, Japan, Australia),
// checked before the proxy is asked, so a half-typed or mistyped code reads "Enter a valid postal code" rather than
// "can't be delivered". Other countries are not checked.
const formats: Record<string, RegExp> = {
  US: /^\d{5}(-?\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
  MX: /^\d{5}$/,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
  IE: /^[A-Z]\d[\dW] ?[\dA-Z]{4}$/i,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  IT: /^\d{5}$/,
  ES: /^\d{5}$/,
  NL: /^\d{4} ?[A-Z]{2}$/i,
  BE: /^\d{4}$/,
  SE: /^\d{3} ?\d{2}$/,
  PL: /^\d{2}-\d{3}$/,
  JP: /^\d{3}-?\d{4}$/,
  AU: /^\d{4}$/,
};

/** Whether `postalCode` has the form of a postal code of `countryCode` (ISO 3166-1 alpha-2, upper case). */
export const isPostalCode = (countryCode: string, postalCode: string) =>
  formats[countryCode]?.test(postalCode.trim()) ?? true;

/** Amazon's limits on one order: at most 100 lines and 250 units in all. */
export const isOrderable = (items: { quantity: number }[]) =>
  items.length <= 100 && items.reduce((units, item) => units + item.quantity, 0) <= 250;

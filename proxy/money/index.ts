// Decimal money as integer minor units, so prices never suffer binary floating point. Amounts travel as strings.

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;

/** Digits after the decimal point per ISO 4217 currency; 2 unless listed. */
const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, CLP: 0, VND: 0, BHD: 3, KWD: 3, OMR: 3, TND: 3 };

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/** "12.345" in USD → 1235n (half-up rounding to the currency's minor unit). Throws on a malformed amount. */
export function toMinor(amount: string, currency: string): bigint {
  if (!isDecimal(amount)) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = amount.split(".");
  const kept = fraction.slice(0, digits).padEnd(digits, "0");
  const roundUp = (fraction[digits] ?? "0") >= "5";
  return BigInt(whole + kept) + (roundUp ? 1n : 0n);
}

/** 1235n in USD → "12.35". */
export function fromMinor(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** Normalises an amount to the currency's precision: "5" in USD → "5.00", "1200.4" in JPY → "1200". */
export function normalizeAmount(amount: string, currency: string): string {
  return fromMinor(toMinor(amount, currency), currency);
}

/** minor × percent / 100, half-up, where percent is a decimal string like "12.5". */
export function percentOf(minor: bigint, percent: string): bigint {
  const negative = percent.startsWith("-") !== minor < 0n;
  const [whole = "0", fraction = ""] = percent.replace(/^-/, "").split(".");
  const scale = 10n ** BigInt(fraction.length);
  const numerator = (minor < 0n ? -minor : minor) * BigInt(whole + fraction);
  const denominator = 100n * scale;
  const magnitude = (numerator * 2n + denominator) / (denominator * 2n);
  return negative ? -magnitude : magnitude;
}

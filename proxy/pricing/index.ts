// What the shopper pays for a delivery speed: the merchant's rule applied to Amazon's estimated fees. Pure.
import * as z from "zod/mini";
import { SPEEDS, type Speed } from "../contract/v1.ts";
import { fromMinor, isDecimal, percentOf, toMinor } from "../money/index.ts";
import { issuesToErrors } from "../problems/index.ts";
import { InvalidSettings } from "../shared/invalid.ts";

export type PriceRule =
  | { type: "passThrough" }
  | { type: "free" }
  | { type: "flat"; amount: string }
  | { type: "markup"; percent: string; plus?: string }
  | { type: "freeOver"; threshold: string; otherwise?: PriceRule };

/** `default` applies to every speed without its own rule; without any rule Amazon's fee total passes through. */
export interface PricingRules {
  default?: PriceRule;
  speeds?: Partial<Record<Speed, PriceRule>>;
}

export interface PriceInput {
  speed: Speed;
  /** Amazon's estimated fee total, in `currency`. */
  feeTotal: string;
  currency: string;
  /** Sum of the cart's declared values, when the cart declared them; needed by `freeOver`. */
  orderValue?: string;
}

const amount = z.string().check(z.refine(isDecimal, { error: 'must be a decimal string like "4.99"' }));
const percent = z.union([
  z.number().check(z.gte(-100), z.lte(1000)),
  z.string().check(z.refine((value) => /^-?\d{1,4}(\.\d{1,4})?$/.test(value) && Number(value) >= -100, "bad percent")),
]);

const ruleSchema: z.ZodMiniType<PriceRule> = z.lazy(() =>
  z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("passThrough") }),
    z.strictObject({ type: z.literal("free") }),
    z.strictObject({ type: z.literal("flat"), amount }),
    z.pipe(
      z.strictObject({ type: z.literal("markup"), percent, plus: z.optional(amount) }),
      z.transform((rule) => ({ ...rule, percent: String(rule.percent) })),
    ),
    z.strictObject({ type: z.literal("freeOver"), threshold: amount, otherwise: z.optional(ruleSchema) }),
  ]),
) as z.ZodMiniType<PriceRule>;

const speedEnum = z.enum(SPEEDS);
export const pricingRulesSchema = z.strictObject({
  default: z.optional(ruleSchema),
  speeds: z.optional(z.partialRecord(speedEnum, ruleSchema)),
});

/** Parses MCF_PRICING's JSON. Throws InvalidSettings naming each offending path. */
export function parsePricingRules(json: string): PricingRules {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new InvalidSettings([{ path: "(root)", message: "is not valid JSON" }], "Invalid pricing rules");
  }
  return validatePricingRules(raw, "(root)");
}

/** Checks pricing rules given as a value (a tenant's `pricing`); throws InvalidSettings naming each path under `root`. */
export function validatePricingRules(raw: unknown, root = "pricing"): PricingRules {
  const parsed = pricingRulesSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidSettings(issuesToErrors(parsed.error.issues, root), "Invalid pricing rules");
  return parsed.data as PricingRules;
}

export function ruleFor(rules: PricingRules, speed: Speed): PriceRule {
  return rules.speeds?.[speed] ?? rules.default ?? { type: "passThrough" };
}

/** The customer price as a decimal string in `input.currency`; never negative. */
export function customerPrice(rules: PricingRules, input: PriceInput): string {
  const minor = applyRule(ruleFor(rules, input.speed), input);
  return fromMinor(minor < 0n ? 0n : minor, input.currency);
}

function applyRule(rule: PriceRule, input: PriceInput): bigint {
  const fee = toMinor(input.feeTotal, input.currency);
  switch (rule.type) {
    case "passThrough":
      return fee;
    case "free":
      return 0n;
    case "flat":
      return toMinor(rule.amount, input.currency);
    case "markup":
      return fee + percentOf(fee, rule.percent) + (rule.plus ? toMinor(rule.plus, input.currency) : 0n);
    case "freeOver": {
      const over =
        input.orderValue !== undefined &&
        toMinor(input.orderValue, input.currency) >= toMinor(rule.threshold, input.currency);
      return over ? 0n : applyRule(rule.otherwise ?? { type: "passThrough" }, input);
    }
  }
}

// Pure: postal code formats, Amazon's cart limits and problems in shopper words, exhaustively.
import { ProblemError } from "../../widget/client.ts";
import { isOrderable, isPostalCode } from "../../widget/postal-codes.ts";
import { shopperWords } from "../../widget/problems.ts";
import { describe, equal, it } from "./helpers.ts";

describe("postal codes", () => {
  const cases: [string, string[], string[]][] = [
    ["US", ["98101", "98101-1234", "981011234", " 98101 "], ["2050", "ABCDE", "981011", "98101-12"]],
    ["CA", ["K1A 0B1", "k1a0b1"], ["K1A 0B", "12345"]],
    ["MX", ["01000"], ["0100"]],
    ["GB", ["SW1A 1AA", "EC2A 2FA", "M1 1AE", "sw1a1aa"], ["SW1A", "12345"]],
    ["IE", ["D02 X285", "A65F4E2"], ["D02", "12345"]],
    ["DE", ["10115", "01067"], ["1099", "101155", "ABCDE"]],
    ["FR", ["75001"], ["7500"]],
    ["IT", ["00118"], ["0011"]],
    ["ES", ["28013"], ["2801"]],
    ["NL", ["1012 AB", "1012AB"], ["1012", "AB1012"]],
    ["BE", ["1000"], ["100"]],
    ["SE", ["111 22", "11122"], ["1112"]],
    ["PL", ["00-950"], ["00950", "0-950"]],
    ["JP", ["100-0001", "1000001"], ["123", "100-001", "1000-001"]],
    ["AU", ["2000"], ["200", "20000"]],
  ];
  for (const [country, valid, invalid] of cases) {
    it(`${country}: ${valid.join(", ")} yes; ${invalid.join(", ")} no`, () => {
      for (const code of valid) equal(isPostalCode(country, code), true, code);
      for (const code of invalid) equal(isPostalCode(country, code), false, code);
    });
  }

  it("countries without a known format are not checked", () => {
    equal(isPostalCode("ZZ", "anything"), true);
    equal(isPostalCode("AE", ""), true);
  });
});

describe("Amazon's cart limits", () => {
  it("at most 100 lines and 250 units", () => {
    const lines = (count: number, quantity = 1) => Array.from({ length: count }, () => ({ quantity }));
    equal(isOrderable(lines(100)), true);
    equal(isOrderable(lines(101)), false);
    equal(isOrderable(lines(1, 250)), true);
    equal(isOrderable(lines(1, 251)), false);
    equal(isOrderable(lines(2, 125)), true);
    equal(isOrderable([{ quantity: 200 }, { quantity: 51 }]), false);
  });
});

describe("problems in shopper words", () => {
  const problem = (status: number, slug?: string, paths: string[] = []) =>
    new ProblemError({
      status,
      title: "t",
      type: slug ? `https://mcf-checkout.dev/problems/${slug}` : undefined,
      errors: paths.map((path) => ({ path, message: "m" })),
    });
  const words = (error: ProblemError) => {
    const { words, retry } = shopperWords(error);
    return `${words}${retry ? "+retry" : ""}`;
  };

  it("network errors, 429 and 5xx can be retried; nothing else can", () => {
    equal(words(problem(0)), "error+retry");
    equal(words(problem(429, "too-many-requests")), "error+retry");
    equal(words(problem(500)), "error+retry");
    equal(words(problem(503, "unavailable")), "error+retry");
    equal(words(problem(404)), "unavailable");
    equal(words(problem(403, "origin-not-allowed")), "unavailable");
    equal(words(problem(422, "cart-value-invalid")), "unavailable");
  });

  it("quotes that changed, orders this page cannot place, and refused fields each have their words", () => {
    for (const slug of ["quote-expired", "quote-mismatch", "quote-already-ordered"]) {
      equal(words(problem(422, slug)), "changed", slug);
    }
    for (const slug of ["scheduled-delivery-hold", "cod-needs-server", "browser-orders-off"]) {
      equal(words(problem(422, slug)), "unorderable", slug);
    }
    equal(words(problem(400, "validation", ["address.postalCode"])), "badPostal");
    equal(words(problem(400, "validation", ["items"])), "tooLarge");
    equal(words(problem(400, "validation", ["items[0].quantity"])), "tooLarge");
    equal(words(problem(400, "validation", ["items[0].sku"])), "unavailable");
    equal(words(problem(400, "validation", ["items[].perUnitPrice"])), "unavailable");
    equal(words(problem(400, "validation")), "unavailable");
  });
});

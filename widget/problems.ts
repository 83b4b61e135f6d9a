// What a failed proxy call means to a shopper. Problem types are https://mcf-checkout.dev/problems/<slug>; titles,
// details and field paths are for developers (the console), never shown.
import type { ProblemError } from "./client.ts";

export type ProblemWords = "error" | "unavailable" | "tooLarge" | "changed" | "unorderable" | "badPostal";

/** The strings key that words `problem` for shoppers, and whether trying the same call again can help. */
export function shopperWords(problem: ProblemError): { words: ProblemWords; retry: boolean } {
  const { status } = problem;
  if (!status || status === 429 || status >= 500) return { words: "error", retry: true };
  const slug = problem.type?.split("/problems/")[1] ?? "";
  // Field paths name what was refused: the postal code, or the cart's lines or quantities (Amazon's order limits).
  const paths = `${problem.errors?.map((error) => error.path).join(" ")} `;
  const words = /^quote-/.test(slug)
    ? // quote-expired, quote-mismatch, quote-already-ordered…: fresh options fix it.
      "changed"
    : /delivery-hold|needs-server|orders-off/.test(slug)
      ? // scheduled-delivery-hold, cod-needs-server, browser-orders-off: not something this page can order.
        "unorderable"
      : slug !== "validation"
        ? "unavailable"
        : /postalCode/.test(paths)
          ? "badPostal"
          : /(items|quantity) /.test(paths)
            ? "tooLarge"
            : "unavailable";
  return { words, retry: false };
}

// Every problem an order rule answers with, built in one place so each reads the same wherever it is raised.
import { type FieldError, Problem, problemType } from "../problems/index.ts";

export const browserOrdersOff = () =>
  new Problem({
    type: problemType(403, "browser-orders-off"),
    title: "Browser orders are disabled",
    status: 403,
    detail: "This proxy takes orders only from the merchant's server (MCF_BROWSER_ORDERS=off).",
    errors: [{ path: "header Authorization", message: "must carry the secret key" }],
  });

export const browserMayNotShip = () =>
  new Problem({
    title: "Browsers may not ship orders",
    status: 403,
    detail: "Orders from a browser are created on Hold; the merchant's server releases them after payment.",
    errors: [{ path: "action", message: "must be Hold (or omitted) for browser orders" }],
  });

/** Amazon forbids Hold with Scheduled Delivery; `fromBrowser` says it was the browser flow that implied Hold. */
export const scheduledDeliveryHold = (fromBrowser: boolean) =>
  new Problem({
    type: problemType(422, "scheduled-delivery-hold"),
    title: "Scheduled Delivery cannot be held",
    status: 422,
    detail: fromBrowser
      ? "Amazon does not allow Scheduled Delivery orders on Hold, and this proxy creates browser orders on Hold. " +
        "Create the order from the merchant's server with the secret key, or set MCF_BROWSER_ORDERS=ship."
      : "Amazon does not allow Scheduled Delivery orders on Hold.",
    errors: [
      fromBrowser
        ? { path: "quote", message: "is for ScheduledDelivery, which browsers cannot order on Hold" }
        : { path: "action", message: "must be Ship for a ScheduledDelivery quote" },
    ],
  });

export const notAllowedFromBrowser = (errors: FieldError[]) =>
  new Problem({
    title: "Not allowed from a browser",
    status: 403,
    detail:
      `A browser may not set ${errors.map((error) => error.path).join(", ")}: ` +
      "order ids and amounts to collect come from the merchant's server (secret key).",
    errors,
  });

export const codNeedsServer = () =>
  new Problem({
    type: problemType(422, "cod-needs-server"),
    title: "Cash on delivery needs the merchant's server",
    status: 422,
    detail:
      "Amazon collects item prices on a cash-on-delivery order, and only the merchant's server may state them: " +
      "create this order from the server with the secret key (items[].perUnitPrice), or choose another way to pay.",
    errors: [{ path: "quote", message: "is for cash on delivery, which only the merchant's server can order" }],
  });

export const quoteRefused = (reason: string, message: string) =>
  new Problem({
    type: problemType(422, `quote-${reason}`),
    title: reason === "expired" ? "Quote expired" : "Invalid quote",
    status: 422,
    detail:
      reason === "expired"
        ? "The quote has expired; ask for delivery options again."
        : `The quote ${message}; use a quote exactly as /v1/delivery-options returned it.`,
    errors: [{ path: "quote", message }],
  });

export const quoteMismatch = (mismatches: FieldError[]) =>
  new Problem({
    type: problemType(422, "quote-mismatch"),
    title: "Order does not match its quote",
    status: 422,
    detail: `The order differs from what the quote was issued for: ${mismatches.map((error) => error.path).join(", ")}.`,
    errors: mismatches,
  });

export const quoteAlreadyOrdered = () =>
  new Problem({
    type: problemType(409, "quote-already-ordered"),
    title: "Quote already used for an order",
    status: 409,
    detail:
      "A browser may place one order per quote, and this one already has its order; ask for delivery options again.",
    errors: [{ path: "quote", message: "was already used for another order" }],
  });

export const orderIdTaken = (orderId: string, differences: string[]) =>
  new Problem({
    type: problemType(409, "order-id-taken"),
    title: "Order id already used",
    status: 409,
    detail: `Amazon already has a different order ${orderId} (it differs in ${differences.join(", ")}).`,
    errors: [{ path: "orderId", message: "is already used by another order" }],
  });

export const orderOnHold = (orderId: string) =>
  new Problem({
    type: problemType(409, "order-on-hold"),
    title: "The order already exists on Hold",
    status: 409,
    detail:
      `Amazon already has this order (${orderId}) on Hold, created by an earlier request. Nothing was shipped: ` +
      `release it with POST /v1/orders/${orderId}/ship.`,
    errors: [{ path: "action", message: "is Ship, but the existing identical order is on Hold" }],
  });

/** Amazon may or may not have the order: retrying the same request is safe and will tell. */
export const orderOutcomeUnknown = (orderId: string, amznRequestId?: string) =>
  new Problem(
    {
      type: problemType(503, "order-outcome-unknown"),
      title: "Order outcome not yet known",
      status: 503,
      detail:
        `Amazon did not confirm order ${orderId} in time and it could not be read back. It may exist: retry the ` +
        "same request (the same order id is used, so nothing is created twice).",
      errors: [{ path: "orderId", message: `${orderId} is not yet confirmed` }],
      ...(amznRequestId ? { amznRequestId } : {}),
    },
    { "retry-after": "5" },
  );

export const notOnHold = (status: string) =>
  new Problem({
    type: problemType(409, "not-on-hold"),
    title: "Order is no longer on hold",
    status: 409,
    detail: "A browser may cancel an order only while it is on Hold; ask the merchant to cancel it.",
    errors: [{ path: "orderId", message: `is ${status}, not on Hold` }],
  });

export const packageNotFound = (orderId: string, packageNumber: number) =>
  new Problem({
    title: "Not found",
    status: 404,
    detail: `Order ${orderId} has no package ${packageNumber}.`,
    errors: [{ path: "packageNumber", message: "is not a package of this order" }],
  });

export const invalidIdempotencyKey = () =>
  new Problem({
    title: "Invalid Idempotency-Key",
    status: 400,
    detail: "The Idempotency-Key header must be 1-255 visible ASCII characters.",
    errors: [{ path: "header Idempotency-Key", message: "must be 1-255 visible ASCII characters" }],
  });

export const idempotencyKeyReused = () =>
  new Problem({
    type: problemType(409, "idempotency-key-reused"),
    title: "Idempotency-Key reused",
    status: 409,
    detail: "This Idempotency-Key was already used with a different request body.",
    errors: [{ path: "header Idempotency-Key", message: "was used with a different body" }],
  });

export const idempotencyKeyInUse = () =>
  new Problem(
    {
      type: problemType(409, "idempotency-key-in-use"),
      title: "A request with this Idempotency-Key is in progress",
      status: 409,
      detail: "The first request with this Idempotency-Key has not finished yet; retry shortly to get its answer.",
      errors: [{ path: "header Idempotency-Key", message: "is in use by a request in progress" }],
    },
    { "retry-after": "1" },
  );

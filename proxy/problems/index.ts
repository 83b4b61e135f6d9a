// RFC 9457 problem details: every error the proxy returns, with the offending field named.
import { RESILIENCE_ERROR_CODES } from "../admission/errors.ts";
import { MALFORMED_ANSWER, type UpstreamError } from "../fulfillment/model.ts";

export interface FieldError {
  /** Where in the request: `items[0].sku`, `address.postalCode`, `header Idempotency-Key`, … */
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** Amazon's x-amzn-RequestId when the problem came from Amazon. */
  amznRequestId?: string;
  requestId?: string;
}

/** A problem thrown anywhere in a route; the app's error handler renders it as application/problem+json. */
export class Problem extends Error {
  readonly body: ProblemBody;
  readonly headers: Record<string, string>;

  constructor(body: Omit<ProblemBody, "type"> & { type?: string }, headers: Record<string, string> = {}) {
    super(body.detail);
    this.name = "Problem";
    this.body = { type: body.type ?? problemType(body.status), ...body };
    this.headers = headers;
  }
}

const SLUGS: Record<number, string> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  422: "unprocessable",
  429: "too-many-requests",
  500: "internal",
  502: "bad-gateway",
  503: "unavailable",
  504: "gateway-timeout",
};

export function problemType(status: number, slug = SLUGS[status] ?? "error"): string {
  return `https://mcf-checkout.dev/problems/${slug}`;
}

export function problemResponse(body: ProblemBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

export function validationProblem(errors: FieldError[], detail?: string): Problem {
  return new Problem({
    type: problemType(400, "validation"),
    title: "Invalid request",
    status: 400,
    detail: detail ?? errors.map((error) => `${error.path}: ${error.message}`).join("; "),
    errors,
  });
}

/** Zod-style issue (only the fields we read), so this module does not depend on zod's types. */
export interface IssueLike {
  code: string;
  path: PropertyKey[];
  message?: string;
  expected?: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
  keys?: string[];
  values?: unknown[];
  format?: string;
  input?: unknown;
}

/** `["items", 0, "sku"]` → `items[0].sku`. */
export function formatPath(path: readonly PropertyKey[], root = "body"): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || root;
}

/** A readable sentence for one validation issue. */
export function describeIssue(issue: IssueLike): string {
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " entries" : "";
  // A schema's own message (set where a generic one would be vague) wins.
  if (issue.message && issue.message !== "Invalid input") return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `must be ${expectedType(issue.expected)}`;
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1
        ? "must not be empty"
        : `must be at least ${String(issue.minimum)}${unit}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}${unit}`;
    case "unrecognized_keys":
      return issue.keys?.length === 1 ? "is not a known field" : `has unknown fields: ${(issue.keys ?? []).join(", ")}`;
    case "invalid_value":
      return `must be one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_format":
      if (issue.format === "email") return "must be an e-mail address";
      return issue.format === "regex" ? "has an invalid format" : `must be a valid ${issue.format ?? "value"}`;
    case "invalid_union":
      return "has an invalid value";
    default:
      return "is invalid";
  }
}

const TYPE_NAMES: Record<string, string> = { int: "a whole number", array: "a list", object: "an object" };

function expectedType(expected: string | undefined): string {
  return TYPE_NAMES[expected ?? ""] ?? article(expected ?? "value");
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Field errors for a failed parse: one per issue, paths relative to `root`. */
export function issuesToErrors(issues: readonly IssueLike[], root = "body"): FieldError[] {
  return issues.map((issue) => {
    // An unknown key is best named by the key itself.
    const path =
      issue.code === "unrecognized_keys" && issue.keys?.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    return { path: formatPath(path, root), message: describeIssue(issue) };
  });
}

/** The request lines an upstream failure came from, so Amazon's `sellerSku` can be named as `items[i].sku`. */
const requestLines = new WeakMap<UpstreamError, readonly { sku: string }[]>();

/** Remembers which request lines an upstream failure belongs to (returns the error, to rethrow it). */
export function withRequestLines(error: UpstreamError, items: readonly { sku: string }[]): UpstreamError {
  requestLines.set(error, items);
  return error;
}

/** A request the merchant's Amazon API cannot express: 422 naming the v1 field, nothing sent. */
export function unsupportedProblem(error: { path: string; message: string }): Problem {
  return new Problem({
    type: problemType(422, "unsupported-by-amazon-api"),
    title: "Not supported by this merchant's Amazon API",
    status: 422,
    detail: error.message,
    errors: [{ path: error.path, message: error.message }],
  });
}

/** Maps an upstream failure onto the problem the caller sees, keeping Amazon's request id. */
export function upstreamProblem(error: UpstreamError): Problem {
  const amazonSays = error.errors.map((entry) => `${entry.code}: ${entry.message}`).join("; ");
  const base = { amznRequestId: error.amznRequestId };
  if (error.operation === "token") {
    return new Problem({
      ...base,
      type: problemType(502, "upstream-credentials"),
      title: "Amazon rejected the proxy's credentials",
      status: 502,
      detail: `${error.message} The merchant must fix the proxy's LWA configuration.`,
    });
  }
  // Amazon answers an unknown order id with 400 InvalidInput "Requested order not found".
  const notFound = error.status === 400 && error.errors.some((entry) => /not found/i.test(entry.message));
  if (error.status === 404 || notFound) {
    return new Problem({
      ...base,
      title: "Not found",
      status: 404,
      detail: amazonSays || "Amazon has no such order or package.",
      errors: [{ path: "orderId", message: "not found at Amazon" }],
    });
  }
  if (error.status === 401 || error.status === 403) {
    return new Problem({
      ...base,
      type: problemType(502, "upstream-credentials"),
      title: "Amazon refused the proxy's access",
      status: 502,
      detail: amazonSays || `Amazon answered ${error.status}.`,
    });
  }
  if (error.status === 429) {
    return new Problem(
      { ...base, title: "Amazon is throttling requests", status: 503, detail: "Try again in a moment." },
      { "retry-after": "1" },
    );
  }
  if (error.status >= 400 && error.status < 500) {
    return new Problem({
      ...base,
      type: problemType(422, "upstream-rejected"),
      title: "Amazon rejected the request",
      status: 422,
      detail: amazonSays || `Amazon answered ${error.status}.`,
      errors: error.errors.map((entry) => ({
        path: requestPathOf(entry, requestLines.get(error) ?? []),
        message: entry.message,
      })),
    });
  }
  if (error.status === 0) {
    const code = error.errors[0]?.code;
    if (code === RESILIENCE_ERROR_CODES.queueFull || code === RESILIENCE_ERROR_CODES.circuitOpen) {
      return new Problem(
        {
          ...base,
          title: code === RESILIENCE_ERROR_CODES.queueFull ? "Too many requests to Amazon" : "Amazon is failing",
          status: 503,
          detail: error.message,
        },
        { "retry-after": code === RESILIENCE_ERROR_CODES.queueFull ? "1" : "10" },
      );
    }
    const timedOut = code === RESILIENCE_ERROR_CODES.timeout || /timed? ?out/i.test(error.message);
    return new Problem({
      ...base,
      title: timedOut ? "Amazon did not answer in time" : "Amazon is unreachable",
      status: timedOut ? 504 : 502,
      detail: error.message,
    });
  }
  if (error.errors[0]?.code === MALFORMED_ANSWER) {
    return new Problem({ ...base, title: "Amazon answered unreadably", status: 502, detail: error.message });
  }
  return new Problem({
    ...base,
    title: "Amazon failed",
    status: 502,
    detail: amazonSays || `Amazon answered ${error.status}.`,
  });
}

/** Amazon's field names → ours. Line fields are completed with the line's index when its SKU is named. */
const AMAZON_FIELDS: Record<string, string> = {
  addressLine1: "address.line1",
  addressLine2: "address.line2",
  addressLine3: "address.line3",
  city: "address.city",
  districtOrCounty: "address.districtOrCounty",
  stateOrRegion: "address.stateOrRegion",
  postalCode: "address.postalCode",
  countryCode: "address.countryCode",
  phone: "address.phone",
  destinationAddress: "address",
  sellerSku: "sku",
  quantity: "quantity",
  giftMessage: "giftMessage",
  displayableComment: "displayableComment",
  perUnitPrice: "perUnitPrice",
  perUnitTax: "perUnitTax",
  sellerFulfillmentOrderItemId: "",
  sellerFulfillmentOrderId: "orderId",
  displayableOrderId: "displayableOrderId",
  displayableOrderDate: "orderDate",
  displayableOrderComment: "comment",
  notificationEmails: "notificationEmails",
  fulfillmentPolicy: "policy",
  fulfillmentAction: "action",
  shippingSpeedCategory: "quote",
  deliveryWindow: "quote",
  codSettings: "quote",
  marketplaceId: "marketplaceId",
};
const LINE_FIELDS = new Set(["sku", "quantity", "giftMessage", "displayableComment", "perUnitPrice", "perUnitTax", ""]);
const AMAZON_FIELD = new RegExp(`\\b(${Object.keys(AMAZON_FIELDS).join("|")})\\b`);

/**
 * Amazon's messages often name the field ("… sellerSku …"): the request path it came from (`items[1].sku`,
 * `address.line1`, …), `items` when the line cannot be told, else the whole body.
 */
export function requestPathOf(entry: { message: string; details?: string }, lines: readonly { sku: string }[]): string {
  const said = `${entry.message} ${entry.details ?? ""}`;
  const named = AMAZON_FIELD.exec(said)?.[1];
  if (named === undefined) return "body";
  const field = AMAZON_FIELDS[named] ?? "body";
  if (!LINE_FIELDS.has(field)) return field;
  // The longest SKU the message names, so "MUG-1" is not taken for "MUG-10".
  let index = -1;
  lines.forEach((line, at) => {
    if (said.includes(line.sku) && (index < 0 || line.sku.length > (lines[index]?.sku.length ?? 0))) index = at;
  });
  if (index < 0) return "items";
  return field ? `items[${index}].${field}` : `items[${index}]`;
}

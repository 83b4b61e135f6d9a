// RFC 9457 problem details: every error the proxy returns, with the offending field named.
import { RESILIENCE_ERROR_CODES } from "../resilience/index.ts";
import type { UpstreamError } from "../upstream/types.ts";

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
      return issue.input === undefined ? "is required" : `must be ${article(issue.expected ?? "value")}`;
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
      return issue.format === "regex" ? "has an invalid format" : `must be a valid ${issue.format ?? "value"}`;
    case "invalid_union":
      return "has an invalid value";
    default:
      return "is invalid";
  }
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
      errors: error.errors.map((entry) => ({ path: fieldFromAmazon(entry), message: entry.message })),
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
  return new Problem({
    ...base,
    title: "Amazon failed",
    status: 502,
    detail: amazonSays || `Amazon answered ${error.status}.`,
  });
}

/** Amazon's messages often name the field ("… sellerSku …"); fall back to the whole body. */
function fieldFromAmazon(entry: { message: string; details?: string }): string {
  const named =
    /\b(sellerSku|postalCode|countryCode|stateOrRegion|city|addressLine1|quantity|deliveryWindow|shippingSpeedCategory|sellerFulfillmentOrderId|displayableOrderId|marketplaceId)\b/.exec(
      `${entry.details ?? ""} ${entry.message}`,
    );
  return named?.[1] ?? "body";
}

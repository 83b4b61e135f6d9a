// Amazon MWS Signature Version 2, the one algorithm both sides use: the proxy signs, the sandbox verifies.
// No I/O, WebCrypto only. The steps and test vectors: ../../shared/spec/mws-fbaoutbound-notes.md.

export type SignatureMethod = "HmacSHA256" | "HmacSHA1";

export const SIGNATURE_METHODS: readonly SignatureMethod[] = ["HmacSHA256", "HmacSHA1"];

const HASH: Record<SignatureMethod, "SHA-256" | "SHA-1"> = { HmacSHA256: "SHA-256", HmacSHA1: "SHA-1" };

export type Parameters = Record<string, string>;

export interface SigningInput {
  /** MWS signs POST; the older query APIs of the test vectors sign GET. */
  verb?: "GET" | "POST";
  /** Host as sent; lower-cased and stripped of a standard port here. */
  host: string;
  /** e.g. /FulfillmentOutboundShipment/2010-10-01 */
  path: string;
  /** Every parameter but Signature (a Signature present is ignored). */
  params: Parameters;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const utf8 = new TextEncoder();

/** RFC 3986 percent-encoding of the UTF-8 bytes: only A–Z a–z 0–9 - _ . ~ stay, hex in upper case, space is %20. */
export function percentEncode(value: string): string {
  let out = "";
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Natural byte order of the names' UTF-8 bytes (upper case before lower case). */
function compareBytes(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

/** name=value pairs, encoded, sorted by name, joined with &; Signature itself is left out. */
export function canonicalQuery(params: Parameters): string {
  return Object.keys(params)
    .filter((name) => name !== "Signature")
    .sort(compareBytes)
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] ?? "")}`)
    .join("&");
}

/** The host as signed: lower case, without :443 or :80. */
export function signedHost(host: string): string {
  return host.toLowerCase().replace(/:(443|80)$/, "");
}

/** VERB \n host \n path \n canonical query, no trailing newline. */
export function stringToSign(input: SigningInput): string {
  return [input.verb ?? "POST", signedHost(input.host), input.path || "/", canonicalQuery(input.params)].join("\n");
}

/** Base64 of the HMAC of `text` under `secretKey`. */
export async function hmacBase64(secretKey: string, text: string, method: SignatureMethod): Promise<string> {
  if (secretKey === "") throw new TypeError("the secret key must not be empty");
  const key = await crypto.subtle.importKey(
    "raw",
    utf8.encode(secretKey),
    { name: "HMAC", hash: HASH[method] },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(text)));
  let binary = "";
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The signature of a request whose params already carry SignatureMethod (HmacSHA256 when absent). */
export async function signature(input: SigningInput, secretKey: string): Promise<string> {
  return hmacBase64(secretKey, stringToSign(input), signatureMethodOf(input.params));
}

function signatureMethodOf(params: Parameters): SignatureMethod {
  const method = params.SignatureMethod ?? "HmacSHA256";
  if (!(SIGNATURE_METHODS as readonly string[]).includes(method))
    throw new TypeError(`SignatureMethod must be HmacSHA256 or HmacSHA1, got ${method}`);
  return method as SignatureMethod;
}

export interface SignRequest {
  host: string;
  path: string;
  /** The operation's own parameters (Action, SellerId, …). */
  params: Parameters;
  accessKeyId: string;
  secretKey: string;
  /** ISO 8601 UTC, e.g. 2026-12-01T10:00:00Z. */
  timestamp: string;
  /** "2010-10-01" for Fulfillment Outbound Shipment. */
  version: string;
  signatureMethod?: SignatureMethod;
  /** POST (MWS's default) or GET for a query-string request. */
  verb?: "GET" | "POST";
}

/** Adds the authentication parameters and the Signature: the complete parameter set to send. */
export async function signParameters(request: SignRequest): Promise<Parameters> {
  const params: Parameters = {
    ...request.params,
    AWSAccessKeyId: request.accessKeyId,
    SignatureMethod: request.signatureMethod ?? "HmacSHA256",
    SignatureVersion: "2",
    Timestamp: request.timestamp,
    Version: request.version,
  };
  delete params.Signature;
  const input = { verb: request.verb ?? "POST", host: request.host, path: request.path, params };
  params.Signature = await signature(input, request.secretKey);
  return params;
}

/** The form body (or query string) carrying `params`, Signature URL-encoded like every value. */
export function encodeParameters(params: Parameters): string {
  return Object.entries(params)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join("&");
}

/** True when `params.Signature` is the signature of the rest; compared in constant time. */
export async function verifySignature(input: SigningInput, secretKey: string): Promise<boolean> {
  const given = input.params.Signature;
  if (given === undefined) return false;
  const expected = await signature(input, secretKey);
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

// Signed quotes (what the shopper was offered) and order tokens (what lets a browser follow its own order):
// HS256 JWTs through jose, with a key id in the header so keys can rotate. The first key signs; every key verifies.
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import * as z from "zod/mini";
import type { QuoteKey } from "../config/index.ts";
import { SPEEDS, type Speed } from "../contract/v1.ts";
import { isDecimal } from "../money/index.ts";
import { base64Url } from "../shared/digest.ts";

export const QUOTE_TYPE = "mcf-quote+jwt";
export const ORDER_TOKEN_TYPE = "mcf-order+jwt";
export const CART_VALUE_TYPE = "mcf-cart+jwt";

/** What a quote binds. Short claim names keep the token compact in form values. */
export interface QuoteClaims {
  /** Option id the quote belongs to. */
  opt: string;
  mkt: string;
  spd: Speed;
  /** Scheduled Delivery window, ISO 8601. */
  win?: { s: string; e: string };
  /** itemsDigest of the previewed cart. */
  itm: string;
  /** destinationDigest of country, postal code and (when known at quoting) region. */
  dst: string;
  /** Customer price and currency. */
  amt: string;
  cur: string;
  cod?: boolean;
}

export interface VerifiedQuote extends QuoteClaims {
  /** Unique quote id. */
  jti: string;
  kid: string;
  issuedAt: number;
  expiresAt: number;
}

export type TokenFailure = "malformed" | "signature" | "expired" | "wrong-type";

export class TokenError extends Error {
  readonly reason: TokenFailure;
  constructor(reason: TokenFailure, message: string) {
    super(message);
    this.name = "TokenError";
    this.reason = reason;
  }
}

const encoder = new TextEncoder();
const hmacKeys = new WeakMap<QuoteKey, Promise<CryptoKey>>();
/** The HMAC key, imported once per configured key: a fresh import per token would double the cost of signing. */
const cryptoKeyOf = (key: QuoteKey): Promise<CryptoKey> => {
  let imported = hmacKeys.get(key);
  if (!imported) {
    imported = crypto.subtle.importKey("raw", encoder.encode(key.secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    hmacKeys.set(key, imported);
  }
  return imported;
};

async function sign(
  keys: readonly QuoteKey[],
  type: string,
  payload: Record<string, unknown>,
  now: number,
  ttlSeconds: number,
): Promise<{ token: string; id: string; expiresAt: number }> {
  const signer = keys[0];
  if (!signer) throw new Error("no signing key configured");
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = issuedAt + ttlSeconds;
  const id = crypto.randomUUID();
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", kid: signer.kid, typ: type })
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(id)
    .sign(await cryptoKeyOf(signer));
  return { token, id, expiresAt: expiresAt * 1000 };
}

async function verify(keys: readonly QuoteKey[], type: string, token: string, now: number) {
  try {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      (header) => {
        const key = keys.find((candidate) => candidate.kid === header.kid);
        if (!key) throw new TokenError("signature", "signed with an unknown key");
        return cryptoKeyOf(key);
      },
      { algorithms: ["HS256"], typ: type, currentDate: new Date(now), requiredClaims: ["exp", "iat", "jti"] },
    );
    return { payload, kid: String(protectedHeader.kid) };
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new TokenError("expired", "has expired");
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new TokenError("signature", "has an invalid signature");
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === "typ") {
      throw new TokenError("wrong-type", "is not the right kind of token");
    }
    throw new TokenError("malformed", "is not a valid token");
  }
}

export function issueQuote(keys: readonly QuoteKey[], claims: QuoteClaims, now: number, ttlSeconds: number) {
  return sign(keys, QUOTE_TYPE, { ...claims }, now, ttlSeconds);
}

const QUOTE_CLAIMS = z.object({
  opt: z.string().check(z.minLength(1), z.maxLength(64)),
  mkt: z.string().check(z.regex(/^[A-Z0-9]{8,20}$/)),
  spd: z.enum(SPEEDS),
  win: z.optional(z.strictObject({ s: z.iso.datetime({ offset: true }), e: z.iso.datetime({ offset: true }) })),
  itm: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  dst: z.string().check(z.regex(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}\.([A-Za-z0-9_-]{16})?$/)),
  amt: z.string().check(z.refine(isDecimal)),
  cur: z.string().check(z.regex(/^[A-Z]{3}$/)),
  cod: z.optional(z.literal(true)),
  jti: z.string().check(z.minLength(1), z.maxLength(64)),
  iat: z.number(),
  exp: z.number(),
});

/** A base64url part exactly as this proxy encodes it: another spelling of the same bytes is refused. */
const canonicalPart = (part: string) => {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return false;
  try {
    return (
      base64Url(Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))) === part
    );
  } catch {
    return false;
  }
};

/**
 * Throws TokenError when the quote is tampered with, expired, malformed, not a quote, spelled non-canonically, or
 * carries claims this proxy would never sign (defence in depth against a leaked or misused key).
 */
export async function verifyQuote(keys: readonly QuoteKey[], token: string, now: number): Promise<VerifiedQuote> {
  if (!token.split(".").every(canonicalPart)) throw new TokenError("malformed", "is not in canonical form");
  const { payload, kid } = await verify(keys, QUOTE_TYPE, token, now);
  const parsed = QUOTE_CLAIMS.safeParse(payload);
  if (!parsed.success) throw new TokenError("malformed", "carries invalid claims");
  const { iat, exp, ...claims } = parsed.data;
  return { ...claims, kid, issuedAt: iat * 1000, expiresAt: exp * 1000 } as VerifiedQuote;
}

/** Lets the browser that placed an order read its status and cancel it while on Hold; nothing else. */
export function issueOrderToken(keys: readonly QuoteKey[], orderId: string, now: number, ttlSeconds: number) {
  return sign(keys, ORDER_TOKEN_TYPE, { sub: orderId }, now, ttlSeconds);
}

/** True only for a valid, unexpired order token issued for exactly this order. */
export async function verifyOrderToken(
  keys: readonly QuoteKey[],
  token: string,
  orderId: string,
  now: number,
): Promise<boolean> {
  try {
    const { payload } = await verify(keys, ORDER_TOKEN_TYPE, token, now);
    return payload.sub === orderId;
  } catch {
    return false;
  }
}

/** What a cart value binds: the merchant's own prices for this cart, so a shopper cannot set them. */
export interface CartValueClaims {
  mkt: string;
  /** itemsDigest of the cart. */
  itm: string;
  amt: string;
  cur: string;
}

const CART_VALUE_CLAIMS = z.object({
  mkt: z.string().check(z.regex(/^[A-Z0-9]{8,20}$/)),
  itm: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  amt: z.string().check(z.refine(isDecimal)),
  cur: z.string().check(z.regex(/^[A-Z]{3}$/)),
});

/** Signs the cart's value as the merchant's server stated it (POST /v1/cart-values). */
export function issueCartValue(keys: readonly QuoteKey[], claims: CartValueClaims, now: number, ttlSeconds: number) {
  return sign(keys, CART_VALUE_TYPE, { ...claims }, now, ttlSeconds);
}

/** Throws TokenError unless the token is a valid, unexpired, canonical cart value of this proxy. */
export async function verifyCartValue(keys: readonly QuoteKey[], token: string, now: number): Promise<CartValueClaims> {
  if (!token.split(".").every(canonicalPart)) throw new TokenError("malformed", "is not in canonical form");
  const { payload } = await verify(keys, CART_VALUE_TYPE, token, now);
  const parsed = CART_VALUE_CLAIMS.safeParse(payload);
  if (!parsed.success) throw new TokenError("malformed", "carries invalid claims");
  return parsed.data;
}

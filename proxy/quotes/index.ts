// Signed quotes (what the shopper was offered) and order tokens (what lets a browser follow its own order):
// HS256 JWTs through jose, with a key id in the header so keys can rotate. The first key signs; every key verifies.
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { ShippingSpeedCategory } from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { QuoteKey } from "../config/index.ts";

export const QUOTE_TYPE = "mcf-quote+jwt";
export const ORDER_TOKEN_TYPE = "mcf-order+jwt";

/** What a quote binds. Short claim names keep the token compact in form values. */
export interface QuoteClaims {
  /** Option id the quote belongs to. */
  opt: string;
  mkt: string;
  spd: ShippingSpeedCategory;
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

/**
 * Ids of quotes recently presented for an order (bounded; the oldest are forgotten first). A delivery-options answer
 * shared between identical requests stops being shared once one of its quotes is ordered, so a shopper who buys the
 * same again gets a fresh quote and a second order. In-process only: safety never rests on it, since an order id is
 * derived from the quote and the whole order body.
 */
const PRESENTED_LIMIT = 4096;
const presented = new Set<string>();

export function wasPresentedForOrder(quoteId: string): boolean {
  return presented.has(quoteId);
}

/** Throws TokenError when the quote is tampered with, expired, malformed or not a quote. */
export async function verifyQuote(keys: readonly QuoteKey[], token: string, now: number): Promise<VerifiedQuote> {
  const { payload, kid } = await verify(keys, QUOTE_TYPE, token, now);
  const claims = payload as unknown as VerifiedQuote & { iat: number; exp: number };
  if (typeof claims.mkt !== "string" || typeof claims.spd !== "string" || typeof claims.itm !== "string") {
    throw new TokenError("malformed", "is missing claims");
  }
  presented.delete(claims.jti);
  presented.add(claims.jti);
  if (presented.size > PRESENTED_LIMIT) presented.delete(presented.values().next().value as string);
  return { ...claims, kid, issuedAt: claims.iat * 1000, expiresAt: claims.exp * 1000 };
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

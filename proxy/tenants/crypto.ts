// Secrets at rest, with no I/O: refresh tokens sealed with AES-GCM under MCF_TOKEN_KEY (the first key seals, every key
// opens, so keys rotate), merchant keys generated here and secret keys kept only as SHA-256 hashes.
import { base64url } from "jose";

export interface TokenKey {
  /** Derived from the key itself, so no one has to name keys and a sealed token says which key opens it. */
  id: string;
  key: CryptoKey;
}

/** The first key seals new tokens; the others only open tokens sealed before a rotation. */
export interface TokenKeyRing {
  current: TokenKey;
  all: ReadonlyMap<string, TokenKey>;
}

const ENVELOPE_VERSION = "v1";
const IV_BYTES = 12;

/** Standard or URL-safe base64, padded or not; undefined when it is neither. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  try {
    return new Uint8Array(base64url.decode(text.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")));
  } catch {
    return undefined;
  }
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

async function sha256(text: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const data = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/** A fresh MCF_TOKEN_KEY value (32 random bytes, base64), e.g. for `npm start` when none is set. */
export function generateTokenKey(): string {
  return btoa(String.fromCharCode(...randomBytes(32)));
}

/**
 * Reads MCF_TOKEN_KEY: one base64 key of 32 bytes, or several separated by commas (the first seals). Throws an
 * Error naming the variable and the position of the bad key.
 */
export async function parseTokenKeys(value: string | undefined, name = "MCF_TOKEN_KEY"): Promise<TokenKeyRing> {
  const parts = (value ?? "").split(",").map((part) => part.trim());
  if (parts.length === 0 || parts[0] === "") throw new Error(`${name} is required: 32 bytes, base64`);
  const keys: TokenKey[] = [];
  for (const [index, part] of parts.entries()) {
    const where = parts.length > 1 ? `${name} key ${index + 1}` : name;
    const raw = decodeBase64(part);
    if (!raw) throw new Error(`${where} is not base64`);
    if (raw.length !== 32) throw new Error(`${where} must be 32 bytes, base64 (got ${raw.length} bytes)`);
    const id = base64url.encode((await sha256(raw)).slice(0, 6));
    const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.push({ id, key });
  }
  return { current: keys[0]!, all: new Map(keys.map((key) => [key.id, key])) };
}

/**
 * Seals a refresh token as `v1.<key id>.<iv>.<ciphertext>`. `context` (the tenant id) is authenticated with it, so
 * a sealed token copied onto another tenant's row does not open.
 */
export async function sealToken(ring: TokenKeyRing, plaintext: string, context: string): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
    ring.current.key,
    new TextEncoder().encode(plaintext),
  );
  return [ENVELOPE_VERSION, ring.current.id, base64url.encode(iv), base64url.encode(new Uint8Array(sealed))].join(".");
}

/** The key id a sealed token names (to find tokens still sealed under an old key). */
export function sealedKeyId(sealed: string): string | undefined {
  const [version, keyId] = sealed.split(".");
  return version === ENVELOPE_VERSION ? keyId : undefined;
}

function decodeSegment(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(base64url.decode(text));
}

/** Opens a sealed token; throws when no configured key opens it or it was tampered with. */
export async function openToken(ring: TokenKeyRing, sealed: string, context: string): Promise<string> {
  const [version, keyId, iv, ciphertext, extra] = sealed.split(".");
  if (version !== ENVELOPE_VERSION || !keyId || !iv || !ciphertext || extra !== undefined)
    throw new Error("sealed token is malformed");
  const key = ring.all.get(keyId);
  if (!key) throw new Error(`sealed token needs token key ${keyId}, which MCF_TOKEN_KEY no longer holds`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: decodeSegment(iv), additionalData: new TextEncoder().encode(context) },
      key.key,
      decodeSegment(ciphertext),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new Error("sealed token does not open: tampered with, or sealed for another tenant");
  }
}

export const PUBLISHABLE_PREFIX = "pk_";
export const SECRET_PREFIX = "sk_";

/** A new key pair: 24 and 32 random bytes, prefixed so a leaked key is recognisable. */
export function generateMerchantKeys(): { publishableKey: string; secretKey: string } {
  return {
    publishableKey: `${PUBLISHABLE_PREFIX}${base64url.encode(randomBytes(24))}`,
    secretKey: `${SECRET_PREFIX}${base64url.encode(randomBytes(32))}`,
  };
}

/**
 * How a secret key is stored and looked up. Keys are 256 random bits, so a plain SHA-256 is enough: there is no
 * password to guess, and an indexed equality lookup stays possible.
 */
export async function hashSecretKey(secretKey: string): Promise<string> {
  return base64url.encode(await sha256(secretKey));
}

/** Random opaque identifiers (tenant ids, OAuth states, session ids). */
export function randomId(prefix = "", bytes = 16): string {
  return `${prefix}${base64url.encode(randomBytes(bytes))}`;
}

import { SIGNATURE_METHODS, verifySignature } from "../../spec/mws-signature-v2.ts";
import { DEV_CREDENTIALS, type KnownSeller, type SellerCredentials } from "./lwa.ts";

/** A seller's MWS developer keys: the access key names the seller, the secret key signs (Signature Version 2). */
export interface MwsKeys {
  accessKeyId: string;
  secretKey: string;
}

/** LWA credentials that may carry MWS keys: the same seller, so the same stock and orders, in every dialect. */
export type SellerWithMws = SellerCredentials;

export const DEV_MWS_KEYS: MwsKeys = {
  accessKeyId: "AKIASANDBOXMWSDEVKEY0",
  secretKey: "sandbox-mws-dev-secret-key-do-not-use-in-production",
};

/** The dev seller id MWS requests name as SellerId when the sandbox runs on its defaults. */
export const DEV_MWS_SELLER_ID = DEV_CREDENTIALS.sellerId;

/** Amazon refuses a Timestamp more than 15 minutes away from its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** An MWS failure before any operation runs: Amazon's code, HTTP status and message. */
export class MwsAuthError extends Error {
  readonly code: string;
  readonly status: 400 | 401 | 403;
  constructor(status: 400 | 401 | 403, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

interface KeyHolder {
  sellerId: string;
  secretKey: string;
}

const AUTH_PARAMETERS = [
  "AWSAccessKeyId",
  "Action",
  "SellerId",
  "SignatureMethod",
  "SignatureVersion",
  "Timestamp",
  "Version",
  "Signature",
] as const;

/** Checks the authentication parameters and the signature of MWS requests against each seller's keys. */
export class MwsAuth {
  #keys = new Map<string, KeyHolder>();

  /** Sellers given with `mws` keys use them; when none has any, the first seller gets DEV_MWS_KEYS. */
  constructor(sellers: readonly KnownSeller[]) {
    const withKeys = sellers.filter((seller) => seller.mws);
    const first = sellers[0];
    if (withKeys.length === 0 && first)
      this.#keys.set(DEV_MWS_KEYS.accessKeyId, { sellerId: first.sellerId, secretKey: DEV_MWS_KEYS.secretKey });
    for (const seller of withKeys) {
      const keys = seller.mws as MwsKeys;
      if (!keys.accessKeyId || !keys.secretKey)
        throw new TypeError(`credentials of seller ${seller.sellerId}: mws.accessKeyId and mws.secretKey are required`);
      this.#keys.set(keys.accessKeyId, { sellerId: seller.sellerId, secretKey: keys.secretKey });
    }
  }

  /**
   * The seller a request acts for, or the MwsAuthError Amazon would answer, checked in Amazon's order: every
   * authentication parameter present, known version and method, the key, the clock, the signature, the seller.
   */
  async authenticate(
    request: { verb: "GET" | "POST"; host: string; path: string; params: Record<string, string> },
    version: string,
    now: number,
  ): Promise<string> {
    const { params } = request;
    for (const name of AUTH_PARAMETERS) {
      if (params[name] === undefined || params[name] === "")
        throw new MwsAuthError(400, "MissingParameter", `The request must contain the parameter ${name}.`);
    }
    if (params.Version !== version)
      throw new MwsAuthError(400, "InvalidParameterValue", `Version ${params.Version} is not ${version}.`);
    if (params.SignatureVersion !== "2")
      throw new MwsAuthError(400, "InvalidParameterValue", "SignatureVersion must be 2.");
    if (!(SIGNATURE_METHODS as readonly string[]).includes(params.SignatureMethod ?? ""))
      throw new MwsAuthError(400, "InvalidParameterValue", "SignatureMethod must be HmacSHA256 or HmacSHA1.");
    const holder = this.#keys.get(params.AWSAccessKeyId ?? "");
    if (!holder)
      throw new MwsAuthError(
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
      );
    const timestamp = Date.parse(params.Timestamp ?? "");
    if (!/^\d{4}-\d{2}-\d{2}T/.test(params.Timestamp ?? "") || Number.isNaN(timestamp))
      throw new MwsAuthError(400, "InvalidParameterValue", "Timestamp must be an ISO 8601 date-time.");
    if (Math.abs(timestamp - now) > MAX_CLOCK_SKEW_MS)
      throw new MwsAuthError(
        400,
        "RequestExpired",
        `Request has expired. Timestamp ${params.Timestamp} is more than 15 minutes away from ${new Date(now).toISOString()}.`,
      );
    if (!(await verifySignature(request, holder.secretKey)))
      throw new MwsAuthError(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
      );
    if (params.SellerId !== holder.sellerId)
      throw new MwsAuthError(
        401,
        "AccessDenied",
        `Access denied: the access key is not registered for seller ${params.SellerId}.`,
      );
    return holder.sellerId;
  }
}

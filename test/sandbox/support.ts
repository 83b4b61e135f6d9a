import type { ManualClock } from "../../sandbox/clock.ts";
import { createSandbox, DEV_CREDENTIALS, manualClock, type Sandbox, type SandboxOptions } from "../../sandbox/index.ts";
import { assertConforms, record } from "./conformance.ts";

export const US = "ATVPDKIKX0DER";
export const JP = "A1VC38T7YXB528";
export const DE = "A1PA6795UKMFR9";
export const UK = "A1F83G8C2ARO7P";
export const FR = "A13V1IB3VIYZZH";
export const BASE = "/fba/outbound/2020-07-01";

export const US_ADDRESS = {
  name: "Jane Doe",
  addressLine1: "410 Terry Ave N",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
};
export const JP_ADDRESS = {
  name: "山田 太郎",
  addressLine1: "1-2-3 Shimomeguro",
  city: "Meguro-ku",
  stateOrRegion: "Tokyo",
  postalCode: "153-0064",
  countryCode: "JP",
  phone: "03-1234-5678",
};
export const DE_ADDRESS = {
  name: "Max Muster",
  addressLine1: "Marcel-Breuer-Str. 12",
  city: "München",
  postalCode: "80807",
  countryCode: "DE",
};
export const UK_ADDRESS = {
  name: "Ann Smith",
  addressLine1: "1 Principal Place",
  city: "London",
  postalCode: "EC2A 2FA",
  countryCode: "GB",
};

export interface Harness {
  app: Sandbox;
  clock: ManualClock;
  token: string;
  /** Calls the sandbox in-process and checks the reply against the model (pass `raw: true` to skip that). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>, raw?: boolean): Promise<Reply>;
}

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: replies are arbitrary JSON, checked by schema and assertions
  body: any;
}

/** A token request as an LWA client sends it; `fields` override the dev credentials' fields. */
export function tokenRequest(fields: Record<string, string> = {}, json = false): RequestInit {
  const body = {
    grant_type: "refresh_token",
    refresh_token: DEV_CREDENTIALS.refreshToken,
    client_id: DEV_CREDENTIALS.clientId,
    client_secret: DEV_CREDENTIALS.clientSecret,
    ...fields,
  };
  return {
    method: "POST",
    headers: { "content-type": json ? "application/json" : "application/x-www-form-urlencoded;charset=UTF-8" },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  };
}

export async function fetchToken(app: Sandbox, credentials = DEV_CREDENTIALS): Promise<string> {
  const response = await app.request(
    "/auth/o2/token",
    tokenRequest({
      refresh_token: credentials.refreshToken,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }),
  );
  const json = (await response.json()) as { access_token: string };
  return json.access_token;
}

export async function harness(options: SandboxOptions = {}): Promise<Harness> {
  const clock = manualClock();
  // Tests move the clock by days; a long-lived token keeps them about the rule under test.
  const app = createSandbox({ clock, throttle: false, tokenLifetimeSeconds: 365 * 86_400, ...options });
  const token = await fetchToken(app);
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    raw = false,
  ) => {
    const response = await app.request(path, {
      method,
      headers: {
        "x-amz-access-token": token,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!raw) {
      assertConforms(method, path, response.status, parsed, response.headers);
      record(method, path, response.status);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return { app, clock, token, call };
}

let orderCounter = 0;

/** A valid createFulfillmentOrder body; override any field. */
export function orderBody(overrides: Record<string, unknown> = {}) {
  orderCounter += 1;
  return {
    sellerFulfillmentOrderId: `ORDER-${orderCounter}`,
    displayableOrderId: `SHOP-${orderCounter}`,
    displayableOrderDate: "2026-01-05T09:00:00Z",
    displayableOrderComment: "Thank you for your order",
    shippingSpeedCategory: "Standard",
    destinationAddress: US_ADDRESS,
    items: [{ sellerSku: "MUG-CERAMIC-BLUE", sellerFulfillmentOrderItemId: "line-1", quantity: 2 }],
    ...overrides,
  };
}

/** A JP Scheduled Delivery order body (without a window unless given). */
export function scheduledOrderBody(overrides: Record<string, unknown> = {}) {
  return orderBody({
    marketplaceId: JP,
    destinationAddress: JP_ADDRESS,
    shippingSpeedCategory: "ScheduledDelivery",
    items: [{ sellerSku: "MATCHA-TIN-100G", sellerFulfillmentOrderItemId: "1", quantity: 2 }],
    ...overrides,
  });
}

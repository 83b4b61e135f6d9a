// The SP-API client and LWA token cache against MSW-mocked Amazon endpoints (loopback URLs, intercepted in-process).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createTokenProvider, REFRESH_MARGIN_MS, REJECTION_CACHE_MS } from "../../proxy/upstream/lwa.ts";
import { createSpApi20200701 } from "../../proxy/upstream/sp-api-2020-07-01.ts";
import { UpstreamError } from "../../proxy/upstream/types.ts";
import { manualClock, SECRETS } from "./fixtures.ts";

const AMAZON = "http://127.0.0.1:3";
const TOKEN_URL = "http://127.0.0.1:2/auth/o2/token";
const BASE = `${AMAZON}/fba/outbound/2020-07-01`;
const credentials = { clientId: "client-id", clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken };

const server = setupServer();
before(() => server.listen());
afterEach(() => server.resetHandlers());
after(() => server.close());

/** Token endpoint that counts exchanges and issues Atza|1, Atza|2, … */
function tokenEndpoint(options: { expiresIn?: number; wait?: number } = {}) {
  const seen: URLSearchParams[] = [];
  server.use(
    http.post(TOKEN_URL, async ({ request }) => {
      seen.push(new URLSearchParams(await request.text()));
      if (options.wait) await delay(options.wait);
      return HttpResponse.json({
        access_token: `Atza|${seen.length}`,
        token_type: "bearer",
        expires_in: options.expiresIn ?? 3600,
        refresh_token: SECRETS.refreshToken,
      });
    }),
  );
  return seen;
}

function client(options: { timeoutMs?: number; clock?: ReturnType<typeof manualClock> } = {}) {
  const tokens = createTokenProvider({
    credentials,
    tokenUrl: TOKEN_URL,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return createSpApi20200701({ baseUrl: AMAZON, tokens, timeoutMs: options.timeoutMs ?? 2000 });
}

async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, String(error));
    return error;
  }
  assert.fail("expected an UpstreamError");
}

describe("LWA token cache", () => {
  test("exchanges the refresh token once, form-encoded, and reuses the access token", async () => {
    const exchanges = tokenEndpoint();
    const tokensSeen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, ({ request }) => {
        tokensSeen.push(request.headers.get("x-amz-access-token"));
        return HttpResponse.json({ payload: { fulfillmentOrder: { sellerFulfillmentOrderId: "o1" } } });
      }),
    );
    const api = client();
    await api.getFulfillmentOrder("o1");
    await api.getFulfillmentOrder("o1");
    assert.equal(exchanges.length, 1);
    assert.deepEqual(Object.fromEntries(exchanges[0]!), {
      grant_type: "refresh_token",
      refresh_token: SECRETS.refreshToken,
      client_id: "client-id",
      client_secret: SECRETS.clientSecret,
    });
    assert.deepEqual(tokensSeen, ["Atza|1", "Atza|1"]);
  });

  test("refreshes 60 s before Amazon's expiry", async () => {
    const exchanges = tokenEndpoint({ expiresIn: 3600 });
    const clock = manualClock();
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock });
    assert.equal(await tokens.getAccessToken(), "Atza|1");
    clock.advance(3600_000 - REFRESH_MARGIN_MS - 1);
    assert.equal(await tokens.getAccessToken(), "Atza|1");
    clock.advance(1);
    assert.equal(await tokens.getAccessToken(), "Atza|2");
    assert.equal(exchanges.length, 2);
  });

  test("one exchange however many requests wait for a token", async () => {
    const exchanges = tokenEndpoint({ wait: 30 });
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL });
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getAccessToken()));
    assert.equal(exchanges.length, 1);
    assert.deepEqual(new Set(all), new Set(["Atza|1"]));
  });

  test("rejected credentials: a clear, non-retryable error that names the variables and no secret", async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          { error: "invalid_client", error_description: "Client authentication failed" },
          { status: 401 },
        ),
      ),
    );
    const error = await upstreamError(createTokenProvider({ credentials, tokenUrl: TOKEN_URL }).getAccessToken());
    assert.equal(error.operation, "token");
    assert.equal(error.retryable, false);
    assert.match(error.message, /LWA rejected the credentials \(invalid_client\).*LWA_CLIENT_ID/);
    for (const secret of [SECRETS.clientSecret, SECRETS.refreshToken])
      assert.ok(!JSON.stringify(error).includes(secret));
  });

  test("rejected credentials are answered from memory for 60 s, then LWA is asked again", async () => {
    let exchanges = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        exchanges++;
        return HttpResponse.json({ error: "invalid_grant", error_description: "bad refresh token" }, { status: 400 });
      }),
    );
    const clock = manualClock();
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL, clock });
    const first = await upstreamError(tokens.getAccessToken());
    const waiting = await Promise.all(Array.from({ length: 5 }, () => upstreamError(tokens.getAccessToken())));
    assert.equal(exchanges, 1);
    for (const error of waiting) assert.equal(error.message, first.message);
    clock.advance(REJECTION_CACHE_MS - 1);
    await upstreamError(tokens.getAccessToken());
    assert.equal(exchanges, 1);
    clock.advance(1);
    await upstreamError(tokens.getAccessToken());
    assert.equal(exchanges, 2);
  });

  test("a failed exchange is not cached: the next call tries again", async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({ error: "server_error" }, { status: 500 })
          : HttpResponse.json({ access_token: "Atza|ok", expires_in: 3600 });
      }),
    );
    const tokens = createTokenProvider({ credentials, tokenUrl: TOKEN_URL });
    const first = await upstreamError(tokens.getAccessToken());
    assert.equal(first.retryable, true);
    assert.equal(await tokens.getAccessToken(), "Atza|ok");
  });
});

describe("SP-API 2020-07-01 client", () => {
  test("operations use Amazon's paths and methods, JSON bodies, and unwrap `payload`", async () => {
    tokenEndpoint();
    const calls: string[] = [];
    server.use(
      http.post(`${BASE}/fulfillmentOrders/preview`, async ({ request }) => {
        calls.push(`POST preview ${request.headers.get("content-type")} ${JSON.stringify(await request.json())}`);
        return HttpResponse.json(
          { payload: { fulfillmentPreviews: [] } },
          { headers: { "x-amzn-RequestId": "r-1", "x-amzn-RateLimit-Limit": "2.0" } },
        );
      }),
      http.post(`${BASE}/fulfillmentOrders`, () => {
        calls.push("POST create");
        return HttpResponse.json({});
      }),
      http.put(`${BASE}/fulfillmentOrders/:id`, ({ params }) => {
        calls.push(`PUT update ${params.id}`);
        return HttpResponse.json({});
      }),
      http.put(`${BASE}/fulfillmentOrders/:id/cancel`, ({ params }) => {
        calls.push(`PUT cancel ${params.id}`);
        return HttpResponse.json({});
      }),
      http.get(`${BASE}/tracking`, ({ request }) => {
        calls.push(`GET tracking ${new URL(request.url).searchParams.get("packageNumber")}`);
        return HttpResponse.json({ payload: { packageNumber: 7 } });
      }),
    );
    const api = client();
    const preview = await api.getFulfillmentPreview({
      address: { name: "n", addressLine1: "l", postalCode: "98101", countryCode: "US" },
      items: [],
    });
    assert.deepEqual(preview.data, { fulfillmentPreviews: [] });
    assert.deepEqual(preview.meta, { status: 200, amznRequestId: "r-1", rateLimitPerSecond: 2 });
    assert.equal((await api.createFulfillmentOrder({} as never)).data, null);
    await api.updateFulfillmentOrder("o 1", { fulfillmentAction: "Ship" });
    await api.cancelFulfillmentOrder("o1");
    assert.deepEqual((await api.getPackageTrackingDetails(7)).data, { packageNumber: 7 });
    assert.equal(calls[0]?.startsWith("POST preview application/json {"), true);
    assert.deepEqual(calls.slice(1), ["POST create", "PUT update o 1", "PUT cancel o1", "GET tracking 7"]);
    assert.equal(api.dialect, "sp-api-2020-07-01");
  });

  test("Amazon's errors become UpstreamError with request id, rate limit and retryability", async () => {
    tokenEndpoint();
    server.use(
      http.post(`${BASE}/fulfillmentOrders`, () =>
        HttpResponse.json(
          { errors: [{ code: "InvalidInput", message: "Invalid sellerSku", details: "sellerSku" }] },
          { status: 400, headers: { "x-amzn-RequestId": "r-400", "x-amzn-RateLimit-Limit": "2" } },
        ),
      ),
      http.get(`${BASE}/fulfillmentOrders/:id`, () =>
        HttpResponse.json(
          { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }] },
          { status: 429, headers: { "x-amzn-RequestId": "r-429" } },
        ),
      ),
      http.put(`${BASE}/fulfillmentOrders/:id/cancel`, () => new HttpResponse("<html>oops</html>", { status: 503 })),
    );
    const api = client();
    const invalid = await upstreamError(api.createFulfillmentOrder({} as never));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.operation, "createFulfillmentOrder");
    assert.equal(invalid.amznRequestId, "r-400");
    assert.equal(invalid.rateLimitPerSecond, 2);
    assert.equal(invalid.retryable, false);
    assert.deepEqual(invalid.errors, [{ code: "InvalidInput", message: "Invalid sellerSku", details: "sellerSku" }]);
    const throttled = await upstreamError(api.getFulfillmentOrder("o1"));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.retryable, true);
    assert.equal(throttled.amznRequestId, "r-429");
    const down = await upstreamError(api.cancelFulfillmentOrder("o1"));
    assert.equal(down.status, 503);
    assert.equal(down.retryable, true);
    assert.deepEqual(down.errors, []);
  });

  test("an access token Amazon refuses is replaced once", async () => {
    const exchanges = tokenEndpoint();
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, ({ request }) => {
        const token = request.headers.get("x-amz-access-token");
        seen.push(token);
        return token === "Atza|1"
          ? HttpResponse.json(
              { errors: [{ code: "Unauthorized", message: "The access token you provided has expired." }] },
              { status: 403 },
            )
          : HttpResponse.json({ payload: { ok: true } });
      }),
    );
    assert.deepEqual((await client().getFulfillmentOrder("o1")).data, { ok: true });
    assert.deepEqual(seen, ["Atza|1", "Atza|2"]);
    assert.equal(exchanges.length, 2);
  });

  test("timeouts give status 0, retryable, saying so", async () => {
    tokenEndpoint();
    server.use(
      http.get(`${BASE}/fulfillmentOrders/:id`, async () => {
        await delay(600);
        return HttpResponse.json({});
      }),
    );
    const error = await upstreamError(client({ timeoutMs: 50 }).getFulfillmentOrder("o1"));
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
    assert.match(error.message, /timed out after 50 ms/);
  });

  test("a network failure gives status 0, unreachable", async () => {
    tokenEndpoint();
    server.use(http.get(`${BASE}/fulfillmentOrders/:id`, () => HttpResponse.error()));
    const error = await upstreamError(client().getFulfillmentOrder("o1"));
    assert.equal(error.status, 0);
    assert.match(error.message, /unreachable/);
  });
});

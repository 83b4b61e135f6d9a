import assert from "node:assert/strict";
import { test } from "node:test";
import { createSandbox, DEV_CREDENTIALS, manualClock, scaledClock } from "../../sandbox/index.ts";
import { BASE, fetchToken, harness, tokenRequest } from "./support.ts";

const good = {
  grant_type: "refresh_token",
  refresh_token: DEV_CREDENTIALS.refreshToken,
  client_id: DEV_CREDENTIALS.clientId,
  client_secret: DEV_CREDENTIALS.clientSecret,
};

test("LWA issues bearer tokens that expire in 3600 s, form or JSON", async () => {
  const app = createSandbox();
  for (const json of [false, true]) {
    const r = await app.request("/auth/o2/token", tokenRequest(good, json));
    assert.equal(r.status, 200);
    assert.ok(r.headers.get("x-amzn-requestid"));
    const body = (await r.json()) as Record<string, unknown>;
    assert.match(String(body.access_token), /^Atza\|/);
    assert.equal(body.token_type, "bearer");
    assert.equal(body.expires_in, 3600);
    assert.equal(body.refresh_token, DEV_CREDENTIALS.refreshToken);
  }
});

test("LWA errors: invalid_client, invalid_grant, invalid_request, unsupported_grant_type", async () => {
  const app = createSandbox();
  const cases: [Record<string, string>, number, string][] = [
    [{ ...good, client_secret: "wrong" }, 401, "invalid_client"],
    [{ ...good, client_id: "amzn1.application-oa2-client.unknown" }, 401, "invalid_client"],
    [{ ...good, refresh_token: "Atzr|wrong" }, 400, "invalid_grant"],
    [{ ...good, refresh_token: "" }, 400, "invalid_request"],
    [{ ...good, grant_type: "" }, 400, "invalid_request"],
    [{ ...good, grant_type: "password" }, 400, "unsupported_grant_type"],
  ];
  for (const [fields, status, error] of cases) {
    const r = await app.request("/auth/o2/token", tokenRequest(fields));
    assert.equal(r.status, status, JSON.stringify(fields));
    const body = (await r.json()) as { error: string; error_description: string };
    assert.equal(body.error, error);
    assert.ok(body.error_description.length > 0);
  }
});

test("API calls need a valid, unexpired x-amz-access-token: otherwise 403 in Amazon's shape", async () => {
  const clock = manualClock();
  const h = await harness({ clock, tokenLifetimeSeconds: 3600 });
  const path = `${BASE}/fulfillmentOrders`;
  const missing = await h.call("GET", path, undefined, { "x-amz-access-token": "" });
  assert.equal(missing.status, 403);
  assert.deepEqual(missing.body.errors, [
    { code: "Unauthorized", message: "Access to requested resource is denied.", details: "" },
  ]);
  const forged = await h.call("GET", path, undefined, { "x-amz-access-token": "Atza|forged" });
  assert.equal(forged.status, 403);
  assert.match(forged.body.errors[0].details, /revoked, malformed or invalid/);
  assert.equal((await h.call("GET", path)).status, 200);
  clock.advance(3600 * 1000);
  const expired = await h.call("GET", path);
  assert.equal(expired.status, 403);
  assert.match(expired.body.errors[0].details, /expired/);
});

test("custom credentials replace the dev defaults", async () => {
  const credentials = { clientId: "amzn1.application-oa2-client.mine", clientSecret: "shh", refreshToken: "Atzr|mine" };
  const app = createSandbox({ credentials });
  const dev = await app.request("/auth/o2/token", tokenRequest(good));
  assert.equal(dev.status, 401);
  const mine = await app.request(
    "/auth/o2/token",
    tokenRequest({
      grant_type: "refresh_token",
      refresh_token: "Atzr|mine",
      client_id: "amzn1.application-oa2-client.mine",
      client_secret: "shh",
    }),
  );
  assert.equal(mine.status, 200);
  assert.throws(
    () => createSandbox({ credentials: { clientId: "", clientSecret: "x", refreshToken: "y" } }),
    /credentials\[0\]\.clientId/,
  );
});

test("unknown paths answer 404 in Amazon's error shape", async () => {
  const app = createSandbox();
  const r = await app.request("/fba/outbound/2020-07-01/nope");
  assert.equal(r.status, 404);
  const body = (await r.json()) as { errors: { code: string }[] };
  assert.equal(body.errors[0]?.code, "NotFound");
});

test("a time-scaled sandbox keeps LWA tokens and throttling at real-time rates", async () => {
  const real = manualClock();
  const app = createSandbox({ clock: scaledClock(3600, real) }); // an hour of order time per real second
  const token = await fetchToken(app);
  const list = async () =>
    (await app.request(`${BASE}/fulfillmentOrders`, { headers: { "x-amz-access-token": token } })).status;
  real.advance(2000); // two sandbox hours
  assert.equal(await list(), 200, "the one-hour token is two real seconds old");
  const advanced = await app.request("/_sandbox/clock/advance", { method: "POST", body: JSON.stringify({ hours: 2 }) });
  assert.equal(advanced.status, 200);
  assert.equal(await list(), 200, "moving sandbox time does not expire tokens");
  for (let i = 2; i < 30; i++) assert.equal(await list(), 200); // the rest of the burst of 30
  assert.equal(await list(), 429);
  real.advance(100); // six sandbox minutes, a fifth of a real token at 2/s
  assert.equal(await list(), 429, "the bucket refills at 2 per real second");
  real.advance(400);
  assert.equal(await list(), 200);
  real.advance(3600 * 1000);
  assert.equal(await list(), 403, "the token expires after a real hour");
});

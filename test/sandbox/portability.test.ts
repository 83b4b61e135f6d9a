// The sandbox is web-standard code: the same module answers under Bun and Deno as under Node.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

const script = `
import { createSandbox, DEV_CREDENTIALS, manualClock } from "./sandbox/index.ts";
const app = createSandbox({ clock: manualClock() });
const token = await app.request("/auth/o2/token", { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: DEV_CREDENTIALS.refreshToken, client_id: DEV_CREDENTIALS.clientId, client_secret: DEV_CREDENTIALS.clientSecret }) });
const { access_token } = await token.json();
const response = await app.request("/fba/outbound/2020-07-01/fulfillmentOrders/preview", { method: "POST", headers: { "x-amz-access-token": access_token, "content-type": "application/json" }, body: JSON.stringify({ address: { name: "a", addressLine1: "b", postalCode: "153-0064", countryCode: "JP" }, items: [{ sellerSku: "MATCHA-TIN-100G", sellerFulfillmentOrderItemId: "1", quantity: 1 }], shippingSpeedCategories: ["ScheduledDelivery"], includeDeliveryWindows: true }) });
const body = await response.json();
console.log(JSON.stringify({ status: response.status, window: body.payload.fulfillmentPreviews[0].scheduledDeliveryInfo.deliveryWindows[0] }));
`;

const expected = { status: 200, window: { startDate: "2026-01-06T23:00:00Z", endDate: "2026-01-07T03:00:00Z" } };

test("Bun runs the sandbox with the same answers", async () => {
  const { stdout } = await run(bin("bun"), ["--eval", script], { cwd: root, timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout.trim().split("\n").at(-1) ?? ""), expected);
});

test("Deno runs the sandbox with the same answers", async () => {
  const { stdout } = await run(bin("deno"), ["eval", "--ext=ts", script], {
    cwd: root,
    timeout: 60_000,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  assert.deepEqual(JSON.parse(stdout.trim().split("\n").at(-1) ?? ""), expected);
});

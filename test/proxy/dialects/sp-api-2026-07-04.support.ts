// What the 2026-07-04 dialect tests share.
import assert from "node:assert/strict";
import { UpstreamError } from "../../../proxy/fulfillment/model.ts";

/** The UpstreamError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, String(error));
    return error;
  }
  assert.fail("expected an UpstreamError");
}

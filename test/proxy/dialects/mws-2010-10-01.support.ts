import assert from "node:assert/strict";
import { UpstreamError } from "../../../proxy/fulfillment/model.ts";

/** The UpstreamError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `expected an UpstreamError, got ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

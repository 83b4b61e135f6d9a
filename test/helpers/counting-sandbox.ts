// The sandbox over real HTTP, keeping the status of every call it answered ("METHOD /path" → statuses, in order):
// what reached "Amazon", whoever sent it (in-process apps, proxy processes, workerd).

import { serveFetch } from "../../bench/lib/servers.ts";
import { createSandbox, type SandboxOptions } from "../../sandbox/index.ts";

export const PREVIEW_CALL = "POST /fba/outbound/2020-07-01/fulfillmentOrders/preview";
export const CREATE_ORDER_CALL = "POST /fba/outbound/2020-07-01/fulfillmentOrders";

export interface CountingSandbox {
  url: string;
  /** Statuses of the calls made so far to `call` ("METHOD /path"). */
  statusesOf(call: string): number[];
  close(): Promise<void>;
}

export async function startCountingSandbox(options: SandboxOptions = {}): Promise<CountingSandbox> {
  const sandbox = createSandbox(options);
  const answered = new Map<string, number[]>();
  const server = await serveFetch(async (request) => {
    const response = await sandbox.fetch(request);
    const call = `${request.method} ${new URL(request.url).pathname}`;
    answered.set(call, [...(answered.get(call) ?? []), response.status]);
    return response;
  });
  return { url: server.url, statusesOf: (call) => [...(answered.get(call) ?? [])], close: server.close };
}

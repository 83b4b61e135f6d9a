import { XMLBuilder } from "fast-xml-parser";
import { mwsName } from "./names.ts";

export const NAMESPACE = "http://mws.amazonaws.com/FulfillmentOutboundShipment/2010-10-01/";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: true });

export type Element = string | Element[] | { [name: string]: Element };

/** MWS's order statuses are upper snake case where 2020-07-01 has Pascal case (CompletePartialled). */
export function mwsStatus(status: string): string {
  return status.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/**
 * A 2020-07-01 value as MWS elements: names through the shared table (plus `extra`), lists as `member` elements,
 * numbers and booleans as text, the order status in MWS's spelling.
 */
export function toElements(value: unknown, extra?: Map<string, string>): Element {
  if (Array.isArray(value)) return { member: value.map((item) => toElements(item, extra)) };
  if (value !== null && typeof value === "object") {
    const out: Record<string, Element> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out[mwsName(key, extra)] = key === "fulfillmentOrderStatus" ? mwsStatus(String(child)) : toElements(child, extra);
    }
    return out;
  }
  return String(value);
}

function document(root: string, body: Record<string, Element | string>): string {
  return builder.build({ "?xml": { "@_version": "1.0" }, [root]: { "@_xmlns": NAMESPACE, ...body } });
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId>` */
export function responseXml(action: string, result: Element | undefined, requestId: string): string {
  return document(`${action}Response`, {
    ...(result === undefined ? {} : { [`${action}Result`]: result }),
    ResponseMetadata: { RequestId: requestId },
  });
}

export interface MwsErrorEntry {
  type: "Sender" | "Receiver";
  code: string;
  message: string;
}

/** `<ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error>…<RequestID/></ErrorResponse>` */
export function errorXml(errors: MwsErrorEntry[], requestId: string): string {
  return document("ErrorResponse", {
    Error: errors.map((error) => ({ Type: error.type, Code: error.code, Message: error.message, Detail: "" })),
    RequestID: requestId,
  });
}

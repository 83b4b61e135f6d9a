import type {
  CreateFulfillmentReturnRequest,
  InvalidReturnItem,
  ReasonCodeDetails,
  ReturnAuthorization,
  ReturnItem,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { isoInstant } from "../dates/index.ts";
import { invalidInput } from "../http/errors.ts";
import { jsonBody, operation } from "../http/operation.ts";
import { marketplaceById } from "../marketplaces.ts";
import { assertOutbound, checkSellerFulfillmentOrderId } from "../validation/rules.ts";

const BASE = "/fba/outbound/2020-07-01";

/** Amazon's customer return reasons (a representative subset), with Japanese translations. */
export const RETURN_REASONS: { code: string; description: string; ja: string }[] = [
  { code: "CR-UNWANTED_ITEM", description: "No longer needed/wanted", ja: "不要になった" },
  { code: "CR-DEFECTIVE", description: "Item defective or doesn't work", ja: "商品の不具合・故障" },
  { code: "CR-DAMAGED_BY_CARRIER", description: "Product damaged, but shipping box OK", ja: "配送中の破損" },
  { code: "CR-ORDERED_WRONG_ITEM", description: "Bought by mistake", ja: "誤って購入した" },
  { code: "CR-NOT_AS_DESCRIBED", description: "Inaccurate website description", ja: "商品説明と異なる" },
  { code: "CR-MISSING_PARTS", description: "Missing parts or accessories", ja: "部品・付属品の不足" },
  { code: "CR-SWITCHEROO", description: "Wrong item was sent", ja: "違う商品が届いた" },
];

export function registerReturns(app: SandboxApp, ctx: SandboxContext): void {
  app.get(`${BASE}/returnReasonCodes`, operation(ctx, "listReturnReasonCodes"), (c) => {
    const sellerSku = c.req.query("sellerSku");
    if (!sellerSku) throw invalidInput("sellerSku is required.");
    const orderId = c.req.query("sellerFulfillmentOrderId");
    const marketplaceId = c.req.query("marketplaceId");
    let marketplace = marketplaceId !== undefined ? marketplaceById(ctx.marketplaces, marketplaceId) : undefined;
    if (marketplaceId !== undefined && !marketplace)
      throw invalidInput(`marketplaceId '${marketplaceId}' is not a valid marketplace identifier.`);
    if (!marketplace && orderId !== undefined) {
      checkSellerFulfillmentOrderId(orderId);
      marketplace = ctx.orders.get(c.get("sellerId"), orderId)?.marketplace;
      if (!marketplace) throw invalidInput("Requested order not found", `sellerFulfillmentOrderId: ${orderId}`);
    }
    if (!marketplace) throw invalidInput("Either marketplaceId or sellerFulfillmentOrderId is required.");
    if (!ctx.inventories.of(c.get("sellerId")).has(marketplace.id, sellerSku))
      throw invalidInput(`sellerSku '${sellerSku}' is not a valid SKU in marketplace ${marketplace.id}.`);
    const language = c.req.query("language");
    const japanese = (language ?? marketplace.locale).toLowerCase().startsWith("ja");
    const reasonCodeDetails: ReasonCodeDetails[] = RETURN_REASONS.map((r) => ({
      returnReasonCode: r.code,
      description: r.description,
      ...(japanese ? { translatedDescription: r.ja } : {}),
    }));
    return c.json({ payload: { reasonCodeDetails } });
  });

  app.put(
    `${BASE}/fulfillmentOrders/:sellerFulfillmentOrderId/return`,
    operation(ctx, "createFulfillmentReturn"),
    async (c) => {
      const id = c.req.param("sellerFulfillmentOrderId");
      checkSellerFulfillmentOrderId(id);
      const order = ctx.orders.get(c.get("sellerId"), id);
      if (!order) throw invalidInput("Requested order not found", `sellerFulfillmentOrderId: ${id}`);
      const body = assertOutbound<CreateFulfillmentReturnRequest>(
        "CreateFulfillmentReturnRequest",
        await jsonBody(c.req.raw),
      );
      const now = ctx.clock.now();
      const returnAuthorizationId = `RA${order.amazonShipmentId}${order.returnAuthorizations.length + 1}`;
      const returnItems: ReturnItem[] = [];
      const invalidReturnItems: InvalidReturnItem[] = [];
      const seen = new Set(order.returnItems.map((r) => r.sellerReturnItemId));
      const reject = (
        item: (typeof body.items)[number],
        code: InvalidReturnItem["invalidItemReason"]["invalidItemReasonCode"],
        description: string,
      ) =>
        invalidReturnItems.push({
          sellerReturnItemId: item.sellerReturnItemId,
          sellerFulfillmentOrderItemId: item.sellerFulfillmentOrderItemId,
          invalidItemReason: { invalidItemReasonCode: code, description },
        });
      for (const item of body.items) {
        const line = order.lines.find((l) => l.sellerFulfillmentOrderItemId === item.sellerFulfillmentOrderItemId);
        const returned = [...order.returnItems, ...returnItems].filter(
          (r) => r.sellerFulfillmentOrderItemId === item.sellerFulfillmentOrderItemId,
        ).length;
        if (seen.has(item.sellerReturnItemId))
          reject(item, "DuplicateRequest", "sellerReturnItemId was already submitted.");
        else if (!line) reject(item, "InvalidValues", "sellerFulfillmentOrderItemId is not in the order.");
        else if (item.amazonShipmentId !== order.amazonShipmentId)
          reject(item, "InvalidValues", "amazonShipmentId does not belong to the order.");
        else if (!RETURN_REASONS.some((r) => r.code === item.returnReasonCode))
          reject(item, "InvalidValues", "returnReasonCode is not a valid return reason code.");
        else if (line.shipped === 0) reject(item, "NoCompletedShipItems", "The item has not shipped.");
        else if (returned >= line.shipped)
          reject(item, "NoReturnableQuantity", "Every shipped unit is already returned.");
        else {
          seen.add(item.sellerReturnItemId);
          returnItems.push({
            sellerReturnItemId: item.sellerReturnItemId,
            sellerFulfillmentOrderItemId: item.sellerFulfillmentOrderItemId,
            amazonShipmentId: item.amazonShipmentId,
            sellerReturnReasonCode: item.returnReasonCode,
            ...(item.returnComment !== undefined ? { returnComment: item.returnComment } : {}),
            amazonReturnReasonCode: item.returnReasonCode,
            status: "New",
            statusChangedDate: isoInstant(now),
            returnAuthorizationId,
            fulfillmentCenterId: order.fulfillmentCenterId,
          });
        }
      }
      const returnAuthorizations: ReturnAuthorization[] =
        returnItems.length === 0
          ? []
          : [
              {
                returnAuthorizationId,
                fulfillmentCenterId: order.fulfillmentCenterId,
                returnToAddress: {
                  name: `Amazon ${order.fulfillmentCenterId} Returns`,
                  addressLine1: `${order.fulfillmentCenterId} Returns Centre`,
                  city: "Returns",
                  postalCode:
                    { US: "92551", JP: "272-0193", DE: "04347", GB: "B46 1DP" }[order.marketplace.countryCode] ??
                    "00000",
                  countryCode: order.marketplace.countryCode,
                },
                amazonRmaId: `D${order.amazonShipmentId.slice(1)}RMA`,
                rmaPageURL: `https://sandbox.local/rma/${returnAuthorizationId}`,
              },
            ];
      order.returnItems.push(...returnItems);
      order.returnAuthorizations.push(...returnAuthorizations);
      return c.json({ payload: { returnItems, invalidReturnItems, returnAuthorizations } });
    },
  );
}

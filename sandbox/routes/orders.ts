import type {
  CreateFulfillmentOrderRequest,
  FulfillmentOrderStatus,
  FulfillmentPolicy,
  SubmitFulfillmentOrderStatusUpdateRequest,
  UpdateFulfillmentOrderRequest,
} from "../../spec/generated/fulfillment-outbound-2020-07-01.ts";
import type { SandboxApp, SandboxContext } from "../context.ts";
import { deliveryWindows } from "../dates/index.ts";
import { invalidInput, invalidInputs } from "../http/errors.ts";
import { jsonBody, operation } from "../http/operation.ts";
import type { Inventory } from "../inventory/store.ts";
import type { Marketplace } from "../marketplaces.ts";
import { lifecycleStart, releaseTimeFor } from "../orders/lifecycle.ts";
import {
  estimateFor,
  fulfillmentOrderView,
  isTerminal,
  type Order,
  type OrderLine,
  optionalItemFields,
  orderResultView,
} from "../orders/store.ts";
import {
  addressProblem,
  assertOutbound,
  checkDisplayableOrderId,
  checkEmails,
  checkFeatures,
  checkItems,
  checkJapanOnly,
  checkMoney,
  checkSellerFulfillmentOrderId,
  itemMoney,
  requestMarketplace,
  speedOffered,
} from "../validation/rules.ts";
import { decodePageToken, page, sinceParam } from "./paging.ts";

const BASE = "/fba/outbound/2020-07-01";

function findOrder(ctx: SandboxContext, sellerId: string, id: string): Order {
  checkSellerFulfillmentOrderId(id);
  const order = ctx.orders.get(sellerId, id);
  if (!order) throw invalidInput("Requested order not found", `sellerFulfillmentOrderId: ${id}`);
  return order;
}

function checkSpeed(marketplace: Marketplace, speed: CreateFulfillmentOrderRequest["shippingSpeedCategory"]): void {
  if (!speedOffered(marketplace, speed))
    throw invalidInput(
      `shippingSpeedCategory ${speed} is not available in marketplace ${marketplace.id} (${marketplace.countryCode}).`,
    );
}

/** A Scheduled Delivery order must name one of the windows a preview would offer right now, to the second. */
function checkDeliveryWindow(marketplace: Marketplace, body: CreateFulfillmentOrderRequest, now: number): void {
  if (body.shippingSpeedCategory !== "ScheduledDelivery") {
    if (body.deliveryWindow)
      throw invalidInput("deliveryWindow is only allowed with shippingSpeedCategory ScheduledDelivery.");
    return;
  }
  if (!body.deliveryWindow)
    throw invalidInput("deliveryWindow is required when shippingSpeedCategory is ScheduledDelivery.");
  const transit = marketplace.transit.ScheduledDelivery;
  if (!transit || !marketplace.deliveryWindows)
    throw invalidInput("ScheduledDelivery is not available in this marketplace.");
  const start = Date.parse(body.deliveryWindow.startDate);
  const end = Date.parse(body.deliveryWindow.endDate);
  const offered = deliveryWindows(now, marketplace, transit, marketplace.deliveryWindows);
  if (!offered.some((w) => w.start === start && w.end === end))
    throw invalidInput(
      "deliveryWindow does not match an available delivery window. Call getFulfillmentPreview with includeDeliveryWindows and use one of the returned windows.",
    );
}

/** Every rule a new order must pass, in the order Amazon reports them; returns what the order needs. */
function checkCreate(ctx: SandboxContext, sellerId: string, body: CreateFulfillmentOrderRequest, now: number) {
  checkSellerFulfillmentOrderId(body.sellerFulfillmentOrderId);
  // First, so a retried create reads "already created", not a rejection by rules that moved on since (windows, stock).
  if (ctx.orders.get(sellerId, body.sellerFulfillmentOrderId))
    throw invalidInput(
      `A fulfillment order with sellerFulfillmentOrderId '${body.sellerFulfillmentOrderId}' already exists.`,
      "DuplicateRequest",
    );
  const displayableOrderId = checkDisplayableOrderId(body.displayableOrderId);
  const marketplace = requestMarketplace(ctx.marketplaces, body.marketplaceId, body.destinationAddress.countryCode);
  checkItems(body.items);
  checkEmails(body.notificationEmails);
  checkFeatures(marketplace, body.featureConstraints);
  checkJapanOnly(marketplace, [
    { field: "shippingSpeedCategory ScheduledDelivery", present: body.shippingSpeedCategory === "ScheduledDelivery" },
    { field: "deliveryWindow", present: body.deliveryWindow !== undefined },
    { field: "codSettings", present: body.codSettings?.isCodRequired === true },
  ]);
  checkSpeed(marketplace, body.shippingSpeedCategory);
  checkMoney(marketplace, [
    ...itemMoney(body.items),
    ["codSettings.codCharge", body.codSettings?.codCharge],
    ["codSettings.codChargeTax", body.codSettings?.codChargeTax],
    ["codSettings.shippingCharge", body.codSettings?.shippingCharge],
    ["codSettings.shippingChargeTax", body.codSettings?.shippingChargeTax],
  ]);
  const action = body.fulfillmentAction ?? "Ship";
  if (action === "Hold" && body.shippingSpeedCategory === "ScheduledDelivery")
    throw invalidInput("fulfillmentAction Hold is not allowed when shippingSpeedCategory is ScheduledDelivery.");
  checkDeliveryWindow(marketplace, body, now);
  if (body.shipFromCountryCode && body.shipFromCountryCode.toUpperCase() !== marketplace.countryCode)
    throw invalidInput(
      `shipFromCountryCode '${body.shipFromCountryCode}' is not served by marketplace ${marketplace.id}.`,
    );
  const problem = addressProblem(marketplace, body.destinationAddress);
  if (problem) throw invalidInput(problem);
  const inventory = ctx.inventories.of(sellerId);
  const stock = body.items.map((item) => inventory.get(marketplace.id, item.sellerSku));
  const unknown = body.items.flatMap((item, i) =>
    stock[i] ? [] : [`items[${i}].sellerSku '${item.sellerSku}' is not a valid SKU in marketplace ${marketplace.id}.`],
  );
  if (unknown.length > 0) throw invalidInputs(unknown);
  const lines: OrderLine[] = body.items.map((item, i) => ({
    sellerSku: item.sellerSku,
    sellerFulfillmentOrderItemId: item.sellerFulfillmentOrderItemId,
    quantity: item.quantity,
    ...optionalItemFields(item),
    fulfillmentNetworkSku: item.fulfillmentNetworkSku ?? stock[i]!.fnSku,
    parcel: stock[i]!.parcel,
    reserved: 0,
    shipped: 0,
    unfulfillable: 0,
    cancelled: 0,
  }));
  const policy: FulfillmentPolicy = body.fulfillmentPolicy ?? "FillOrKill";
  return { marketplace, inventory, displayableOrderId, action, policy, lines };
}

/**
 * Tops each line up to its quantity as the policy says, from what it already holds: FillOrKill all or nothing
 * (returns false and changes nothing when stock falls short); FillAll and FillAllAvailable whatever there is,
 * FillAllAvailable cancelling the rest at once (the model: "All unfulfillable items in the order are cancelled").
 */
function fillLines(
  inventory: Inventory,
  marketplace: Marketplace,
  policy: FulfillmentPolicy,
  lines: OrderLine[],
  now: number,
): boolean {
  if (policy === "FillOrKill") {
    const wanted = lines.map((l) => ({ sku: l.sellerSku, quantity: l.quantity - l.reserved }));
    if (!inventory.reserve(marketplace.id, wanted, now)) return false;
    for (const line of lines) Object.assign(line, { reserved: line.quantity, unfulfillable: 0, cancelled: 0 });
    return true;
  }
  for (const line of lines) {
    const units = Math.min(line.quantity - line.reserved, inventory.available(marketplace.id, line.sellerSku));
    if (units > 0 && inventory.reserve(marketplace.id, [{ sku: line.sellerSku, quantity: units }], now))
      line.reserved += units;
    line.unfulfillable = 0;
    line.cancelled = policy === "FillAllAvailable" ? line.quantity - line.reserved : 0;
  }
  return true;
}

function insufficient(inventory: Inventory, marketplace: Marketplace, lines: OrderLine[]) {
  return invalidInputs(
    shortfall(inventory, marketplace, lines).map(
      (s) => `Insufficient inventory for sellerSku '${s.sku}': requested ${s.requested}, available ${s.available}.`,
    ),
  );
}

/**
 * Checks, reserves and books a new order (shared by every API version that creates orders); `extra` carries fields
 * only another version's request has.
 */
export function createOrder(
  ctx: SandboxContext,
  sellerId: string,
  body: CreateFulfillmentOrderRequest,
  now: number,
  extra: Partial<Order> = {},
): Order {
  const { marketplace, inventory, displayableOrderId, action, policy, lines } = checkCreate(ctx, sellerId, body, now);
  if (!fillLines(inventory, marketplace, policy, lines, now)) throw insufficient(inventory, marketplace, lines);

  const estimate = estimateFor(
    { marketplace, shippingSpeedCategory: body.shippingSpeedCategory, deliveryWindow: body.deliveryWindow },
    now,
  );
  const order: Order = {
    sellerId,
    sellerFulfillmentOrderId: body.sellerFulfillmentOrderId,
    marketplace,
    displayableOrderId,
    displayableOrderDate: body.displayableOrderDate,
    displayableOrderComment: body.displayableOrderComment,
    shippingSpeedCategory: body.shippingSpeedCategory,
    ...(body.deliveryWindow ? { deliveryWindow: body.deliveryWindow } : {}),
    destinationAddress: body.destinationAddress,
    fulfillmentAction: action,
    fulfillmentPolicy: policy,
    ...(body.codSettings ? { codSettings: body.codSettings } : {}),
    ...(body.notificationEmails ? { notificationEmails: body.notificationEmails } : {}),
    ...(body.featureConstraints ? { featureConstraints: body.featureConstraints } : {}),
    ...(body.paymentInformation ? { paymentInformation: body.paymentInformation } : {}),
    lines,
    receivedAt: now,
    ...(action === "Ship" ? { releasedAt: lifecycleStart(now, estimate.earliestShipDate, ctx.orders.timings) } : {}),
    status: "Received",
    statusUpdatedAt: now,
    estimate,
    fulfillmentCenterId: marketplace.fulfillmentCenters[0] ?? "FC01",
    amazonShipmentId: ctx.orders.nextShipmentId(),
    returnItems: [],
    returnAuthorizations: [],
    ...extra,
  };
  if (policy === "FillAllAvailable" && lines.every((line) => line.reserved === 0)) order.status = "Unfulfillable";
  ctx.orders.add(order);
  return order;
}

export function registerOrders(app: SandboxApp, ctx: SandboxContext): void {
  app.post(`${BASE}/fulfillmentOrders`, operation(ctx, "createFulfillmentOrder"), async (c) => {
    const body = assertOutbound<CreateFulfillmentOrderRequest>(
      "CreateFulfillmentOrderRequest",
      await jsonBody(c.req.raw),
    );
    createOrder(ctx, c.get("sellerId"), body, ctx.clock.now());
    return c.json({});
  });

  app.get(`${BASE}/fulfillmentOrders`, operation(ctx, "listAllFulfillmentOrders"), (c) => {
    const sellerId = c.get("sellerId");
    const token = c.req.query("nextToken");
    const state = token !== undefined ? decodePageToken(token) : { offset: 0 };
    const since = state.since ?? sinceParam("queryStartDate", c.req.query("queryStartDate"));
    const matching = ctx.orders
      .all(sellerId)
      .filter((o) => since === undefined || o.statusUpdatedAt >= since)
      .sort(
        (a, b) => a.receivedAt - b.receivedAt || (a.sellerFulfillmentOrderId < b.sellerFulfillmentOrderId ? -1 : 1),
      );
    const result = page(matching, since === undefined ? state : { ...state, since }, ctx.pageSize);
    return c.json({
      payload: {
        ...(result.nextToken ? { nextToken: result.nextToken } : {}),
        fulfillmentOrders: result.rows.map(fulfillmentOrderView),
      },
    });
  });

  app.get(`${BASE}/fulfillmentOrders/:sellerFulfillmentOrderId`, operation(ctx, "getFulfillmentOrder"), (c) => {
    const order = findOrder(ctx, c.get("sellerId"), c.req.param("sellerFulfillmentOrderId"));
    return c.json({ payload: orderResultView(order) });
  });

  app.put(
    `${BASE}/fulfillmentOrders/:sellerFulfillmentOrderId/cancel`,
    operation(ctx, "cancelFulfillmentOrder"),
    (c) => {
      cancelOrder(ctx, findOrder(ctx, c.get("sellerId"), c.req.param("sellerFulfillmentOrderId")));
      return c.json({});
    },
  );

  app.put(
    `${BASE}/fulfillmentOrders/:sellerFulfillmentOrderId`,
    operation(ctx, "updateFulfillmentOrder"),
    async (c) => {
      const order = findOrder(ctx, c.get("sellerId"), c.req.param("sellerFulfillmentOrderId"));
      const body = assertOutbound<UpdateFulfillmentOrderRequest>(
        "UpdateFulfillmentOrderRequest",
        await jsonBody(c.req.raw),
      );
      updateOrder(ctx, order, body, ctx.clock.now());
      return c.json({});
    },
  );

  app.put(
    `${BASE}/fulfillmentOrders/:sellerFulfillmentOrderId/status`,
    operation(ctx, "submitFulfillmentOrderStatusUpdate"),
    async (c) => {
      const order = findOrder(ctx, c.get("sellerId"), c.req.param("sellerFulfillmentOrderId"));
      const body = assertOutbound<SubmitFulfillmentOrderStatusUpdateRequest>(
        "SubmitFulfillmentOrderStatusUpdateRequest",
        (await jsonBody(c.req.raw)) ?? {},
      );
      if (!body.fulfillmentOrderStatus) throw invalidInput("fulfillmentOrderStatus is required.");
      moveTo(ctx, order, body.fulfillmentOrderStatus, ctx.clock.now());
      return c.json({});
    },
  );
}

/** Cancels an order that has not started processing; cancelling a cancelled order again changes nothing. */
export function cancelOrder(ctx: SandboxContext, order: Order): void {
  if (order.status === "Cancelled") return;
  if (order.status !== "Received" && order.status !== "Planning")
    throw invalidInput(
      `Fulfillment order '${order.sellerFulfillmentOrderId}' cannot be cancelled because its status is ${order.status}.`,
    );
  ctx.orders.cancel(order, ctx.clock.now());
}

function shortfall(inventory: Inventory, marketplace: Marketplace, lines: OrderLine[]) {
  const wanted = new Map<string, number>();
  for (const line of lines)
    wanted.set(line.sellerSku, (wanted.get(line.sellerSku) ?? 0) + line.quantity - line.reserved);
  return [...wanted]
    .map(([sku, requested]) => ({ sku, requested, available: inventory.available(marketplace.id, sku) }))
    .filter((s) => s.available < s.requested);
}

/** Validates the whole update first, then applies it: nothing is half-updated. */
export function updateOrder(ctx: SandboxContext, order: Order, body: UpdateFulfillmentOrderRequest, now: number): void {
  if (isTerminal(order.status) || order.fulfillmentAction !== "Hold")
    throw invalidInput(
      `Fulfillment order '${order.sellerFulfillmentOrderId}' is not on hold and cannot be updated (status ${order.status}).`,
    );
  const marketplace = order.marketplace;
  if (body.marketplaceId !== undefined && body.marketplaceId !== marketplace.id)
    throw invalidInput(
      `marketplaceId '${body.marketplaceId}' does not match the order's marketplace ${marketplace.id}.`,
    );
  const displayableOrderId =
    body.displayableOrderId !== undefined ? checkDisplayableOrderId(body.displayableOrderId) : undefined;
  checkEmails(body.notificationEmails);
  checkFeatures(marketplace, body.featureConstraints);
  if (body.shippingSpeedCategory !== undefined) {
    if (body.shippingSpeedCategory === "ScheduledDelivery")
      throw invalidInput("shippingSpeedCategory cannot be changed to ScheduledDelivery on a held order.");
    checkSpeed(marketplace, body.shippingSpeedCategory);
  }
  if (body.destinationAddress) {
    const problem = addressProblem(marketplace, body.destinationAddress);
    if (problem) throw invalidInput(problem);
  }
  if (body.shipFromCountryCode && body.shipFromCountryCode.toUpperCase() !== marketplace.countryCode)
    throw invalidInput(
      `shipFromCountryCode '${body.shipFromCountryCode}' is not served by marketplace ${marketplace.id}.`,
    );
  const changes: { line: OrderLine; quantity: number; fields: ReturnType<typeof optionalItemFields> }[] = [];
  if (body.items) {
    const problems: string[] = [];
    body.items.forEach((item, i) => {
      const line = order.lines.find((l) => l.sellerFulfillmentOrderItemId === item.sellerFulfillmentOrderItemId);
      if (!line) {
        problems.push(
          `items[${i}].sellerFulfillmentOrderItemId '${item.sellerFulfillmentOrderItemId}' is not in the order.`,
        );
      } else if (item.sellerSku !== undefined && item.sellerSku !== line.sellerSku) {
        problems.push(`items[${i}].sellerSku cannot be changed; the line holds '${line.sellerSku}'.`);
      } else if (item.quantity < 1) {
        problems.push(`items[${i}].quantity must be at least 1.`);
      } else {
        changes.push({ line, quantity: item.quantity, fields: optionalItemFields(item) });
      }
    });
    if (problems.length > 0) throw invalidInputs(problems);
    checkMoney(marketplace, itemMoney(body.items));
    const after = order.lines.map((line) => ({
      sellerFulfillmentOrderItemId: line.sellerFulfillmentOrderItemId,
      quantity: changes.find((ch) => ch.line === line)?.quantity ?? line.quantity,
    }));
    checkItems(after);
  }
  // Last check, first change: new quantities or a new policy re-reserve all or nothing.
  if (changes.length > 0 || (body.fulfillmentPolicy && body.fulfillmentPolicy !== order.fulfillmentPolicy))
    resizeLines(ctx, order, changes, body.fulfillmentPolicy ?? order.fulfillmentPolicy, now);
  if (displayableOrderId !== undefined) order.displayableOrderId = displayableOrderId;
  if (body.displayableOrderDate !== undefined) order.displayableOrderDate = body.displayableOrderDate;
  if (body.displayableOrderComment !== undefined) order.displayableOrderComment = body.displayableOrderComment;
  if (body.destinationAddress) order.destinationAddress = body.destinationAddress;
  if (body.fulfillmentPolicy) order.fulfillmentPolicy = body.fulfillmentPolicy;
  if (body.notificationEmails) order.notificationEmails = body.notificationEmails;
  if (body.featureConstraints) order.featureConstraints = body.featureConstraints;
  if (body.shippingSpeedCategory) {
    order.shippingSpeedCategory = body.shippingSpeedCategory;
    order.estimate = estimateFor(order, now);
  }
  if (body.fulfillmentAction === "Ship") ctx.orders.release(order, now);
}

/**
 * New quantities (and policy) for a held order's lines, all or nothing: each line first gives back only what it
 * holds beyond its new quantity, then is filled again under the policy. A FillOrKill shortfall puts everything back.
 */
function resizeLines(
  ctx: SandboxContext,
  order: Order,
  changes: { line: OrderLine; quantity: number; fields: ReturnType<typeof optionalItemFields> }[],
  policy: FulfillmentPolicy,
  now: number,
): void {
  const marketplaceId = order.marketplace.id;
  const inventory = ctx.inventories.of(order.sellerId);
  const quantityOf = (line: OrderLine) => changes.find((ch) => ch.line === line)?.quantity ?? line.quantity;
  // A new policy applies to every line; otherwise only the lines that change.
  const lines = policy !== order.fulfillmentPolicy ? order.lines : changes.map((ch) => ch.line);
  const before = lines.map((line) => ({ line, ...line }));
  for (const line of lines) {
    const quantity = quantityOf(line);
    const excess = Math.max(0, line.reserved - quantity);
    inventory.release(marketplaceId, line.sellerSku, excess, now);
    line.reserved -= excess;
    line.quantity = quantity;
  }
  if (!fillLines(inventory, order.marketplace, policy, lines, now)) {
    const error = insufficient(inventory, order.marketplace, lines);
    for (const { line, ...saved } of before) {
      const released = saved.reserved - line.reserved;
      if (released > 0) inventory.reserve(marketplaceId, [{ sku: line.sellerSku, quantity: released }], now);
      Object.assign(line, saved);
    }
    throw error;
  }
  for (const ch of changes) Object.assign(ch.line, ch.fields);
}

/** The sandbox-only status update: jump the order to a status, with the inventory effects that status implies. */
export function moveTo(ctx: SandboxContext, order: Order, status: FulfillmentOrderStatus, now: number): void {
  if (isTerminal(order.status))
    throw invalidInput(`Fulfillment order '${order.sellerFulfillmentOrderId}' is already ${order.status}.`);
  const t = ctx.orders.timings;
  const startLifecycle = (phase: "Received" | "Planning" | "Processing" | "Shipped") => {
    if (order.fulfillmentAction === "Hold") ctx.orders.release(order, now);
    order.releasedAt = releaseTimeFor(phase, now, t);
    ctx.orders.invalidate();
    ctx.orders.settle(order, now);
  };
  switch (status) {
    case "New":
      throw invalidInput("fulfillmentOrderStatus New cannot be set on an existing order.");
    case "Received":
    case "Planning":
    case "Processing":
      startLifecycle(status);
      return;
    case "Complete":
    case "CompletePartialled":
      startLifecycle("Shipped");
      return;
    case "Cancelled":
      ctx.orders.cancel(order, now);
      return;
    case "Unfulfillable":
    case "Invalid":
      ctx.orders.fail(order, status, now);
      return;
  }
}

// Orders, from a verified quote to Amazon and back: create (idempotently, exactly once however often it is
// retried), read back, release a hold, cancel, read status and tracking. Routes parse and authorise; this module
// decides and calls the dialect through the admission guard.
import type { GuardedOrders } from "../admission/guard.ts";
import type { Caller } from "../auth/index.ts";
import type { BrowserOrders, QuoteKey } from "../config/index.ts";
import type { CreatedOrder, CreateOrderRequest, OrderView, PackageTrackingView } from "../contract/v1.ts";
import { type NewOrder, type Order, UnsupportedByDialect, UpstreamError } from "../fulfillment/model.ts";
import type { Logger } from "../log/index.ts";
import type { SignedAnswers } from "../previews/signed-answers.ts";
import { unsupportedProblem, withRequestLines } from "../problems/index.ts";
import { issueOrderToken, TokenError, verifyQuote } from "../quotes/index.ts";
import { type Clock, realSleep } from "../shared/clock.ts";
import { merchantKey } from "../stores/keys.ts";
import type { KeyValueStore } from "../stores/types.ts";
import {
  idempotencyKeyInUse,
  idempotencyKeyReused,
  invalidIdempotencyKey,
  notOnHold,
  orderIdTaken,
  orderOutcomeUnknown,
  packageNotFound,
  quoteAlreadyOrdered,
  quoteMismatch,
  quoteRefused,
} from "./problems.ts";
import {
  assertActionHonoured,
  assertBrowserQuote,
  bodyDigest,
  buildNewOrder,
  decideAction,
  deriveOrderId,
  isAlreadyExists,
  isNotFound,
  isOnHold,
  orderBodyDigest,
  orderDifferences,
  quoteMismatches,
} from "./rules.ts";
import { orderView, trackingView } from "./views.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight marker outlives the longest create (waits, retries, read-backs), then a crashed owner's key frees. */
const IN_FLIGHT_TTL_MS = 120_000;
/** The owner of an in-flight marker renews it this often… */
const LEASE_RENEW_MS = 3_000;
/** …so a marker not renewed for this long belongs to a process that stopped (a restart): another may take over. */
const LEASE_MS = 10_000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Browser orders one quote may make (see countBrowserOrder). */
export const MAX_BROWSER_ORDERS_PER_QUOTE = 3;

interface InFlight {
  state: "in-flight";
  digest: string;
  owner: string;
  renewedAt: number;
}
type IdempotencyRecord = InFlight | { state: "done"; digest: string; status: number; body: CreatedOrder };

export interface CreateOutcome {
  status: number;
  body: CreatedOrder;
  replayed: boolean;
}

export interface OrderSettings {
  /** Browser Hold orders not released within this long are cancelled, so held stock comes back. 0: never. */
  holdTtlMs: number;
  marketplaceIds: string[];
  quoteKeys: QuoteKey[];
  browserOrders: BrowserOrders;
  defaultOrderComment: string;
  orderTokenTtlSeconds: number;
  quoteTtlSeconds: number;
}

/** Browser holds the sweep remembers per merchant; the oldest beyond this are forgotten (and never swept). */
const HOLD_INDEX_LIMIT = 2_000;
/** The sweep runs at most this often per instance, piggybacking on order requests. */
const SWEEP_EVERY_MS = 60_000;

interface HeldOrder {
  orderId: string;
  at: number;
}

export interface OrderService {
  create(caller: Caller, request: CreateOrderRequest, idempotencyKey: string | undefined): Promise<CreateOutcome>;
  release(orderId: string): Promise<{ orderId: string; action: "Ship"; amznRequestId?: string }>;
  cancel(caller: Caller, orderId: string): Promise<{ orderId: string; status: "Cancelled" }>;
  read(caller: Caller, orderId: string): Promise<OrderView>;
  tracking(orderId: string, packageNumber: number): Promise<PackageTrackingView>;
  /** Cancels browser Hold orders older than the hold TTL that are still on Hold; returns their ids. */
  sweepHolds(): Promise<string[]>;
}

export function createOrderService(deps: {
  settings: OrderSettings;
  orders: GuardedOrders;
  idempotency: KeyValueStore;
  /** Which order each quote made from a browser (one browser order per quote). */
  quotes: KeyValueStore;
  answers: SignedAnswers;
  clock: Clock;
  logger: Logger;
  merchant: string;
  /** Waits between polls of another request's in-flight marker (real time: the other one may be elsewhere). */
  sleep?: (ms: number) => Promise<void>;
}): OrderService {
  const { settings, orders, idempotency, quotes, answers, clock, logger, merchant } = deps;
  const sleep = deps.sleep ?? ((ms: number) => realSleep(ms));
  /** This process's own requests in flight, per idempotency scope: a local duplicate waits on it directly. */
  const local = new Map<string, Promise<unknown>>();
  /** Names this process in its in-flight markers. */
  const instance = crypto.randomUUID();

  /** Amazon's order, "missing" when Amazon says there is none, "unknown" when it could not be read. */
  const readBack = async (orderId: string): Promise<Order | "missing" | "unknown"> => {
    try {
      return (await orders.getOrder(orderId)).data;
    } catch (error) {
      if (error instanceof UpstreamError && isNotFound(error.status, error.errors)) return "missing";
      return "unknown";
    }
  };

  /** Amazon queued the order (202): read it until it has a status, within the order's time budget. */
  const confirm = async (orderId: string): Promise<Order | undefined> => {
    for (let attempt = 0, delay = 100; attempt < 8; attempt++, delay = Math.min(delay * 2, 2_000)) {
      const found = await readBack(orderId);
      if (typeof found === "object") return found;
      await sleep(delay);
    }
    return undefined;
  };

  /**
   * A quote buys at most MAX_BROWSER_ORDERS_PER_QUOTE browser orders (a retry of one counts once), so a page cannot
   * hold a SKU's whole stock through Hold orders for "other shoppers" under one quote. A few are allowed because
   * identical requests share a signed answer for a few seconds, so real shoppers can share a quote. The merchant's
   * server is trusted to place what it means to.
   */
  async function countBrowserOrder(quoteId: string, orderId: string): Promise<void> {
    const key = merchantKey(merchant, "browser-orders", quoteId);
    const ttlMs = settings.quoteTtlSeconds * 1000;
    for (let attempt = 0; attempt < 10; attempt++) {
      const seen = await quotes.putIfAbsent<string[]>(key, [orderId], ttlMs);
      if (seen === undefined || seen.includes(orderId)) return;
      if (seen.length >= MAX_BROWSER_ORDERS_PER_QUOTE) throw quoteAlreadyOrdered();
      if (await quotes.compareAndSet(key, seen, [...seen, orderId], ttlMs)) return;
    }
    throw quoteAlreadyOrdered();
  }

  const holdsKey = merchantKey(merchant, "browser-holds");
  const holdsTtlMs = Math.max(IDEMPOTENCY_TTL_MS, settings.holdTtlMs * 2);
  let sweptAt = Number.NEGATIVE_INFINITY;

  /** Changes the merchant's list of browser holds atomically (compare-and-set, retried on a race). */
  async function updateHolds(change: (held: HeldOrder[]) => HeldOrder[]): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const held = await quotes.putIfAbsent<HeldOrder[]>(holdsKey, change([]), holdsTtlMs);
      if (held === undefined) return;
      const next = change(held).slice(-HOLD_INDEX_LIMIT);
      if (await quotes.compareAndSet(holdsKey, held, next, holdsTtlMs)) return;
    }
  }

  async function sweepHolds(): Promise<string[]> {
    if (settings.holdTtlMs <= 0) return [];
    const now = clock.now();
    sweptAt = now;
    const held = (await quotes.get<HeldOrder[]>(holdsKey)) ?? [];
    const due = held.filter((entry) => now - entry.at >= settings.holdTtlMs);
    const cancelled: string[] = [];
    const done: string[] = [];
    for (const { orderId } of due) {
      try {
        const { data } = await orders.getOrder(orderId);
        if (isOnHold(data)) {
          await orders.cancelOrder(orderId);
          cancelled.push(orderId);
          logger.log("info", "stale hold cancelled", { orderId });
        }
        done.push(orderId);
      } catch (error) {
        // Gone at Amazon: nothing to sweep. Anything else: try again at the next sweep.
        if (error instanceof UpstreamError && isNotFound(error.status, error.errors)) done.push(orderId);
      }
    }
    if (done.length > 0) await updateHolds((list) => list.filter((entry) => !done.includes(entry.orderId)));
    return cancelled;
  }

  async function createOnce(caller: Caller, request: CreateOrderRequest): Promise<CreatedOrder> {
    const now = clock.now();
    let quote: Awaited<ReturnType<typeof verifyQuote>>;
    try {
      quote = await verifyQuote(settings.quoteKeys, request.quote, now);
    } catch (error) {
      if (error instanceof TokenError) throw quoteRefused(error.reason, error.message);
      throw error;
    }
    const mismatches = await quoteMismatches(quote, request, settings.marketplaceIds);
    if (mismatches.length > 0) throw quoteMismatch(mismatches);
    if (caller === "browser") assertBrowserQuote(quote);
    const action = decideAction(caller, request.action, quote.spd, settings.browserOrders);
    // Not the Idempotency-Key: another key with the same quote and body must still find the same order.
    const orderId = request.orderId ?? (await deriveOrderId(quote.jti, await orderBodyDigest(request), caller));
    const intended = buildNewOrder(request, quote, {
      orderId,
      action,
      now,
      defaultComment: settings.defaultOrderComment,
    });
    if (caller === "browser") await countBrowserOrder(quote.jti, orderId);
    // An answer that handed out this quote is not handed out again.
    await answers.markPresented(quote.jti, settings.quoteTtlSeconds * 1000).catch(() => {});

    const outcome = await send(intended, request);
    if (caller === "browser" && outcome.action === "Hold" && settings.holdTtlMs > 0) {
      await updateHolds((held) =>
        held.some((entry) => entry.orderId === orderId) ? held : [...held, { orderId, at: now }],
      );
    }
    const token = await issueOrderToken(settings.quoteKeys, orderId, now, settings.orderTokenTtlSeconds);
    logger.log("info", "order created", {
      orderId,
      action: outcome.action,
      speed: outcome.speed,
      caller,
      amznRequestId: outcome.amznRequestId,
    });
    return {
      orderId,
      status: outcome.status,
      action: outcome.action,
      speed: outcome.speed,
      ...(outcome.deliveryWindow ? { deliveryWindow: outcome.deliveryWindow } : {}),
      price: { amount: quote.amt, currency: quote.cur },
      orderToken: token.token,
      orderTokenExpiresAt: new Date(token.expiresAt).toISOString(),
      ...(outcome.amznRequestId ? { amznRequestId: outcome.amznRequestId } : {}),
    };
  }

  /** Creates `intended` at Amazon, or finds that Amazon already has exactly it; what Amazon has is answered. */
  async function send(intended: NewOrder, request: CreateOrderRequest) {
    const { orderId } = intended;
    const answerOf = (order: Order | NewOrder, amznRequestId?: string) => ({
      status: "status" in order ? (order.status as string) : "Received",
      action: order.action ?? intended.action,
      speed: order.speed,
      deliveryWindow: order.deliveryWindow,
      amznRequestId,
    });
    let failure: UpstreamError;
    try {
      const { data, meta } = await orders.createOrder(intended);
      if (data.confirmed) return answerOf(intended, meta.amznRequestId);
      const confirmed = await confirm(orderId);
      if (!confirmed) throw orderOutcomeUnknown(orderId, meta.amznRequestId);
      return answerOf(confirmed, meta.amznRequestId);
    } catch (error) {
      if (error instanceof UnsupportedByDialect) throw unsupportedProblem(error);
      if (!(error instanceof UpstreamError)) throw error;
      failure = error;
    }
    // A clear rejection by Amazon means no order was made. Anything else (no answer, 5xx, "already exists", an
    // answer we could not read) may hide an order that exists: read it back before saying anything.
    const rejected =
      failure.status >= 400 &&
      failure.status < 500 &&
      failure.status !== 429 &&
      failure.errors.length > 0 &&
      !isAlreadyExists(failure.status, failure.errors);
    if (rejected) throw withRequestLines(failure, request.items);
    const existing = await readBack(orderId);
    if (existing === "unknown") throw orderOutcomeUnknown(orderId, failure.amznRequestId);
    if (existing === "missing") {
      if (isAlreadyExists(failure.status, failure.errors)) throw orderOutcomeUnknown(orderId, failure.amznRequestId);
      throw withRequestLines(failure, request.items);
    }
    const differences = orderDifferences(existing, intended);
    if (differences.length > 0) {
      logger.log("warn", "order id already used by another order", { orderId, differences });
      throw orderIdTaken(orderId, differences);
    }
    assertActionHonoured(orderId, intended.action, existing);
    const answer = answerOf(existing);
    logger.log("info", "order already existed; read back", { orderId, ...answer });
    return answer;
  }

  /** Runs `work` once per idempotency scope across every instance sharing the store; others replay its answer. */
  async function idempotent(scope: string, digest: string, work: () => Promise<CreatedOrder>): Promise<CreateOutcome> {
    let lease: InFlight;
    for (let poll = 0, delay = 25; ; ) {
      const ahead = local.get(scope);
      if (ahead) {
        await ahead.catch(() => {});
        continue;
      }
      const marker: InFlight = { state: "in-flight", digest, owner: instance, renewedAt: clock.now() };
      const found = await idempotency.putIfAbsent<IdempotencyRecord>(scope, marker, IN_FLIGHT_TTL_MS);
      if (found === undefined) {
        lease = marker;
        break;
      }
      if (found.digest !== digest) throw idempotencyKeyReused();
      if (found.state === "done") return { status: found.status, body: found.body, replayed: true };
      // Its owner stopped renewing it (the process was restarted mid-create): take over. Safe even if it was only
      // slow, because both would create the same order id and the second finds the first's order.
      const stale = clock.now() - found.renewedAt > LEASE_MS;
      if (stale && (await idempotency.compareAndSet(scope, found, marker, IN_FLIGHT_TTL_MS))) {
        lease = marker;
        break;
      }
      // Another request is creating it: wait for its answer, within a bound.
      if (++poll > 80) throw idempotencyKeyInUse();
      await sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
    const renewal = setInterval(() => {
      const renewed: InFlight = { ...lease, renewedAt: clock.now() };
      void idempotency
        .compareAndSet(scope, lease, renewed, IN_FLIGHT_TTL_MS)
        .then((done) => {
          if (done) lease = renewed;
        })
        .catch(() => {});
    }, LEASE_RENEW_MS);
    const run = work();
    local.set(scope, run);
    try {
      const body = await run;
      const done: IdempotencyRecord = { state: "done", digest, status: 201, body };
      await idempotency.set(scope, done, IDEMPOTENCY_TTL_MS);
      return { status: 201, body, replayed: false };
    } catch (error) {
      // Nothing to replay: the next request with this key tries afresh (and finds the order if it exists).
      await idempotency.delete(scope).catch(() => {});
      throw error;
    } finally {
      clearInterval(renewal);
      local.delete(scope);
    }
  }

  /** Runs the sweep in the background, at most once a minute, whenever orders are being placed. */
  const maybeSweep = () => {
    if (settings.holdTtlMs <= 0 || clock.now() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = clock.now();
    void sweepHolds().catch((error: unknown) => logger.log("warn", "hold sweep failed", { error }));
  };

  return {
    sweepHolds,
    async create(caller, request, idempotencyKey) {
      maybeSweep();
      if (idempotencyKey === undefined)
        return { status: 201, body: await createOnce(caller, request), replayed: false };
      if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw invalidIdempotencyKey();
      const scope = merchantKey(merchant, "idempotency", caller, idempotencyKey);
      return idempotent(scope, await bodyDigest(request), () => createOnce(caller, request));
    },
    async release(orderId) {
      const { meta } = await orders.releaseHold(orderId);
      return { orderId, action: "Ship", ...(meta.amznRequestId ? { amznRequestId: meta.amznRequestId } : {}) };
    },
    async cancel(caller, orderId) {
      if (caller === "browser") {
        const { data } = await orders.getOrder(orderId);
        if (!isOnHold(data)) throw notOnHold(data.status);
      }
      await orders.cancelOrder(orderId);
      return { orderId, status: "Cancelled" };
    },
    async read(caller, orderId) {
      return orderView((await orders.getOrder(orderId)).data, caller);
    },
    async tracking(orderId, packageNumber) {
      const { data: order } = await orders.getOrder(orderId);
      const owns = order.shipments.some((shipment) => shipment.packages.some((p) => p.packageNumber === packageNumber));
      if (!owns) throw packageNotFound(orderId, packageNumber);
      return trackingView(orderId, (await orders.getTracking(order, packageNumber)).data);
    },
  };
}

/**
 * The inbox of webhook deliveries: the App's webhook handlers only record a delivery here and answer;
 * a dispatcher takes the recorded deliveries in order and runs the decision logic for each.
 *
 * Guarantees every implementation keeps:
 * - `recordDelivery` is idempotent by delivery id: a redelivery records nothing new (a delivery that
 *   failed for good is put back in line instead, so GitHub's "Redeliver" retries it);
 * - `takeDelivery` hands the oldest due delivery to one dispatcher for a lease; a delivery waits while
 *   an earlier one of the same subject (repository and issue) is still pending, so one issue's
 *   deliveries are decided one at a time and in order;
 * - a taken delivery that is never settled (the process was killed) is taken again once its lease ends;
 * - `settleDelivery` only counts for the dispatcher holding the lease.
 */
export interface DeliveryInbox {
  /** true when the delivery is new (or a failed one is put back in line), false for a redelivery. */
  recordDelivery(delivery: NewDelivery): boolean;
  takeDelivery(dispatcherId: string, leaseMs: number): Delivery | undefined;
  settleDelivery(deliveryId: string, dispatcherId: string, settlement: Settlement): boolean;
  delivery(deliveryId: string): Delivery | undefined;
  countDeliveries(): Record<DeliveryState, number>;
  /** Forget settled deliveries received before `before` (ms since the epoch); how many. */
  pruneDeliveries(before: number): number;
}

export const DELIVERY_STATES = ["pending", "done", "failed"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type NewDelivery = {
  /** GitHub's `X-GitHub-Delivery`. */
  deliveryId: string;
  /** `issues.labeled`, `issue_comment.created`, … */
  event: string;
  /** Deliveries of one subject (`owner/repo#12`) are dispatched one at a time, in the order received. */
  subject: string;
  /** What the dispatcher needs to decide, as JSON; the inbox does not read it. */
  payload: string;
};

export type Delivery = NewDelivery & {
  /** The order of arrival. */
  seq: number;
  state: DeliveryState;
  /** Dispatches started so far. */
  attempts: number;
  receivedAt: number;
  /** Not taken before this time (backoff after a failed dispatch). */
  dueAt: number;
  /** Why the last dispatch failed. */
  error: string | undefined;
};

export type Settlement =
  | { outcome: "done" }
  /** Take it again after `delayMs`. */
  | { outcome: "retry"; error: string; delayMs: number }
  | { outcome: "failed"; error: string };

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import {
  DELIVERY_STATES,
  type Delivery,
  type DeliveryInbox,
  type DeliveryState,
  type NewDelivery,
  type Settlement,
} from "./inbox.ts";

export const INBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL UNIQUE,
  event TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN (${DELIVERY_STATES.map((s) => `'${s}'`).join(", ")})),
  attempts INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  leased_by TEXT,
  lease_until INTEGER,
  error TEXT
);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (state, subject, seq);
`;

type Row = Record<string, unknown>;

/** The inbox half of the SQLite store; `transaction` is the store's `BEGIN IMMEDIATE` wrapper. */
export function sqliteInbox(
  db: DatabaseSync,
  now: () => number,
  transaction: <T>(work: () => T) => T,
): DeliveryInbox {
  const one = (sql: string, ...params: SQLInputValue[]) => db.prepare(sql).get(...params);
  const run = (sql: string, ...params: SQLInputValue[]) => db.prepare(sql).run(...params);

  return {
    recordDelivery(delivery: NewDelivery): boolean {
      return transaction(() => {
        const known = one("SELECT state FROM inbox WHERE delivery_id = ?", delivery.deliveryId);
        if (known === undefined) {
          const at = now();
          run(
            `INSERT INTO inbox (delivery_id, event, subject, payload, state, received_at, due_at)
             VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
            delivery.deliveryId,
            delivery.event,
            delivery.subject,
            delivery.payload,
            at,
            at,
          );
          return true;
        }
        if (known.state !== "failed") return false;
        run(
          `UPDATE inbox SET state = 'pending', attempts = 0, due_at = ?, leased_by = NULL,
             lease_until = NULL WHERE delivery_id = ?`,
          now(),
          delivery.deliveryId,
        );
        return true;
      });
    },

    takeDelivery(dispatcherId: string, leaseMs: number): Delivery | undefined {
      return transaction(() => {
        const at = now();
        const row = one(
          `SELECT d.delivery_id FROM inbox d
           WHERE d.state = 'pending' AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
             AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.state = 'pending'
                   AND e.subject = d.subject AND e.seq < d.seq)
           ORDER BY d.seq LIMIT 1`,
          at,
          at,
        );
        if (row === undefined) return undefined;
        const id = String(row.delivery_id);
        run(
          "UPDATE inbox SET leased_by = ?, lease_until = ?, attempts = attempts + 1 WHERE delivery_id = ?",
          dispatcherId,
          at + leaseMs,
          id,
        );
        return byId(id);
      });
    },

    settleDelivery(deliveryId: string, dispatcherId: string, settlement: Settlement): boolean {
      const [state, dueAt, error] =
        settlement.outcome === "done"
          ? ["done", null, null]
          : settlement.outcome === "retry"
            ? ["pending", now() + settlement.delayMs, settlement.error]
            : ["failed", null, settlement.error];
      const changes = run(
        `UPDATE inbox SET state = ?, due_at = COALESCE(?, due_at), error = ?, leased_by = NULL,
           lease_until = NULL WHERE delivery_id = ? AND leased_by = ? AND state = 'pending'`,
        state,
        dueAt,
        error,
        deliveryId,
        dispatcherId,
      ).changes;
      return Number(changes) === 1;
    },

    delivery: (deliveryId) => byId(deliveryId),

    countDeliveries(): Record<DeliveryState, number> {
      const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
      for (const row of db.prepare("SELECT state, COUNT(*) AS n FROM inbox GROUP BY state").all()) {
        const state = DELIVERY_STATES.find((s) => s === row.state);
        if (state !== undefined) counts[state] = Number(row.n);
      }
      return counts;
    },

    pruneDeliveries(before: number): number {
      return Number(run("DELETE FROM inbox WHERE state != 'pending' AND received_at < ?", before).changes);
    },
  };

  function byId(deliveryId: string): Delivery | undefined {
    const row = one("SELECT * FROM inbox WHERE delivery_id = ?", deliveryId);
    return row === undefined ? undefined : deliveryFromRow(row);
  }
}

function deliveryFromRow(row: Row): Delivery {
  const state = DELIVERY_STATES.find((s) => s === row.state);
  if (state === undefined) throw new Error(`inbox row with unknown state ${String(row.state)}`);
  return {
    seq: Number(row.seq),
    deliveryId: String(row.delivery_id),
    event: String(row.event),
    subject: String(row.subject),
    payload: String(row.payload),
    state,
    attempts: Number(row.attempts),
    receivedAt: Number(row.received_at),
    dueAt: Number(row.due_at),
    error: row.error === null || row.error === undefined ? undefined : String(row.error),
  };
}

import pg from 'pg';
import { BUY, callApi, CANCEL, type Member } from './api-client.js';
import type { Intent } from './buy-cancel-load.js';

interface StoredPurchase {
  id: string;
  buyerId: string;
  productId: string;
  status: string;
  startedAt: Date;
  /** The buy's Idempotency-Key, where purchase stores it (null before idempotent buying). */
  key: string | null;
}

/** Client-visible outcomes against what the stores hold, once the system has healed. */
export interface OutcomeReport {
  buysOk: number;
  cancelsOk: number;
  /** A success the stores do not back: the client was told PAID (or CANCELLED) and it is not. */
  unbacked: string[];
  failedBuys: number;
  /** Failed, and nothing was bought: the client's belief is true. */
  failedWithoutCharge: number;
  /** Failed as the client saw it, but it happened; a retry with the same key returned it. */
  foundByKey: string[];
  /** Failed as the client saw it, but it happened, and the key does not find it: the bug of issue 9. */
  ambiguous: string[];
}

export async function checkOutcomes(
  intents: Intent[],
  purchaseDatabaseUrl: string,
  gatewayUrl: string,
  members: Member[],
): Promise<OutcomeReport> {
  const purchases = await readPurchases(purchaseDatabaseUrl);
  const byId = new Map(purchases.map((p) => [p.id, p]));
  const tokenOf = new Map(members.map((m) => [m.id, m.token]));
  const cancelledOk = new Set(
    intents.filter((i) => i.kind === 'cancel' && i.outcome === 'OK').map((i) => i.purchaseId),
  );
  const report: OutcomeReport = {
    buysOk: 0,
    cancelsOk: cancelledOk.size,
    unbacked: [],
    failedBuys: 0,
    failedWithoutCharge: 0,
    foundByKey: [],
    ambiguous: [],
  };
  for (const intent of intents) {
    if (intent.outcome === 'OK' && intent.purchaseId) {
      const status = byId.get(intent.purchaseId)?.status;
      const expected =
        intent.kind === 'cancel' || cancelledOk.has(intent.purchaseId)
          ? ['CANCELLED']
          : ['PAID', 'CANCELLED'];
      if (intent.kind === 'buy') report.buysOk += 1;
      if (!status || !expected.includes(status))
        report.unbacked.push(`${intent.kind} ${intent.purchaseId}: told OK, stored ${status ?? 'nothing'}`);
      continue;
    }
    if (intent.outcome === 'OK' || intent.kind === 'register') continue;
    const token = tokenOf.get(intent.memberId) ?? '';
    if (intent.kind === 'cancel') {
      // A failed cancel that happened anyway: the same key must say so.
      if (byId.get(intent.purchaseId!)?.status !== 'CANCELLED') continue;
      const retry = await callApi(
        gatewayUrl,
        CANCEL,
        { id: intent.purchaseId },
        { token, idempotencyKey: intent.key },
      );
      (retry.data ? report.foundByKey : report.ambiguous).push(
        `cancel ${intent.purchaseId}: told ${intent.outcome}, stored CANCELLED${retry.data ? '' : `, retry ${retry.code}`}`,
      );
      continue;
    }
    report.failedBuys += 1;
    const from = intent.startedAt.getTime() - 2_000;
    const until = (intent.endedAt ?? new Date()).getTime() + 2_000;
    // Found by its key where purchase records keys, or by buyer, product and time in any case.
    const happened = purchases.find(
      (p) =>
        p.buyerId === intent.memberId &&
        (p.status === 'PAID' || p.status === 'CANCELLED') &&
        (p.key === intent.key ||
          (p.productId === intent.productId &&
            p.startedAt.getTime() >= from &&
            p.startedAt.getTime() <= until)),
    );
    if (!happened) {
      report.failedWithoutCharge += 1;
      continue;
    }
    const retry = await callApi<{ buy: { id: string } }>(
      gatewayUrl,
      BUY,
      { id: intent.productId },
      { token, idempotencyKey: intent.key },
    );
    const line = `buy ${happened.id} (product ${intent.productId}): told ${intent.outcome}, stored ${happened.status}`;
    if (retry.data?.buy.id === happened.id) report.foundByKey.push(line);
    else
      report.ambiguous.push(
        `${line}, retry with its key: ${retry.data ? `purchase ${retry.data.buy.id}` : retry.code}`,
      );
  }
  return report;
}

async function readPurchases(url: string): Promise<StoredPurchase[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      await client.query<StoredPurchase>(
        `SELECT id::text, buyer_id::text AS "buyerId", product_id::text AS "productId", status::text,
                started_at AS "startedAt", to_jsonb(p)->>'idempotency_key' AS key FROM purchases p`,
      )
    ).rows;
  } finally {
    await client.end();
  }
}

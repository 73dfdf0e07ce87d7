import type { AuditConfig } from './audit-config.js';
import { AuditConnections } from './audit-connections.js';
import { takeSnapshot } from './audit-snapshot.js';
import type { Discrepancy } from './discrepancy.js';
import { checkInvariants } from './invariants.js';

export interface AuditReport {
  discrepancies: Discrepancy[];
  /** What could not be audited, and why (printed, never silently passed). */
  notAudited: string[];
  counts: Record<string, number>;
}

/**
 * Audits over connections it opens on first use and keeps until `close` (audit-connections.ts):
 * one auditor, however many audits.
 */
export class ConsistencyAuditor {
  private readonly connections = new AuditConnections();

  constructor(private readonly config: AuditConfig) {}

  /** Reads every store once and checks the cross-context invariants (see invariants.ts). */
  async audit(): Promise<AuditReport> {
    const { config } = this;
    const snapshot = await takeSnapshot(config, this.connections);
    const notAudited: string[] = [];
    if (!snapshot.stream) notAudited.push('stream and dead letters: NATS_URL=off');
    if (!snapshot.mypage) notAudited.push('My Page: MYPAGE_DATA_DIR=off');
    return {
      discrepancies: checkInvariants(snapshot, config),
      notAudited,
      counts: {
        purchases: snapshot.purchases.length,
        payments: snapshot.payments.length,
        products: snapshot.products.length,
        withdrawnMembers: snapshot.withdrawn.length,
        outboxRows: snapshot.outbox.length,
        providerCharges: snapshot.ledger.length,
        streamMessages: snapshot.stream ? [...snapshot.stream.copies.values()].reduce((a, b) => a + b, 0) : 0,
        deadLetters: snapshot.deadLetters?.length ?? 0,
        mypageDeals: snapshot.mypage?.purchases.size ?? 0,
      },
    };
  }

  close(): Promise<void> {
    return this.connections.close();
  }
}

/**
 * Runs `use` with an auditor, closed afterwards whether `use` succeeded or threw. What `use` threw
 * is what the caller hears (the command prints it), not a connection that also failed to close.
 */
async function withAuditor<T>(
  config: AuditConfig,
  use: (auditor: ConsistencyAuditor) => Promise<T>,
): Promise<T> {
  const auditor = new ConsistencyAuditor(config);
  let result: T;
  try {
    result = await use(auditor);
  } catch (error) {
    await auditor.close().catch(() => {});
    throw error;
  }
  await auditor.close();
  return result;
}

/** One audit (the command's): reads every store once and checks the cross-context invariants. */
export function runConsistencyAudit(config: AuditConfig): Promise<AuditReport> {
  return withAuditor(config, (auditor) => auditor.audit());
}

/**
 * Audits until clean or until `timeoutMs`: right after a fault, events are still in flight and a
 * refund may be a moment away. Returns the last report and how long it took to come clean.
 */
export function auditUntilClean(
  config: AuditConfig,
  timeoutMs: number,
): Promise<AuditReport & { healMs: number | null; waitedOn: Record<string, number> }> {
  return withAuditor(config, async (auditor) => {
    const started = Date.now();
    /** What the first audit found: what the system was still settling when the wait began. */
    let waitedOn: Record<string, number> | undefined;
    for (;;) {
      const report = await auditor.audit().catch((error: unknown) => ({
        discrepancies: [
          {
            invariant: 'audit-ran' as const,
            ids: {},
            detail: `audit could not run: ${(error as Error).message}`,
          },
        ],
        notAudited: [],
        counts: {},
      }));
      waitedOn ??= countByInvariant(report.discrepancies);
      if (report.discrepancies.length === 0) return { ...report, healMs: Date.now() - started, waitedOn };
      if (Date.now() - started > timeoutMs) return { ...report, healMs: null, waitedOn };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });
}

function countByInvariant(discrepancies: Discrepancy[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of discrepancies) counts[d.invariant] = (counts[d.invariant] ?? 0) + 1;
  return counts;
}

export function formatReport(report: AuditReport): string {
  const lines = [
    `audited: ${Object.entries(report.counts)
      .map(([name, count]) => `${count} ${name}`)
      .join(', ')}`,
    ...report.notAudited.map((reason) => `not audited: ${reason}`),
    `${report.discrepancies.length} discrepancies`,
    ...report.discrepancies.map(
      (d) =>
        `  ${d.invariant}: ${d.detail} (${Object.entries(d.ids)
          .map(([key, value]) => `${key} ${value}`)
          .join(', ')})`,
    ),
  ];
  return lines.join('\n');
}

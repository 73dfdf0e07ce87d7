/**
 * npm run audit:consistency [-- --NAME=value …]
 *
 * Reads every context's store, the provider ledger, the stream and My Page, and checks the
 * cross-context invariants (scripts/audit/invariants.ts). Prints each discrepancy with its ids;
 * exits 1 if there is any, 2 if the audit could not run. Where it looks: scripts/audit/audit-config.ts.
 */
import { auditConfigFrom } from './audit-config.js';
import { formatReport, runConsistencyAudit } from './consistency-audit.js';

try {
  const report = await runConsistencyAudit(auditConfigFrom(process.env, process.argv.slice(2)));
  console.log(formatReport(report));
  process.exitCode = report.discrepancies.length > 0 ? 1 : 0;
} catch (error) {
  console.error(`audit could not run: ${(error as Error).message}`);
  process.exitCode = 2;
}

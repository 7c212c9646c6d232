import { auditTable } from '../consistency/audit-table.js';
import { formatViolation, VIOLATION_KINDS, type ViolationKind } from '../consistency/violations.js';
import { type GlobalOptions, withDatabase } from './context.js';
import { UsageError } from './errors.js';
import { printCapacity } from './print.js';

export interface CheckOptions extends GlobalOptions {
  segments?: string;
  json?: boolean;
}

/** Progress goes to stderr, at most once a second, so a small table prints none. */
const PROGRESS_EVERY_MS = 1_000;

/**
 * `ddb check`: the invariant checker over a whole table, as a user audits it after an
 * incident. Exit status 1 when anything is wrong, so scripts can act on it.
 */
export const check = (options: CheckOptions) =>
  withDatabase(options, async ({ doc, config, where, meter }) => {
    const segments = Number(options.segments ?? 1);
    if (!Number.isInteger(segments) || segments < 1 || segments > 1_000)
      throw new UsageError('--segments must be a whole number from 1 to 1000.');
    if (!options.json)
      console.log(`Checking ${config.tableName} (${where}) with a strongly consistent Scan`);
    let lastProgress = Date.now();
    const report = await auditTable(doc, {
      tableName: config.tableName,
      segments,
      onCapacity: meter.listener,
      onProgress: (itemsRead) => {
        if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = Date.now();
        process.stderr.write(`scanned ${itemsRead.toLocaleString('en-US')} items…\n`);
      },
    });
    if (report.violations.length > 0) process.exitCode = 1;
    if (options.json) {
      console.log(JSON.stringify({ table: config.tableName, ...report, capacity: meter.total() }));
      return;
    }
    for (const violation of report.violations) console.log(formatViolation(violation));
    console.log(
      `${report.items} item(s): ${report.users} user(s), ${report.conversations} conversation(s), ` +
        `${report.messages} message(s), ${report.groupRows} group row(s)`,
    );
    console.log(summary(report.violations.map((v) => v.kind)));
    printCapacity(meter);
  });

const summary = (kinds: ViolationKind[]): string => {
  if (kinds.length === 0) return 'Consistent: no violations.';
  const counts = new Map<ViolationKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const lines = [...counts].map(([kind, n]) => `  ${kind} ×${n}: ${VIOLATION_KINDS[kind]}`);
  return [`${kinds.length} violation(s):`, ...lines].join('\n');
};

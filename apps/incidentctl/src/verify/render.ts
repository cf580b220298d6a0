import { type Column, renderTable } from '../output/table';
import { type CheckResult, type VerifyReport, brokenMessage } from './report';

const COLUMNS: Column<CheckResult>[] = [
  { header: 'RESULT', value: (c) => (c.skipped ? 'skipped' : c.ok ? 'ok' : 'FAILED') },
  { header: 'CHECK', value: (c) => c.name },
  { header: 'WHAT WAS CHECKED', value: (c) => c.detail },
];

export function verifyText(report: VerifyReport, title?: string): string {
  const heading = title ?? `verified ${report.scope === 'whole log' ? 'the whole log' : `stream ${report.scope}`} in schema ${report.schema}`;
  const verdict = report.broken ? `BROKEN: ${brokenMessage(report.broken)}` : 'OK: every event checked is as it was appended';
  return `${heading}\n${renderTable(report.checks, COLUMNS)}${verdict}\n`;
}

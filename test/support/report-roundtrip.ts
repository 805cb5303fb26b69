/**
 * The proof that report schema v3 loses nothing: a Report written as JSON v3 and read back (readReportJson) gives
 * exactly the findings a v2 report held. A v2 report was JSON.stringify of the in-memory Report, hardened (safeJson),
 * so that is what the restored document is compared with — findings, suppressed findings and everything else.
 */
import { expect } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { readReportJson } from '../../src/core/report-json.js';
import { renderJson } from '../../src/reporters/json.js';
import { safeJson } from '../../src/reporters/safe-json.js';

/** Asserts the round trip for `report`; returns how many findings left something out (the compaction at work). */
export function expectV3RestoresV2(report: Report, label: string): number {
  const v3 = JSON.parse(renderJson(report)) as { schemaVersion: number; findings: Record<string, unknown>[] };
  expect(v3.schemaVersion, label).toBe(3);
  const read = readReportJson(v3);
  if (!read.ok) throw new Error(`${label}: ${read.error}`);
  const v2 = JSON.parse(safeJson(report)) as Record<string, unknown>;
  expect(read.report.findings, label).toStrictEqual(v2.findings);
  expect(read.report.suppressed, label).toStrictEqual(v2.suppressed);
  expect({ ...read.report, findings: [], suppressed: [] }, label).toStrictEqual({ ...v2, findings: [], suppressed: [] });
  return v3.findings.filter((f) => !('title' in f) || !('remediation' in f) || !('references' in f)).length;
}

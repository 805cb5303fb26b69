/**
 * `--history old-report.json...`: earlier JSON reports of kspect, read for the HTML report's history chart. Only
 * the totals are taken (time, counts by severity, per-check outcomes for the score); a file that is not a kspect
 * JSON report is a problem naming the file, and the others are still used.
 */
import { resolve } from 'node:path';
import type { Problem } from '../core/finding.js';
import type { CheckResult, Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { historyPoint, type HistoryPoint } from '../reporters/html/render.js';
import { readErrorText, readRegularText } from './safe-read.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The totals of a parsed JSON report, or why it is not one. */
export function historyOf(raw: unknown, label: string): HistoryPoint | string {
  if (!isRecord(raw) || !isRecord(raw.tool) || raw.tool.name !== 'kspect') return 'not a kspect JSON report (kspect … -f json)';
  if (typeof raw.generatedAt !== 'string' || !Number.isFinite(Date.parse(raw.generatedAt))) return 'generatedAt is missing or not a time';
  const summary = raw.summary;
  if (!isRecord(summary) || !isRecord(summary.bySeverity) || typeof summary.findings !== 'number') return 'summary is missing';
  const bySeverity = {} as Record<Severity, number>;
  for (const s of SEVERITIES) {
    const v = summary.bySeverity[s];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `summary.bySeverity.${s} is not a count`;
    bySeverity[s] = v;
  }
  const results: CheckResult[] = [];
  if (Array.isArray(raw.results))
    for (const r of raw.results as unknown[])
      if (isRecord(r) && typeof r.outcome === 'string' && typeof r.findings === 'number') results.push({ id: String(r.id), outcome: r.outcome as CheckResult['outcome'], severity: 'info', findings: r.findings, suppressed: 0, notEvaluated: 0, resources: 0, objects: 0 });
  const shape = { generatedAt: raw.generatedAt, summary: { findings: summary.findings, bySeverity }, ...(Array.isArray(raw.results) ? { results } : {}) } as unknown as Report;
  return historyPoint(shape, label);
}

/** Read the reports, oldest first (by generatedAt); unreadable ones become problems. */
export async function loadHistory(paths: readonly string[], cwd: string): Promise<{ points: HistoryPoint[]; problems: Problem[] }> {
  const points: HistoryPoint[] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    let text: string;
    try {
      text = await readRegularText(resolve(cwd, p));
    } catch (e) {
      problems.push({ code: 'history-unreadable', severity: 'error', message: `--history: ${readErrorText(e)}`, file: p });
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text) as unknown;
    } catch {
      problems.push({ code: 'history-invalid', severity: 'error', message: '--history: not JSON', file: p });
      continue;
    }
    const point = historyOf(raw, p);
    if (typeof point === 'string') problems.push({ code: 'history-invalid', severity: 'error', message: `--history: ${point}`, file: p });
    else points.push(point);
  }
  points.sort((a, b) => Date.parse(a.generatedAt) - Date.parse(b.generatedAt));
  return { points, problems };
}

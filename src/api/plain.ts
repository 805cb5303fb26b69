/**
 * The boundary between the runner's compact findings and the library API. Inside kspect (the CLI's scan path, the
 * reporters, the webhook) a Report's findings are RunFindings (src/framework/run-finding.ts): fields every finding of
 * a check shares are read from the check, the fingerprint is computed when read — a large scan holds a million.
 * Those fields are getters, which spread and structuredClone do not copy. What the library API returns (src/index.ts
 * wraps every verb that returns a Report with `plainReports`) holds plain Finding objects instead: every field an own
 * property, so that `{ ...finding }`, structuredClone and JSON.stringify keep every field.
 */
import type { Finding, SuppressedFinding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { RunFinding } from '../framework/run-finding.js';

/** Every field of a Finding, in the order reports write them (the type fails to compile when a field is missing). */
const FINDING_FIELDS: Record<keyof Finding, true> = {
  checkId: true,
  severity: true,
  title: true,
  message: true,
  resource: true,
  location: true,
  source: true,
  path: true,
  evidence: true,
  remediation: true,
  references: true,
  fingerprint: true,
  alsoReportedBy: true,
};

export const FINDING_KEYS = Object.keys(FINDING_FIELDS) as readonly (keyof Finding)[];

/** A finding with every field an own property (a finding already plain is returned as it is). */
export function plainFinding(f: Finding): Finding {
  return f instanceof RunFinding ? f.toJSON() : f;
}

/** The Report with plain findings (and suppressed findings); the rest is shared with the given one. */
export function plainReport(report: Report): Report {
  if (!report.findings.some((f) => f instanceof RunFinding) && !report.suppressed.some((s) => s.finding instanceof RunFinding)) return report;
  return {
    ...report,
    findings: report.findings.map(plainFinding),
    suppressed: report.suppressed.map((s): SuppressedFinding => (s.finding instanceof RunFinding ? { ...s, finding: plainFinding(s.finding) } : s)),
  };
}

/** `verb` returning its Report with plain findings. */
export function plainReports<A extends unknown[]>(verb: (...args: A) => Report): (...args: A) => Report {
  return (...args) => plainReport(verb(...args));
}

/** `verb` resolving to its Report with plain findings. */
export function plainReportsAsync<A extends unknown[]>(verb: (...args: A) => Promise<Report>): (...args: A) => Promise<Report> {
  return async (...args) => plainReport(await verb(...args));
}

/**
 * The JSON reporter: the Report as documented by schema/report.schema.json. With the `--severity` display filter,
 * `findings` and `suppressed` list only findings at or above it while `summary` still counts every finding.
 */
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { safeJson } from './safe-json.js';
import { displayView } from './view.js';

export function renderJson(report: Report, options: { readonly minSeverity?: Severity } = {}): string {
  const view = displayView(report, options.minSeverity);
  return safeJson(view.hidden.total === 0 && view.suppressed.length === report.suppressed.length ? report : { ...report, findings: view.findings, suppressed: view.suppressed });
}

/** Output formats of every command that returns a Report. Pure functions of a Report and the display options. */
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderPolicyReport, type ReportApi } from './policyreport.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import type { GroupBy } from './view.js';

export { GROUP_BY, type GroupBy } from './view.js';
export { DEFAULT_WIDTH } from './table.js';

/** What the CLI passes to every reporter. */
export interface RenderOptions {
  /** ANSI colours (table only; the CLI decides: TTY, NO_COLOR, FORCE_COLOR). */
  readonly color: boolean;
  /** List suppressed findings too (`--show-suppressed`). */
  readonly showSuppressed: boolean;
  /** `--group-by`: how the table groups findings (default `resource`). */
  readonly groupBy?: GroupBy;
  /**
   * `--severity`: display filter. Every format lists only findings at or above it; totals (summary, per-check
   * summary) still count every finding, and the human formats say how many were not listed.
   */
  readonly minSeverity?: Severity;
  /** Terminal width for the table (the CLI passes the TTY's columns; default 100). */
  readonly width?: number;
  /** `--report-api`: which policy-report API `-f policyreport` writes (default wgpolicyk8s). */
  readonly reportApi?: ReportApi;
}

export type Reporter = (report: Report, options: RenderOptions) => string;

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  table: (r, o) => renderTable(r, o),
  json: (r, o) => renderJson(r, o),
  sarif: (r, o) => renderSarif(r, o),
  junit: (r, o) => renderJunit(r, o),
  markdown: (r, o) => renderMarkdown(r, o),
  policyreport: (r, o) => renderPolicyReport(r, o.reportApi ? { api: o.reportApi } : {}),
};

export const FORMATS: readonly string[] = Object.keys(REPORTERS);

/** Output formats of every command that returns a Report. Pure functions of a Report and the display options. */
import type { Report } from '../core/report.js';
import type { FindingsShare } from './table.js';
import type { Severity } from '../core/severity.js';
import { collect, type Sink } from './chunks.js';
import { writeJson } from './json.js';
import { writeHtml, type HistoryPoint } from './html/render.js';
import { writeJunit } from './junit.js';
import { writeMarkdown } from './markdown.js';
import { writePolicyReport, type ReportApi } from './policyreport.js';
import { writeSarif } from './sarif.js';
import { writeTable } from './table.js';
import type { GroupBy } from './view.js';
import type { MappedControl } from '../engines/frameworks/data.js';
import { FORMATS as FORMAT_NAMES, type Format } from './formats.js';

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
  /** `--history`: earlier runs for the HTML report's history chart, oldest first. */
  readonly history?: readonly HistoryPoint[];
  /** `--report-api`: which policy-report API `-f policyreport` writes (default wgpolicyk8s). */
  readonly reportApi?: ReportApi;
  /**
   * The framework controls each check maps to (data/frameworks/mappings.json, loaded by the CLI): SARIF names them in
   * rule properties, JUnit in suite properties, policy reports in result properties. Without it those formats name
   * only the ids the checks cite.
   */
  readonly frameworkControls?: ReadonlyMap<string, readonly MappedControl[]>;
  /**
   * Table only: what the findings of one resource share, stated once under the resource (see table.ts FindingsShare;
   * `rbac risks` states a binding's subjects once instead of once per finding). Other formats ignore it.
   */
  readonly share?: FindingsShare;
}

/** Renders a report as one string: small reports only (a large one exceeds what a string can hold; use WRITERS). */
export type Reporter = (report: Report, options: RenderOptions) => string;

/** Writes a report in chunks of about 64 KiB of whole lines to `sink`: any size, bounded memory beyond the Report. */
export type ReportWriter = (report: Report, options: RenderOptions, sink: Sink) => void;

export type { Sink } from './chunks.js';

const BY_FORMAT: Readonly<Record<Format, ReportWriter>> = {
  table: (r, o, s) => { writeTable(r, o, s); },
  json: (r, o, s) => { writeJson(r, o, s); },
  sarif: (r, o, s) => { writeSarif(r, o, s); },
  junit: (r, o, s) => { writeJunit(r, o, s); },
  markdown: (r, o, s) => { writeMarkdown(r, o, s); },
  html: (r, o, s) => { writeHtml(r, o, s); },
  policyreport: (r, o, s) => { writePolicyReport(r, { ...(o.reportApi ? { api: o.reportApi } : {}), ...(o.frameworkControls ? { frameworkControls: o.frameworkControls } : {}) }, s); },
};

/** Each format's writer, in the order of FORMATS. */
export const WRITERS: Readonly<Record<string, ReportWriter>> = Object.fromEntries(FORMAT_NAMES.map((f) => [f, BY_FORMAT[f]]));

function toString(writer: ReportWriter): Reporter {
  return (r, o) => collect((s) => { writer(r, o, s); });
}

export const REPORTERS: Readonly<Record<string, Reporter>> = Object.fromEntries(Object.entries(WRITERS).map(([k, w]) => [k, toString(w)]));

export const FORMATS: readonly string[] = FORMAT_NAMES;

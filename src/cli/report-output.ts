/** Shared by every command that produces a Report: render it, write it, print problems, pick the exit code. */
import { notEvaluatedForGate, type Report } from '../core/report.js';
import { fails } from '../core/severity.js';
import { UsageError } from '../core/result.js';
import { escapeText } from '../core/text.js';
import { REPORTERS } from '../reporters/index.js';
import { problemLine } from './inputs.js';
import { useColor, type Io } from './io.js';
import { formatArg, type OutputFlags } from './options.js';
import { readErrorText } from '../sources/safe-read.js';

export type { OutputFlags } from './options.js';

/** The format flag (kept for commands not yet moved to options.ts: formatArg). */
export function checkFormat(format: string | undefined): string {
  return formatArg(format);
}

/** One line per load problem on stderr: `kspect: file:line:col: message`; a line already printed is not repeated. */
export function printProblems(report: Report, io: Io): void {
  const seen = new Set<string>();
  for (const p of report.problems) {
    const line = problemLine(p);
    if (seen.has(line)) continue;
    seen.add(line);
    io.stderr(line);
  }
}

/**
 * 2 for internal errors and (unless --allow-invalid) input errors; 1 for a finding at or above --fail-on (never with
 * `none`) or, with --fail-on-not-evaluated, anything not evaluated (manual controls aside: notEvaluatedForGate);
 * else 0. Suppressed findings never fail a run.
 */
export interface ExitFlags {
  readonly failOn: OutputFlags['failOn'];
  readonly allowInvalid: boolean;
  readonly failOnNotEvaluated?: boolean;
  /** Accepted and ignored, so callers can pass their whole output flags. */
  readonly format?: string;
  readonly showSuppressed?: boolean;
}

export function exitCodeOf(report: Report, flags: ExitFlags): number {
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.some((p) => p.code === 'internal')) return 2;
  if (errors.length > 0 && !flags.allowInvalid) return 2;
  if (report.findings.some((f) => fails(f.severity, flags.failOn))) return 1;
  if (flags.failOnNotEvaluated === true && notEvaluatedForGate(report).length > 0) return 1;
  return 0;
}

/** Text a command prints around its table: a domain view such as the certificate list, or a verdict line. */
export interface TableExtras {
  readonly before?: (color: boolean) => string;
  readonly after?: (color: boolean) => string;
}

/** Render the report in the chosen format; `extras` (or a function: what comes before) frame a table. */
export function renderReport(report: Report, flags: OutputFlags, io: Io, extras?: TableExtras | ((color: boolean) => string)): string {
  const frame: TableExtras = typeof extras === 'function' ? { before: extras } : (extras ?? {});
  const reporter = REPORTERS[flags.format];
  if (!reporter) throw new UsageError('usage', `unknown format ${flags.format}`);
  const color = flags.output === undefined && flags.format === 'table' && useColor(io, true);
  const table = flags.format === 'table';
  const head = table && frame.before ? frame.before(color) : '';
  const tail = table && frame.after ? frame.after(color) : '';
  // The display options every reporter receives (group-by and the --severity filter are the reporters' to apply).
  const options = {
    color,
    showSuppressed: flags.showSuppressed,
    ...(flags.groupBy ? { groupBy: flags.groupBy } : {}),
    ...(flags.severity ? { minSeverity: flags.severity } : {}),
    ...(flags.reportApi ? { reportApi: flags.reportApi } : {}),
    ...(flags.output === undefined && io.stdoutColumns !== undefined ? { width: io.stdoutColumns } : {}),
  };
  return head + reporter(report, options) + tail;
}

/** Write text to `-o FILE` or stdout; 2 when the file cannot be written. */
export async function writeOutput(text: string, output: string | undefined, io: Io): Promise<number> {
  if (output === undefined) {
    io.stdout(text);
    return 0;
  }
  try {
    await io.writeFile(output, text);
    return 0;
  } catch (e) {
    io.stderr(`kspect: ${escapeText(`cannot write ${output}: ${readErrorText(e)}`)}\n`);
    return 2;
  }
}

/** Render, print problems, write, and return the exit code. */
export async function emitReport(report: Report, flags: OutputFlags, io: Io, extras?: TableExtras | ((color: boolean) => string)): Promise<number> {
  const text = renderReport(report, flags, io, extras);
  printProblems(report, io);
  const written = await writeOutput(text, flags.output, io);
  if (written !== 0) return written;
  return exitCodeOf(report, flags);
}

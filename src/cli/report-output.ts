/** Shared by every command that produces a Report: render it, write it, print problems, pick the exit code. */
import { notEvaluatedForGate, type Report } from '../core/report.js';
import { fails } from '../core/severity.js';
import { UsageError } from '../core/result.js';
import { escapeText } from '../core/text.js';
import { WRITERS, type RenderOptions, type Sink } from '../reporters/index.js';
import { renderFrameworksMarkdown, renderFrameworksText } from '../reporters/frameworks.js';
import { problemLine } from './inputs.js';
import { useColor, type Io, type OutputFile } from './io.js';
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

/** Formats that name, beside each check, the framework controls it maps to. */
const CONTROL_FORMATS: ReadonlySet<string> = new Set(['sarif', 'junit', 'policyreport']);

/**
 * What the output flags add to a Report before it is rendered: the per-control views of `--framework` (every
 * framework for the HTML format when none is named), and the earlier runs of `--history` (unreadable ones become
 * problems of the report, naming the file).
 */
export async function enrichReport(report: Report, flags: OutputFlags, io: Io): Promise<{ report: Report; extra: Partial<RenderOptions> }> {
  let out = report;
  const frameworks = flags.frameworks ?? (flags.format === 'html' ? (['cis', 'nsa', 'mitre', 'pss'] as const) : []);
  if (frameworks.length > 0) {
    const { loadFrameworkData } = await import('../sources/frameworks.js');
    const { withFrameworkViews } = await import('../engines/frameworks/view.js');
    out = withFrameworkViews(out, await loadFrameworkData(), frameworks);
  }
  let extra: Partial<RenderOptions> = {};
  if (CONTROL_FORMATS.has(flags.format)) {
    const { loadFrameworkData } = await import('../sources/frameworks.js');
    const { controlsByCheck } = await import('../engines/frameworks/data.js');
    extra = { frameworkControls: controlsByCheck(await loadFrameworkData()) };
  }
  if (flags.history && flags.history.length > 0) {
    const { loadHistory } = await import('../sources/history.js');
    const { points, problems } = await loadHistory(flags.history, io.cwd);
    extra = { ...extra, history: points };
    if (problems.length > 0) out = { ...out, problems: [...out.problems, ...problems], summary: { ...out.summary, problems: out.summary.problems + problems.length } };
  }
  return { report: out, extra };
}

/** The `--framework` views after a table or a markdown report (the other formats carry them in their own shape). */
function frameworkViews(report: Report, flags: OutputFlags, color: boolean): string {
  return flags.format === 'table' ? renderFrameworksText(report, { color }) : flags.format === 'markdown' ? renderFrameworksMarkdown(report) : '';
}

/**
 * Write the report in the chosen format to `-o FILE` or stdout, chunk by chunk (no string holds the whole output,
 * whatever the size of the report); `extras` frame a table; 2 when the file cannot be written.
 */
export function streamReport(report: Report, flags: OutputFlags, io: Io, extras?: TableExtras | ((color: boolean) => string), extra: Partial<RenderOptions> = {}): number {
  const frame: TableExtras = typeof extras === 'function' ? { before: extras } : (extras ?? {});
  const writer = WRITERS[flags.format];
  if (!writer) throw new UsageError('usage', `unknown format ${flags.format}`);
  const table = flags.format === 'table';
  const color = flags.output === undefined && table && useColor(io, true);
  const head = table && frame.before ? frame.before(color) : '';
  const tail = table && frame.after ? frame.after(color) : '';
  const views = frameworkViews(report, flags, color);
  // The display options every reporter receives (group-by and the --severity filter are the reporters' to apply).
  const options: RenderOptions = {
    color,
    showSuppressed: flags.showSuppressed,
    ...(flags.groupBy ? { groupBy: flags.groupBy } : {}),
    ...(flags.severity ? { minSeverity: flags.severity } : {}),
    ...(flags.reportApi ? { reportApi: flags.reportApi } : {}),
    ...(flags.output === undefined && io.stdoutColumns !== undefined ? { width: io.stdoutColumns } : {}),
    ...extra,
  };
  return streamText(
    (sink) => {
      if (head !== '') sink(head);
      writer(report, options, sink);
      if (views !== '') sink(views);
      if (tail !== '') sink(tail);
    },
    flags.output,
    io,
  );
}

/**
 * Write what `render` produces, chunk by chunk, to `-o FILE` or stdout (no string holds the whole output); 2 when the
 * file cannot be written. Anything `render` throws is a bug and goes up.
 */
export function streamText(render: (sink: Sink) => void, output: string | undefined, io: Io): number {
  if (output === undefined) {
    render(io.stdout);
    return 0;
  }
  let failure: string | undefined;
  let file: OutputFile | undefined;
  try {
    file = io.openOutput(output);
  } catch (e) {
    failure = readErrorText(e);
  }
  if (file) {
    const out = file;
    render((chunk) => {
      if (failure !== undefined) return;
      try {
        out.write(chunk);
      } catch (e) {
        failure = readErrorText(e);
      }
    });
    try {
      out.close();
    } catch (e) {
      failure ??= readErrorText(e);
    }
  }
  if (failure === undefined) return 0;
  io.stderr(`kspect: ${escapeText(`cannot write ${output}: ${failure}`)}\n`);
  return 2;
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

/** Render, print problems, write, and return the exit code. `render`: display options of the command (e.g. a table share). */
export async function emitReport(given: Report, flags: OutputFlags, io: Io, extras?: TableExtras | ((color: boolean) => string), render: Partial<RenderOptions> = {}): Promise<number> {
  if (!WRITERS[flags.format]) throw new UsageError('usage', `unknown format ${flags.format}`);
  const { report, extra } = await enrichReport(given, flags, io);
  printProblems(report, io);
  const written = streamReport(report, flags, io, extras, { ...extra, ...render });
  return written !== 0 ? written : exitCodeOf(report, flags);
}

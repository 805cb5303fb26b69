/** Shared by every command that produces a Report: render it, write it, print problems, pick the exit code. */
import type { Report } from '../core/report.js';
import { atLeast, type Severity } from '../core/severity.js';
import { UsageError } from '../core/result.js';
import { FORMATS, REPORTERS } from '../reporters/index.js';
import { problemLine } from './inputs.js';
import { useColor, type Io } from './io.js';

export interface OutputFlags {
  readonly format: string;
  readonly output?: string;
  readonly failOn: Severity;
  readonly allowInvalid: boolean;
  readonly showSuppressed: boolean;
  readonly failOnNotEvaluated?: boolean;
}

export function checkFormat(format: string | undefined): string {
  const f = format ?? 'table';
  if (!REPORTERS[f]) throw new UsageError('usage', `--format must be one of ${FORMATS.join(', ')}`);
  return f;
}

/** One line per load problem on stderr: `kspect: file:line:col: message`. */
export function printProblems(report: Report, io: Io): void {
  for (const p of report.problems) io.stderr(problemLine(p));
}

export function exitCodeOf(report: Report, flags: OutputFlags): number {
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.some((p) => p.code === 'internal')) return 2;
  if (errors.length > 0 && !flags.allowInvalid) return 2;
  if (report.findings.some((f) => atLeast(f.severity, flags.failOn))) return 1;
  if (flags.failOnNotEvaluated && report.notEvaluated.length > 0) return 1;
  return 0;
}

export async function emitReport(report: Report, flags: OutputFlags, io: Io): Promise<number> {
  const reporter = REPORTERS[flags.format];
  if (!reporter) throw new UsageError('usage', `unknown format ${flags.format}`);
  const text = reporter(report, { color: flags.output === undefined && flags.format === 'table' && useColor(io, true), showSuppressed: flags.showSuppressed });
  printProblems(report, io);
  if (flags.output !== undefined) {
    try {
      await io.writeFile(flags.output, text);
    } catch (e) {
      io.stderr(`kspect: cannot write ${flags.output}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  } else io.stdout(text);
  return exitCodeOf(report, flags);
}

/** `kspect baseline PATH... --output FILE`: accept today's findings so that only new ones fail CI. */
import { makeBaseline } from '../../core/baseline.js';
import { UsageError } from '../../core/result.js';
import { escapeText } from '../../core/text.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { safeJson } from '../../reporters/safe-json.js';
import { printProblems } from '../report-output.js';
import { SCAN_OPTIONS, scanFromArgs } from './scan.js';

const HELP = `Usage: kspect baseline [PATH|-]... --output FILE [scan options]

Write every current finding to FILE (JSON). Later, \`kspect scan --baseline FILE\` reports only new findings;
accepted ones are counted as suppressed and listed with --show-suppressed.
`;

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, SCAN_OPTIONS);
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.output === undefined) throw new UsageError('usage', 'baseline needs --output FILE');
    const { baseline: _ignored, ...rest } = values;
    const { report } = await scanFromArgs(rest, positionals, io);
    printProblems(report, io);
    // Resource names come from input: the file is harmless to print (reporters/safe-json.ts); fingerprints are kept
    // exactly (a lone surrogate stays a `\udXXX` escape) so they still match.
    await io.writeFile(values.output, safeJson(makeBaseline(report.findings), { keepLoneSurrogates: true }));
    io.stderr(`kspect: wrote ${report.findings.length} accepted findings to ${escapeText(values.output)}\n`);
    return report.problems.some((p) => p.severity === 'error') && !values['allow-invalid'] ? 2 : 0;
  });
}

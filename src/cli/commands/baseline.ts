/** `kspect baseline PATH... --output FILE`: accept today's findings so that only new ones fail CI. */
import { makeBaseline } from '../../core/baseline.js';
import { UsageError } from '../../core/result.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { printProblems } from '../report-output.js';
import { SCAN_OPTIONS, scanFromArgs } from './scan.js';
import { readErrorText } from '../../sources/safe-read.js';

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
    try {
      await io.writeFile(values.output, `${JSON.stringify(makeBaseline(report.findings), null, 2)}\n`);
    } catch (e) {
      throw new UsageError('output', `cannot write ${values.output}: ${readErrorText(e)}`);
    }
    io.stderr(`kspect: wrote ${report.findings.length} accepted findings to ${values.output}\n`);
    return report.problems.some((p) => p.severity === 'error') && !values['allow-invalid'] ? 2 : 0;
  });
}

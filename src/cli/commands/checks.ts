/** `kspect checks`: every check with its id, severity, category, title and references. */
import { allChecks } from '../../checks/index.js';
import type { References } from '../../core/finding.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { FORMAT_OPTIONS, HELP_OPTION, formatArg, outputArg } from '../options.js';
import { writeOutput } from '../report-output.js';

export function refsLine(r: References): string {
  const parts: string[] = [];
  if (r.pss?.length) parts.push(`PSS ${r.pss.join(',')}`);
  if (r.cis?.length) parts.push(`CIS ${r.cis.join(',')}`);
  if (r.nsa?.length) parts.push(`NSA-CISA ${r.nsa.join('; ')}`);
  if (r.mitre?.length) parts.push(`MITRE ${r.mitre.join(',')}`);
  return parts.join(' · ');
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, () => {
    const { values } = parse(argv, { ...FORMAT_OPTIONS, ...HELP_OPTION }, false);
    if (values.help) {
      io.stdout('Usage: kspect checks [-f table|json] [-o FILE]\n\nList every check kspect has.\n');
      return Promise.resolve(0);
    }
    const format = formatArg(values.format, ['table', 'json']);
    const output = outputArg(values.output, values.format, ['table', 'json']);
    if (format === 'json') {
      return writeOutput(
        `${JSON.stringify(
          allChecks.map((c) => ({ id: c.id, title: c.meta.title, severity: c.meta.severity, category: c.meta.category, recommended: c.meta.recommended, references: c.meta.references })),
          null,
          2,
        )}\n`,
        output,
        io,
      );
    }
    const lines = allChecks.map((c) => `${c.id.padEnd(40)} ${c.meta.severity.padEnd(8)} ${c.meta.category.padEnd(14)} ${c.meta.title}${c.meta.recommended ? '' : ' (opt-in)'}${refsLine(c.meta.references) ? `  [${refsLine(c.meta.references)}]` : ''}`);
    return writeOutput(`${'ID'.padEnd(40)} ${'SEVERITY'.padEnd(8)} ${'CATEGORY'.padEnd(14)} TITLE\n${lines.join('\n')}\n\n${allChecks.length} checks\n`, output, io);
  });
}

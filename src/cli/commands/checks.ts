/** `kspect checks`: every check with its id, severity, category, title and references. */
import { allChecks } from '../../checks/index.js';
import type { References } from '../../core/finding.js';
import { choiceArg, guard, parse } from '../args.js';
import type { Io } from '../io.js';

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
    const { values } = parse(argv, { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } }, false);
    if (values.help) {
      io.stdout('Usage: kspect checks [--format table|json]\n\nList every check kspect has.\n');
      return Promise.resolve(0);
    }
    const format = choiceArg(values.format, '--format', ['table', 'json'] as const, 'table');
    if (format === 'json') {
      io.stdout(
        `${JSON.stringify(
          allChecks.map((c) => ({ id: c.id, title: c.meta.title, severity: c.meta.severity, category: c.meta.category, recommended: c.meta.recommended, references: c.meta.references })),
          null,
          2,
        )}\n`,
      );
      return Promise.resolve(0);
    }
    const lines = allChecks.map((c) => `${c.id.padEnd(40)} ${c.meta.severity.padEnd(8)} ${c.meta.category.padEnd(14)} ${c.meta.title}${c.meta.recommended ? '' : ' (opt-in)'}${refsLine(c.meta.references) ? `  [${refsLine(c.meta.references)}]` : ''}`);
    io.stdout(`${'ID'.padEnd(40)} ${'SEVERITY'.padEnd(8)} ${'CATEGORY'.padEnd(14)} TITLE\n${lines.join('\n')}\n\n${allChecks.length} checks\n`);
    return Promise.resolve(0);
  });
}

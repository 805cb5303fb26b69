/**
 * `kspect frameworks [cis|nsa|mitre|pss]`: the frameworks kspect maps its checks to (data/frameworks/), and for one
 * framework every control with the checks that decide it. `--framework F` on a judging command adds the verdicts.
 */
import { FRAMEWORK_IDS, checksByControl, isFrameworkId } from '../../engines/frameworks/index.js';
import { UsageError } from '../../core/result.js';
import { safeJson } from '../../reporters/safe-json.js';
import { escapeText } from '../../core/text.js';
import { loadFrameworkData } from '../../sources/frameworks.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { FORMAT_OPTIONS, HELP_OPTION, formatArg, optionHelp, outputArg } from '../options.js';
import { writeOutput } from '../report-output.js';

export const FRAMEWORKS_HELP = `Usage: kspect frameworks [cis|nsa|mitre|pss] [-f table|json] [-o FILE]

Without an argument: the frameworks kspect maps its checks to, with how many controls each has and how many of
them kspect's checks decide. With one: every control, whether the framework calls it automated or manual, and the
checks mapped to it. Add --framework F to scan, node or report for PASS / FAIL / MANUAL / NOT EVALUATED per control
and a score per framework and namespace (docs/frameworks.md).

Options:
${optionHelp(['format', 'output']).replace(/^ {2}-f, --format FORMAT.*$/m, '  -f, --format FORMAT      table or json (default table)')}${optionHelp(['help'])}`;

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, { ...FORMAT_OPTIONS, ...HELP_OPTION });
    if (values.help) {
      io.stdout(FRAMEWORKS_HELP);
      return 0;
    }
    const format = formatArg(values.format, ['table', 'json']);
    const output = outputArg(values.output, values.format, ['table', 'json']);
    if (positionals.length > 1) throw new UsageError('usage', 'frameworks takes at most one framework');
    const which = positionals[0];
    if (which !== undefined && !isFrameworkId(which)) throw new UsageError('usage', `unknown framework "${escapeText(which)}" (${FRAMEWORK_IDS.join(', ')})`);
    const data = await loadFrameworkData();
    if (which === undefined) {
      const rows = FRAMEWORK_IDS.map((f) => {
        const c = data.catalogs[f];
        const mapped = checksByControl(data, f);
        return { framework: f, name: c.name, version: c.version, controls: c.controls.length, mapped: c.controls.filter((x) => (mapped.get(x.id) ?? []).length > 0).length, source: c.source };
      });
      if (format === 'json') return writeOutput(safeJson(rows), output, io);
      const lines = rows.map((r) => `${r.framework.padEnd(6)} ${`${r.name} ${r.version}`.padEnd(62)} ${String(r.controls).padStart(4)} controls, ${String(r.mapped).padStart(4)} with kspect checks`);
      return writeOutput(`${lines.join('\n')}\n\nkspect frameworks F lists the controls of F; --framework F on scan, node or report adds the verdicts.\n`, output, io);
    }
    const catalog = data.catalogs[which];
    const mapped = checksByControl(data, which);
    const controls = catalog.controls.map((c) => ({ ...c, checks: mapped.get(c.id) ?? [] }));
    if (format === 'json') return writeOutput(safeJson({ framework: which, name: catalog.name, version: catalog.version, source: catalog.source, sections: catalog.sections, controls }), output, io);
    const lines = [`${catalog.name} ${catalog.version}`, `source: ${catalog.source}`, ''];
    for (const c of controls) lines.push(`${c.id.padEnd(10)} ${(c.automated ? 'automated' : 'manual').padEnd(9)} ${c.title}${c.checks.length > 0 ? `\n${' '.repeat(21)}checks: ${c.checks.join(', ')}` : ''}`);
    return writeOutput(`${lines.join('\n')}\n`, output, io);
  });
}

/** `kspect baseline PATH... --output FILE`: accept today's findings so that only new ones fail CI. */
import { readFile } from 'node:fs/promises';
import { makeBaseline } from '../../core/baseline.js';
import type { Finding } from '../../core/finding.js';
import { readReportJson } from '../../core/report-json.js';
import { errnoText } from '../../sources/files.js';
import { UsageError } from '../../core/result.js';
import { escapeText } from '../../core/text.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { ChunkWriter } from '../../reporters/chunks.js';
import { hardenJson, LazyArray, writeJsonText } from '../../reporters/safe-json.js';
import { printProblems, streamText } from '../report-output.js';
import { SCAN_OPTIONS, scanFromArgs } from './scan.js';

const HELP = `Usage: kspect baseline [PATH|-]... --output FILE [scan options]
       kspect baseline --from REPORT.json --output FILE

Write every current finding to FILE (JSON). Later, \`kspect scan --baseline FILE\` reports only new findings;
accepted ones are counted as suppressed and listed with --show-suppressed.

--from takes the JSON report of any judging command (pki check, node, rbac risks, netpol check, etcd check,
probe …: \`kspect pki check pki/ -f json -o report.json\`), so every command can be baselined the same way:
\`kspect pki check pki/ --baseline FILE\`.
`;

/** The findings of a JSON report written by any judging command (`-f json`). */
async function findingsOfReport(file: string): Promise<Finding[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? `not JSON: ${e.message}` : errnoText(e);
    throw new UsageError('usage', `${file}: cannot read the report: ${why}`);
  }
  // Every version kspect reads, findings whole (a v3 report's left-out titles and references restored from checks).
  const r = readReportJson(doc);
  if (!r.ok) throw new UsageError('usage', `${file}: not a kspect JSON report: ${r.error} (write one with -f json)`);
  return [...r.report.findings];
}

/**
 * The baseline of `findings` written to `output` chunk by chunk (no string holds the file: 200,000 objects give ~380 MB
 * of entries), hardened as every JSON kspect writes — resource names come from the input — with fingerprints kept
 * exactly (a lone surrogate stays a `\udXXX` escape, so they still match). 2, said in one line, when the file cannot
 * be written.
 */
function writeBaseline(findings: readonly Finding[], output: string, io: Io): number {
  const { baselineVersion, entries } = makeBaseline(findings);
  return streamText(
    (sink) => {
      const out = new ChunkWriter(sink, (t) => hardenJson(t, { keepLoneSurrogates: true }));
      writeJsonText({ baselineVersion, entries: new LazyArray(entries) }, out);
      out.end();
    },
    output,
    io,
  );
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, { ...SCAN_OPTIONS, from: { type: 'string' } });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.output === undefined) throw new UsageError('usage', 'baseline needs --output FILE');
    if (values.from !== undefined) {
      if (positionals.length > 0) throw new UsageError('usage', 'give input PATHs or --from REPORT.json, not both');
      const findings = await findingsOfReport(values.from);
      if (writeBaseline(findings, values.output, io) !== 0) return 2;
      io.stderr(`kspect: wrote ${findings.length} accepted findings to ${escapeText(values.output)}\n`);
      return 0;
    }
    const { baseline: _ignored, ...rest } = values;
    const { report } = await scanFromArgs(rest, positionals, io);
    printProblems(report, io);
    // An input that held nothing is no baseline: nothing is written (one line said why; --allow-empty writes it).
    if (report.problems.some((p) => p.code === 'nothing-to-scan')) return 2;
    if (writeBaseline(report.findings, values.output, io) !== 0) return 2;
    io.stderr(`kspect: wrote ${report.findings.length} accepted findings to ${escapeText(values.output)}\n`);
    return report.problems.some((p) => p.severity === 'error') && !values['allow-invalid'] ? 2 : 0;
  });
}

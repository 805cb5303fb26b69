// No size kills kspect: `kspect scan` of 40,000 generated objects (KSPECT_BENCH_OBJECTS) in every report format,
// written with -o to a file, each in its own process: exit code (1 = findings, as expected), output size, wall time,
// peak RSS. Before the reporters streamed, json died with `RangeError: Invalid string length` here and table with a
// stack overflow. The comparator, in the same run: the same scan with `-f json` restricted to one check (the cost of
// loading and checking without a large report), so the ratio is the price of rendering each format.
// Then each format again to standard output, piped into `wc -c` (`piped`): the report goes at the reader's pace with
// bounded memory (before 2026-12-07 a piped report was queued whole in memory; 200,000 objects died with ENOBUFS).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateManifests } from './generate.js';

const BIN = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 40000);
// Every report format the CLI has (table, json, sarif, junit, markdown, html, policyreport).
const { FORMATS } = await import('../dist/reporters/formats.js');

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-out-'));
const input = join(dir, 'cluster.yaml');
writeFileSync(input, generateManifests(COUNT));

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One CLI run: wall time measured here, peak RSS from /usr/bin/time when the machine has it. */
function run(args, out) {
  const cmd = [process.execPath, BIN, ...args, '-o', out];
  const t = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', '@rss %M', ...cmd], { encoding: 'utf8' }) : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  const ms = performance.now() - t;
  let bytes = 0;
  try {
    bytes = statSync(out).size;
  } catch {
    // not written
  }
  return outcome(r, ms, bytes);
}

/** What a run gives: kspect's exit code, wall ms, peak RSS (from /usr/bin/time's `@rss` line), bytes, its error line. */
function outcome(r, ms, bytes) {
  const rss = /@rss (\d+)/.exec(r.stderr ?? '');
  const errorLine = (r.stderr ?? '').split('\n').find((l) => l.startsWith('kspect:') || l.includes('Error'));
  return { exit: r.status, ms: Math.round(ms), ...(rss ? { peakRssMiB: Math.round(Number(rss[1]) / 1024) } : {}), bytes, ...(errorLine ? { error: errorLine } : {}) };
}

const base = run(['scan', input, '-f', 'json', '--checks', 'pod-privileged'], join(dir, 'base.json'));
const formats = {};
let ok = true;
for (const f of FORMATS) {
  const r = run(['scan', input, '-f', f], join(dir, `out.${f}`));
  formats[f] = { ...r, ratioToOneCheck: Number((r.ms / base.ms).toFixed(2)) };
  if (r.exit !== 1) ok = false;
}

/** The scan to standard output piped into `wc -c`: the exit code of kspect, bytes counted, wall, peak RSS. */
function runPiped(args) {
  const q = (a) => `'${a.replaceAll("'", "'\\''")}'`;
  const time = TIME ? `${TIME} -f '@rss %M' ` : '';
  const script = `${time}${[process.execPath, BIN, ...args].map(q).join(' ')} | wc -c; exit "\${PIPESTATUS[0]}"`;
  const t = performance.now();
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  return outcome(r, performance.now() - t, Number((r.stdout ?? '').trim()));
}
const piped = {};
for (const f of FORMATS) {
  const r = runPiped(['scan', input, '-f', f]);
  piped[f] = r;
  if (r.exit !== 1 || r.bytes !== formats[f].bytes) ok = false;
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ objects: COUNT, everyFormatFinished: ok, oneCheckJson: base, formats, piped }));

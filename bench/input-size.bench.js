// No input size kills kspect (issue 16, goal 2): `kspect scan FILE -f json -o OUT` of the inputs that used to —
// 1,000,000 tiny documents, 100,000 Pods, one file of about 60 MB — and a file over the 64 MiB --max-file-size, each
// in its own process: exit code, wall and CPU time, peak RSS, report size, and the one error line when there is one.
// Each must end with a report (exit 0/1) or, over the limit, one line and exit 2; never an OOM or a RangeError.
// The comparator, in the same run: bare parsing of the same file with the `yaml` package (parseAllDocuments) in a
// process of its own, so each case prints kspect's CPU and peak RSS as a ratio of the bare parse's.
// Environment: KSPECT_BENCH_INPUTS (comma-separated case names; default all).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { generateManifests } from './generate.js';

const BIN = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const WANTED = process.env.KSPECT_BENCH_INPUTS?.split(',').filter(Boolean);

if (process.argv[2] === '--bare-yaml') {
  // The comparator: parse every document with the `yaml` package and turn it into plain values, nothing kept.
  const { readFileSync } = await import('node:fs');
  const { parseAllDocuments } = await import('yaml');
  let n = 0;
  for (const d of parseAllDocuments(readFileSync(process.argv[3], 'utf8'))) {
    d.toJS();
    n++;
  }
  process.stdout.write(String(n));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-inputs-'));

/** Write `count` pieces produced by `piece(i)` to a file without building it as one string. */
async function writePieces(file, count, piece) {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) if (!out.write(piece(i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return file;
}

const CASES = {
  'tiny-documents-1000000': () => writePieces(join(dir, 'tiny.yaml'), 1_000_000, (i) => `---\na: ${i}\n`),
  'pods-100000': () => writePieces(join(dir, 'pods.yaml'), 100_000, (i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: default}\nspec: {containers: [{name: c, image: nginx}]}\n`),
  'file-60MB': () => {
    // Generated objects up to about 60 MB (the bench generator writes about 1 KB per object).
    const file = join(dir, 'big.yaml');
    writeFileSync(file, generateManifests(60_000));
    return file;
  },
  'file-over-64MiB': () => writePieces(join(dir, 'over.yaml'), 70 * 1024, (i) => `# ${'x'.repeat(1000)}\n${i === 0 ? 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' : ''}`),
};

/** One process: wall time here, CPU and peak RSS from /usr/bin/time when the machine has it. */
function measure(args) {
  const t = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', '@cpu %U %S @rss %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }) : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Math.round(performance.now() - t);
  const cpu = /@cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  const rss = /@rss (\d+)/.exec(r.stderr ?? '');
  const lines = (r.stderr ?? '').split('\n').filter((l) => l !== '' && !l.startsWith('@cpu') && !l.includes('Command exited'));
  return { exit: r.status, wallMs, ...(cpu ? { cpuMs: Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000) } : {}), ...(rss ? { peakRssMiB: Math.round(Number(rss[1]) / 1024) } : {}), stderrLines: lines.length, ...(lines[0] !== undefined ? { firstError: lines[0].slice(0, 200) } : {}) };
}

const results = {};
try {
  for (const [name, make] of Object.entries(CASES)) {
    if (WANTED && !WANTED.includes(name)) continue;
    const file = await make();
    const out = join(dir, `${name}.json`);
    const kspect = measure([BIN, 'scan', file, '-f', 'json', '-o', out]);
    let reportBytes = 0;
    try {
      reportBytes = statSync(out).size;
    } catch {
      // no report (over the limit)
    }
    rmSync(out, { force: true });
    // The bare parse gets a 4 GiB heap (the yaml package's documents are large); kspect runs as a user runs it.
    const bare = measure(['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--bare-yaml', file]);
    const ok = kspect.exit === 0 || kspect.exit === 1 ? reportBytes > 0 : kspect.exit === 2 && kspect.stderrLines === 1;
    results[name] = {
      inputBytes: statSync(file).size,
      kspect: { ...kspect, reportBytes },
      bareYaml: bare,
      ...(kspect.cpuMs !== undefined && bare.cpuMs !== undefined && bare.exit === 0 ? { ratioCpu: Number((kspect.cpuMs / bare.cpuMs).toFixed(2)) } : {}),
      ...(kspect.peakRssMiB !== undefined && bare.peakRssMiB !== undefined && bare.exit === 0 ? { ratioPeakRss: Number((kspect.peakRssMiB / bare.peakRssMiB).toFixed(2)) } : {}),
      endedWell: ok,
    };
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ cases: results, target: 'every case ends with a report (exit 0/1) or one line and exit 2' })}\n`);
process.exitCode = Object.values(results).every((r) => r.endedWell) ? 0 : 1;

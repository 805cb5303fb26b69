// Held objects benchmark (issue 16 goal 1): what a loaded object costs in memory while a scan holds it. For each size,
// a child process (node --expose-gc) loads the generated objects with --jobs 1, keeps every object (as a streaming run
// that reads '*' does), collects garbage and reports the live heap and array buffers above those of the loaded modules,
// per object, with the load's CPU time and the child's peak RSS. Inputs: the generated YAML (one file per 20,000
// objects) and the same objects as one indented JSON List (what kubectl get -o json writes).
// Environment: KSPECT_BENCH_OBJECTS_SIZES ("20000,200000"), KSPECT_BENCH_OBJECTS_FORMATS ("yaml,json").
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateManifests } from './generate.js';

const FILES = fileURLToPath(new URL('../dist/sources/files.js', import.meta.url));

async function child(inputs) {
  const { loadManifests } = await import(FILES);
  globalThis.gc();
  const base = process.memoryUsage();
  const t = process.cpuUsage();
  const held = [];
  await loadManifests(inputs, { jobs: 1, onObjects: (objects) => { for (const o of objects) held.push(o); } });
  const cpu = process.cpuUsage(t);
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  const heap = m.heapUsed - base.heapUsed;
  const buffers = m.arrayBuffers - base.arrayBuffers;
  process.stdout.write(JSON.stringify({
    objects: held.length,
    liveHeapMiB: Number((heap / 2 ** 20).toFixed(1)),
    arrayBuffersMiB: Number((buffers / 2 ** 20).toFixed(1)),
    bytesPerObject: Math.round((heap + buffers) / held.length),
    loadCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
}

async function main() {
  const sizes = (process.env.KSPECT_BENCH_OBJECTS_SIZES ?? '20000,200000').split(',').filter(Boolean).map(Number);
  const formats = (process.env.KSPECT_BENCH_OBJECTS_FORMATS ?? 'yaml,json').split(',').filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-objects-'));
  const results = {};
  try {
    for (const n of sizes) {
      const docs = generateManifests(n).slice(0, -1).split('\n---\n');
      const yamlDir = join(dir, `yaml-${n}`);
      mkdirSync(yamlDir);
      for (let i = 0; i * 20_000 < docs.length; i++) writeFileSync(join(yamlDir, `part-${String(i).padStart(3, '0')}.yaml`), `${docs.slice(i * 20_000, (i + 1) * 20_000).join('\n---\n')}\n`);
      for (const format of formats) {
        let input = yamlDir;
        if (format === 'json') {
          // The same objects as one List, read through the loader itself (values exactly as the YAML gives them).
          const { loadManifests } = await import(FILES);
          const loaded = await loadManifests([yamlDir], { jobs: 1 });
          input = join(dir, `list-${n}.json`);
          writeFileSync(input, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: loaded.objects.map((o) => o.raw) }, null, 2));
        }
        const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', input], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
        if (r.status !== 0) throw new Error(`child for ${format} ${n} exited ${r.status}`);
        results[`${format}-${n}`] = JSON.parse(r.stdout);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ load: loadavg().map((x) => Number(x.toFixed(2))), results }, null, 2)}\n`);
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await main();

// The cost of the node controls in `kspect scan`: the same scan of the generated corpus with every check, and with
// the 116 node checks disabled, alternating in one process (their flag controls visit every Pod, looking for static
// pod manifests of control-plane components); plus one `kspect node` audit of examples/node, end to end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkManifests } from '../dist/index.js';
import { nodeChecks } from '../dist/checks/registry/node.js';
import { EMPTY_CONFIG } from '../dist/core/config.js';
import { generateManifests } from './generate.js';

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-node-'));
const file = join(dir, 'cluster.yaml');
writeFileSync(file, generateManifests(COUNT));
const without = { ...EMPTY_CONFIG, disable: nodeChecks.map((c) => c.id) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const withMs = [];
const withoutMs = [];
let checks = {};
for (let i = 0; i < REPS; i++) {
  for (const [label, config, out] of [['with', EMPTY_CONFIG, withMs], ['without', without, withoutMs]]) {
    global.gc?.();
    const t = performance.now();
    const report = await checkManifests({ paths: [file], config, settings: { now: new Date(0) } });
    out.push(performance.now() - t);
    checks[label] = report.summary.checksRun;
  }
}
const t = performance.now();
const node = spawnSync(process.execPath, [new URL('../bin/kspect.js', import.meta.url).pathname, 'node', '--root', new URL('../examples/node', import.meta.url).pathname, '-f', 'json'], { encoding: 'utf8' });
const nodeMs = performance.now() - t;
const controls = JSON.parse(node.stdout).controls.results.length;
process.stdout.write(
  JSON.stringify({
    objects: COUNT,
    checksWith: checks.with,
    checksWithout: checks.without,
    scanWithNodeChecksMs: Math.round(median(withMs)),
    scanWithoutNodeChecksMs: Math.round(median(withoutMs)),
    ratio: Number((median(withMs) / median(withoutMs)).toFixed(3)),
    nodeAuditExampleMs: Math.round(nodeMs),
    nodeControls: controls,
  }),
);

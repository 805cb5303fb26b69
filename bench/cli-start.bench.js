// CLI start: `kspect --version` against a bare `node -e 0`, interleaved runs, medians and their ratio.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const RUNS = Number(process.env.KSPECT_BENCH_RUNS ?? 20);
const time = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
};
const bare = [];
const kspect = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '0']));
  kspect.push(time([BIN, '--version']));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(JSON.stringify({ runs: RUNS, bareNodeMs: Math.round(median(bare)), kspectVersionMs: Math.round(median(kspect)), ratio: Number((median(kspect) / median(bare)).toFixed(3)), targetRatio: 1.5 }));

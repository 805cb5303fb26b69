// Image layer listing at bounded memory: `kspect images verify` lists the files of the layers of images that must be
// minimal (shell, package manager) — src/sources/registry/layers.ts streams each layer through gunzip into a tar
// entry parser. Input: a generated gzip'd layer whose tar holds one file of LAYER_GIB GiB (default 2) and then
// bin/sh — the shell must still be found after the big entry. Measured in one run, in this order (peak RSS is
// cumulative, so the in-memory way goes last): kspect's LayerFiles over the compressed stream in 1 MiB chunks; the
// comparator, a bare streaming gunzip of the same bytes to nowhere; then the way kspect read layers before (gunzipSync
// of the whole layer, capped at 2 GiB of output). Prints wall and CPU time, peak RSS growth of each, and the ratios
// (CPU is the fair one on a shared machine).
import { gunzipSync, createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import { LayerFiles } from '../dist/sources/registry/layers.js';

const GIB = 1024 ** 3;
const size = Math.round(Number(process.env.LAYER_GIB ?? '2') * GIB);

function header(name, n) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write(`${n.toString(8).padStart(11, '0')}\0`, 124);
  h.write('0', 156);
  h.write('ustar\0', 257);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** The layer, gzip'd while it is generated: only the compressed bytes are kept (zeros compress about 1000:1). */
async function makeLayer() {
  const gz = createGzip({ level: 1 });
  const out = [];
  gz.on('data', (c) => out.push(c));
  const write = async (b) => {
    if (!gz.write(b)) await once(gz, 'drain');
  };
  await write(header('var/big.img', size));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= zeros.length) await write(left >= zeros.length ? zeros : zeros.subarray(0, left));
  await write(Buffer.alloc((512 - (size % 512)) % 512));
  await write(header('bin/sh', 0));
  await write(Buffer.alloc(1024));
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(out);
}

async function* chunks(buf) {
  for (let i = 0; i < buf.length; i += 1024 * 1024) yield buf.subarray(i, i + 1024 * 1024);
}

const maxRss = () => process.resourceUsage().maxRSS * 1024;
const mib = (n) => Math.round(n / 1024 / 1024);

const layer = await makeLayer();
globalThis.gc?.();
const base = maxRss();

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let t = performance.now();
let c0 = cpu();
const files = new LayerFiles();
await files.add(chunks(layer));
const streamMs = performance.now() - t;
const streamCpu = cpu() - c0;
const streamRss = maxRss() - base;

t = performance.now();
c0 = cpu();
const z = createGunzip();
let bytes = 0;
z.on('data', (d) => {
  bytes += d.length;
});
for await (const c of chunks(layer)) if (!z.write(c)) await once(z, 'drain');
z.end();
await once(z, 'end');
const bareMs = performance.now() - t;
const bareCpu = cpu() - c0;
const bareRss = maxRss() - base;

let old;
t = performance.now();
try {
  const tar = gunzipSync(layer, { maxOutputLength: 2 * GIB });
  old = { ok: true, bytes: tar.length };
} catch (e) {
  old = { ok: false, error: String(e.message ?? e).split('\n')[0] };
}
const oldMs = performance.now() - t;
const oldRss = maxRss() - base;

process.stdout.write(
  `${JSON.stringify({
    layer: { tarBytes: bytes, gzipBytes: layer.length },
    streamed: { found: files.files(), ms: Math.round(streamMs), cpuMs: Math.round(streamCpu), peakRssGrowthMiB: mib(streamRss) },
    bareGunzip: { ms: Math.round(bareMs), cpuMs: Math.round(bareCpu), peakRssGrowthMiB: mib(bareRss) },
    ratio: { cpuVsBareGunzip: Number((streamCpu / bareCpu).toFixed(2)), wallVsBareGunzip: Number((streamMs / bareMs).toFixed(2)) },
    beforeInMemory: { ...old, ms: Math.round(oldMs), peakRssGrowthMiB: mib(oldRss) },
  })}\n`,
);

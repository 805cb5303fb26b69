/**
 * What a parse worker sends is what the main thread would have parsed: a file read and parsed, packed, moved by
 * structured clone with its offset arrays transferred (what postMessage does), and unpacked, gives the same objects
 * (values, metadata, origins, the location of every field), problems and skipped count as reading it in this thread —
 * on the examples, a corpus subset, generated manifests and hostile files. The workers themselves: test/jobs.e2e.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLoad, manifestFilesUnder, SHARED_CORPUS } from '../../test/support/loaded.js';
import { readManifestFile } from './manifest-file.js';
import { packFile, unpackFile } from './parse-pool.js';
import { DEFAULT_PARSE_LIMITS } from './yaml.js';
import { generateManifests } from '../../bench/generate.js';

const OPTIONS = { max: 64 * 1024 * 1024, limits: DEFAULT_PARSE_LIMITS };
const ROOT = new URL('../../', import.meta.url).pathname;

async function roundTrip(abs: string, file: string): Promise<{ here: string; moved: string }> {
  const here = await readManifestFile(abs, file, OPTIONS);
  const { packed, transfer } = packFile(7, await readManifestFile(abs, file, OPTIONS));
  const moved = unpackFile(structuredClone(packed, { transfer }), file);
  return { here: describeLoad(here), moved: describeLoad(moved) };
}

describe('packFile / unpackFile', () => {
  it('give the same objects, positions and problems as parsing here: examples and a corpus subset', async () => {
    const files = [...manifestFilesUnder(join(ROOT, 'examples')), ...['badpods', 'kubernetes-goat', 'cert-manager', 'calico'].flatMap((c) => manifestFilesUnder(join(SHARED_CORPUS, c)))];
    expect(files.length).toBeGreaterThan(50);
    let objects = 0;
    for (const abs of files) {
      const { here, moved } = await roundTrip(abs, abs);
      expect(moved, abs).toBe(here);
      objects += (JSON.parse(here) as { objects: unknown[] }).objects.length;
    }
    expect(objects).toBeGreaterThan(300);
  });

  it('give the same for generated manifests and for hostile and unusual files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-pack-'));
    const cases: Record<string, string | Buffer> = {
      'generated.yaml': generateManifests(300, 7),
      'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n  spec: {containers: [{name: c, image: x}]}\n',
      'proto.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n  labels: {__proto__: x}\ndata:\n  __proto__: y\n  constructor: z\n',
      'anchors.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: a}\ndata: {<<: {k: v}, n: .inf, m: -.inf, o: .nan, z: -0}\nx: *m\n',
      'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\n: : :\n  - [\n---\nkind: Pod\nmetadata: {}\n---\nplain text\n',
      'bad-separator.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n--- x\n',
      'binary.yaml': Buffer.from([0x61, 0x3a, 0x00, 0x62]),
      'latin1.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
      'json.json': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'c2VjcmV0' } }),
      'empty.yaml': '',
    };
    for (const [name, text] of Object.entries(cases)) writeFileSync(join(dir, name), text);
    for (const name of Object.keys(cases)) {
      const { here, moved } = await roundTrip(join(dir, name), name);
      expect(moved, name).toBe(here);
    }
    // Nothing read: the same one-line problem.
    const { here, moved } = await roundTrip(join(dir, 'missing.yaml'), 'missing.yaml');
    expect(moved).toBe(here);
    expect(here).toContain('not-readable');
  });

  it('sends values as JSON text when JSON says them exactly, else as they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-pack-'));
    writeFileSync(join(dir, 'plain.yaml'), generateManifests(20, 3));
    // (.inf and .nan have no JSON form: Kubernetes refuses them, so does the parser; -0.0 is the one number left.)
    writeFileSync(join(dir, 'zero.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nx: -0.0\n');
    expect(typeof packFile(1, await readManifestFile(join(dir, 'plain.yaml'), 'plain.yaml', OPTIONS)).packed.values).toBe('string');
    for (const name of ['zero.yaml']) {
      const { packed } = packFile(1, await readManifestFile(join(dir, name), name, OPTIONS));
      expect(Array.isArray(packed.values), name).toBe(true);
      expect(describeLoad(unpackFile(structuredClone(packed), name)), name).toBe(describeLoad(await readManifestFile(join(dir, name), name, OPTIONS)));
    }
  });

  it('moves positions as transferred arrays, not copies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-pack-'));
    writeFileSync(join(dir, 'g.yaml'), generateManifests(50, 3));
    const { packed, transfer } = packFile(1, await readManifestFile(join(dir, 'g.yaml'), 'g.yaml', OPTIONS));
    expect(transfer.length).toBeGreaterThanOrEqual(3);
    structuredClone(packed, { transfer });
    // Transferred: the worker's arrays are detached, nothing was copied.
    expect(packed.origins.length).toBe(0);
    expect(packed.lineStarts?.length).toBe(0);
  });
});

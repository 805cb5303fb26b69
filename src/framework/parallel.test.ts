/**
 * Judging in parse workers (parallel.ts) gives the Judgement of one thread: the runner's replay of what workers
 * recorded of each file, merged by key with what this thread's checks said, is compared with one pass over the whole
 * inventory (runChecks), byte for byte, on every check's fixtures and generated manifests with every check on; and on
 * test checks that crash in a worker, read what they did not declare, gather across objects or say shared
 * not-evaluated items, with files a worker judged, files parsed here, and files added before the workers started.
 * The worker here is the worker's own code (judgeFile) run in this thread over its own copy of the objects, its
 * answer sent as a parse worker sends it (packFile / packJudged / unpackFile, cloned). The real workers:
 * test/jobs.e2e.test.ts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../checks/index.js';
import { TEST_SETTINGS } from '../checks/support/tester.js';
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import { buildInventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { judgeFile } from '../sources/parse-judge.js';
import { packFile, packJudged, unpackFile } from '../sources/parse-pool.js';
import { parseManifests } from '../sources/yaml.js';
import { defineCheck, type AnyCheck } from './define.js';
import { knownNamespaces, knownObjects, type JudgedFile, type WorkerJudging } from './parallel.js';
import { resolveChecks, runChecks, runStreaming, type ActiveCheck } from './runner.js';
import { generateManifests } from '../../bench/generate.js';

interface Input {
  readonly file: string;
  /** As the main thread has them (moved from a worker). */
  readonly objects: K8sObject[];
  /** As the worker that parsed them keeps them. */
  readonly kept: K8sObject[];
}

function input(file: string, text: string): Input {
  const parsed = parseManifests(text, file, { type: 'file', uri: file });
  const moved = unpackFile(structuredClone(packFile(0, { read: true, objects: parsed.objects, problems: [], skipped: 0 }).packed), file);
  return { file, objects: moved.objects, kept: parsed.objects };
}

/** Every check's fixtures, a file each, and generated manifests in a few files. */
function inputs(): Input[] {
  const out: Input[] = [];
  const checks = join(import.meta.dirname, '..', 'checks');
  for (const c of readdirSync(checks).sort())
    for (const kind of ['fail', 'pass']) {
      const dir = join(checks, c, 'fixtures', kind);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) out.push(input(`${c}/${kind}/${f}`, readFileSync(join(dir, f), 'utf8')));
    }
  for (let i = 0; i < 4; i++) out.push(input(`generated-${i}.yaml`, generateManifests(150, i + 1)));
  return out;
}

/** What a worker said of each file it judged. */
type Said = JudgedFile[];

/**
 * The file as a parse worker that judged it sends it, unpacked here (the objects: new ones, as moved); it knows the
 * Namespaces added so far, or (`stale`) none of them.
 */
function fromWorker(f: Input, judging: WorkerJudging, registry: ReadonlyMap<string, AnyCheck>, said: Said, stale = false): K8sObject[] {
  const known = knownNamespaces();
  if (!stale) known.update(knownObjects.get(judging)?.() ?? []);
  const judged = judgeFile(structuredClone(judging), f.kept, known, registry);
  said.push(judged);
  const { packed } = packFile(0, { read: true, objects: f.kept, problems: [], skipped: 0 });
  return unpackFile(structuredClone({ ...packed, judged: packJudged(judged) }), f.file).objects;
}

/**
 * The report of one pass over every object, and the one judged with a worker: the first `before` files are added
 * before the workers start, then file i is judged by the worker unless `here(i)`.
 */
function judgeBothWays(files: readonly Input[], active: readonly ActiveCheck[], registry: ReadonlyMap<string, AnyCheck>, here: (i: number) => boolean, options: { readonly config?: KspectConfig; readonly before?: number; readonly stale?: (i: number) => boolean } = {}): { whole: string; split: string; findings: number; said: Said } {
  const config = options.config ?? EMPTY_CONFIG;
  const common = { checks: active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', problems: [] };
  const whole = runChecks({ ...common, inventory: buildInventory(files.flatMap((f) => f.objects), 2) });
  // Sections read every kind: the run holds every object (as a scan does).
  const run = runStreaming({ ...common, parallel: { registry: new Set(active.map((a) => a.check)) }, sections: () => ({}) });
  const said: Said = [];
  let judging: WorkerJudging | undefined;
  files.forEach((f, i) => {
    if (i === (options.before ?? 0)) judging = run.workerJudging();
    // A new array each run: what a worker said is known by the array handed over.
    run.add(judging && !here(i) ? fromWorker(f, judging, registry, said, options.stale?.(i) ?? false) : [...f.objects]);
  });
  const split = run.finish({ skipped: 2 });
  return { whole: JSON.stringify(whole), split: JSON.stringify(split), findings: whole.findings.length, said };
}

const records = (said: Said): number => said.reduce((n, f) => n + f.records.length, 0);

describe('judging in parse workers', () => {
  const files = inputs();
  const byId = new Map(allChecks.map((c) => [c.id, c]));

  it('gives the report of one pass: every check on, fixtures and generated files, files judged by a worker and here, some added before the workers started', () => {
    const config = { ...EMPTY_CONFIG, enable: ['*'] };
    const active = resolveChecks(allChecks, config).active;
    const { whole, split, findings, said } = judgeBothWays(files, active, byId, (i) => i % 5 === 4, { config, before: 7 });
    if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
    expect(findings).toBeGreaterThan(1000);
    // The worker judged with the registry's object-local checks only, and recorded many of the findings.
    const judging = runStreaming({ checks: active, settings: TEST_SETTINGS, config, inputs: [], toolVersion: 't', parallel: { registry: new Set(allChecks) }, sections: () => ({}) }).workerJudging();
    expect(judging?.checks.length).toBeGreaterThan(40);
    // (and those that read Namespaces only, by name: Pod Security)
    expect(judging?.checks.every((c) => (byId.get(c.id)?.meta.reads ?? []).every((k) => k === 'Namespace'))).toBe(true);
    expect(judging?.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['pss-baseline', 'pss-restricted']));
    expect(said.flatMap((f) => f.unsplit)).toEqual([]);
    expect(records(said)).toBeGreaterThan(findings / 5);
  });

  it('is not asked of a run without the registry or in which no check reads every kind (the checks judge as objects come)', () => {
    const active = resolveChecks(allChecks, EMPTY_CONFIG).active;
    const common = { checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' };
    expect(runStreaming({ ...common, sections: () => ({}) }).workerJudging()).toBeUndefined();
    const local = active.filter((a) => (a.check.meta.reads ?? []).length === 0);
    expect(runStreaming({ ...common, checks: local, parallel: { registry: new Set(allChecks) } }).workerJudging()).toBeUndefined();
    expect(runStreaming({ ...common, parallel: { registry: new Set(allChecks) }, sections: () => ({}) }).workerJudging()).toBeDefined();
  });

  const meta = (id: string, extra: object = {}) => ({ title: id, description: '', severity: 'low' as const, category: 'workload' as const, kinds: ['Pod', 'Deployment'], messages: { m: '{{name}} in {{ns}}' }, remediation: '', references: {}, recommended: true, ...extra });
  /** Fails on an object of generated-1.yaml, as it would in any thread. */
  const crashing = defineCheck({
    id: 'test-crashing',
    meta: meta('test-crashing'),
    create: (ctx) => (obj) => {
      if (obj.origin.source.uri === 'generated-1.yaml' && obj.metadata.name.endsWith('7')) throw new Error(`no ${obj.metadata.name}`);
      ctx.report({ messageId: 'm', object: obj, path: 'spec', data: { name: obj.metadata.name, ns: obj.metadata.namespace ?? '-' } });
    },
  });
  /** Says a shared not-evaluated item, and a finding whose subject is another object of the file. */
  let previous: K8sObject | undefined;
  const sharing = defineCheck({
    id: 'test-sharing',
    meta: meta('test-sharing'),
    create: (ctx) => (obj) => {
      if (obj.metadata.name.endsWith('2')) ctx.notEvaluated({ reason: 'missing-input', message: `namespace ${obj.metadata.namespace ?? ''} is not judged`, object: obj, shared: true });
      if (previous && previous.origin.source.uri === obj.origin.source.uri && obj.metadata.name.endsWith('5')) ctx.report({ messageId: 'm', object: obj, subject: previous, data: { name: obj.metadata.name, ns: previous.metadata.name } });
      previous = obj;
    },
  });
  /** Reads Services, which it does not declare, on some objects: a failure of the check in this thread. */
  const undeclared = defineCheck({
    id: 'test-undeclared',
    meta: meta('test-undeclared'),
    create: (ctx) => (obj) => {
      if (obj.metadata.name.endsWith('3')) ctx.report({ messageId: 'm', object: obj, data: { name: obj.metadata.name, ns: String(ctx.inventory.ofKind('Service').length) } });
    },
  });
  /** Says something when created (a worker cannot record that): this thread visits the worker's files with it. */
  const sayingAtCreate = defineCheck({
    id: 'test-saying-at-create',
    meta: meta('test-saying-at-create'),
    create: (ctx) => {
      ctx.notEvaluated({ reason: 'missing-input', message: 'said when created' });
      return (obj) => {
        if (obj.metadata.name.endsWith('4')) ctx.report({ messageId: 'm', object: obj, path: 'metadata', data: { name: obj.metadata.name, ns: 'here' } });
      };
    },
  });
  /** Gathers across objects and reports at the end: it waits for finish. */
  const gathering = defineCheck({
    id: 'test-gathering',
    meta: meta('test-gathering'),
    create: (ctx) => {
      const names: string[] = [];
      return {
        object: (obj) => { names.push(obj.metadata.name); },
        end: () => { ctx.report({ messageId: 'm', data: { name: names.slice(0, 3).join(','), ns: String(names.length) } }); },
      };
    },
  });
  /** Reads every kind: the run judges everything at finish, as a scan does. */
  const readsAll = defineCheck({
    id: 'test-reads-all',
    meta: meta('test-reads-all', { reads: ['*'], kinds: ['Service'] }),
    create: (ctx) => (obj) => { ctx.report({ messageId: 'm', object: obj, data: { name: obj.metadata.name, ns: String(ctx.inventory.objects.length) } }); },
  });
  const custom = [crashing, sharing, undeclared, sayingAtCreate, gathering, readsAll];
  const customIds = new Map<string, AnyCheck>(custom.map((c) => [c.id, c]));
  const active = resolveChecks(custom, EMPTY_CONFIG).active;
  const generated = files.filter((f) => f.file.startsWith('generated-'));

  describe('judgeAsAdded (two threads: the worker only parses, this thread judges as objects come)', () => {
    /** One pass over every object, and a streaming run asked judgeAsAdded after `before` files: the two reports. */
    const bothWays = (list: readonly Input[], checks: readonly ActiveCheck[], before: number, config: KspectConfig = EMPTY_CONFIG) => {
      const common = { checks, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', problems: [] };
      const whole = runChecks({ ...common, inventory: buildInventory(list.flatMap((f) => f.objects), 2) });
      const run = runStreaming({ ...common, parallel: { registry: new Set(checks.map((a) => a.check)) }, sections: () => ({}) });
      list.forEach((f, i) => {
        if (i === before) run.judgeAsAdded();
        run.add([...f.objects]);
      });
      return { whole: JSON.stringify(whole), split: JSON.stringify(run.finish({ skipped: 2 })), findings: whole.findings.length };
    };

    it('every check on, fixtures and generated files, some added before it was asked: the report of one pass', () => {
      const config = { ...EMPTY_CONFIG, enable: ['*'] };
      const { whole, split, findings } = bothWays(files, resolveChecks(allChecks, config).active, 7, config);
      expect(split).toBe(whole);
      expect(findings).toBeGreaterThan(1000);
    });

    it('failing, sharing, undeclared-reading, create-time and gathering checks: the report of one pass', () => {
      for (const before of [0, 2]) expect(bothWays(generated, active, before).split, `asked after ${before} files`).toBe(bothWays(generated, active, before).whole);
    });

    it('the object-local checks judge each object when it is added, the others at finish; no check is left for workers', () => {
      const visits: string[] = [];
      const local = defineCheck({ id: 'test-local', meta: meta('test-local'), create: () => (obj) => { visits.push(`local ${obj.metadata.name}`); } });
      const reading = defineCheck({ id: 'test-reading', meta: meta('test-reading', { reads: ['*'] }), create: () => (obj) => { visits.push(`reading ${obj.metadata.name}`); } });
      const checks = resolveChecks([local, reading], EMPTY_CONFIG).active;
      const run = runStreaming({ checks, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: ['x'], toolVersion: 't', parallel: { registry: new Set([local, reading]) }, sections: () => ({}) });
      const [first, second] = generated;
      run.add([...(first as Input).objects]);
      // Added before it was asked: judged when asked.
      expect(visits).toEqual([]);
      run.judgeAsAdded();
      const pods = (f: Input) => f.objects.filter((o) => o.kind === 'Pod' || o.kind === 'Deployment').length;
      expect(visits.length).toBe(pods(first as Input));
      run.add([...(second as Input).objects]);
      expect(visits.length).toBe(pods(first as Input) + pods(second as Input));
      expect(visits.every((v) => v.startsWith('local '))).toBe(true);
      expect(run.workerJudging()).toBeUndefined();
      run.finish();
      expect(visits.filter((v) => v.startsWith('reading ')).length).toBe(pods(first as Input) + pods(second as Input));
    });
  });

  it('a run whose only object-local check gathers (it has an end) judges it here as objects come: the report of one pass', () => {
    const only = active.filter((a) => a.check.id === 'test-gathering' || a.check.id === 'test-reads-all');
    const { whole, split } = judgeBothWays(generated, only, customIds, () => false);
    expect(split).toBe(whole);
  });

  it('a check that fails on an object in a worker says nothing of the objects after it in any file, as in one pass', () => {
    const { whole, split, said } = judgeBothWays(generated, active.filter((a) => a.check.id !== 'test-undeclared'), customIds, (i) => i === 3);
    if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
    expect(whole).toContain('check test-crashing failed on');
    // The failure was recorded in the worker; the files after it were judged there too, and what it said dropped.
    expect(JSON.stringify(said[1])).toContain('"t":"x"');
    expect(said.length).toBe(3);
  });

  it('a check that reads what it did not declare in a worker is left to this thread for that file; one with an end waits for finish: the same report', () => {
    const { whole, split, said } = judgeBothWays(generated, active, customIds, (i) => i === 0, { before: 1 });
    if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
    expect(whole).toContain('check test-undeclared failed on');
    const index = active.findIndex((a) => a.check.id === 'test-undeclared');
    const atCreate = active.findIndex((a) => a.check.id === 'test-saying-at-create');
    expect(said[0]?.unsplit).toEqual([index, atCreate].sort((a, b) => a - b));
    expect(whole).toContain('said when created');
    expect(whole).toContain('app-4 in here');
    expect(said.flatMap((f) => f.records).some((r) => r.c === index)).toBe(false);
    expect(records(said)).toBeGreaterThan(50);
    // The gathering check is not sent to the workers.
    expect(said.flatMap((f) => f.visited.map(([c]) => active[c]?.check.id))).not.toContain('test-gathering');
  });

  it('shared not-evaluated items and findings on another object (the subject) are replayed as one pass says them', () => {
    for (const before of [0, 2]) {
      previous = undefined;
      const { whole, split, said } = judgeBothWays(files, active.filter((a) => ['test-sharing', 'test-reads-all'].includes(a.check.id)), customIds, (i) => i % 3 === 0, { before });
      previous = undefined;
      if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
      expect(whole).toContain('is not judged');
      expect(JSON.stringify(said)).toContain('"s":');
      expect(records(said)).toBeGreaterThan(20);
    }
  });

  describe('checks that read Namespaces by name (Pod Security)', () => {
    const pods = (ns: string, n: number): string =>
      Array.from({ length: n }, (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: p${i}, namespace: ${ns}}
spec:
  hostNetwork: ${i % 2 === 0}
  containers:
  - name: c
    image: nginx:1.27
    securityContext: {privileged: ${i % 3 === 0}, runAsNonRoot: ${i % 4 === 0}, seccompProfile: {type: RuntimeDefault}, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
    volumeMounts: [{name: v, mountPath: /v}]
  volumes: [{name: v, hostPath: {path: /var}}]
`).join('---\n');
    const namespace = (name: string, labels: Record<string, string>): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: {${Object.entries(labels).map(([k, v]) => `${k}: "${v}"`).join(', ')}}
`;
    const enforce = 'pod-security.kubernetes.io/enforce';
    const version = 'pod-security.kubernetes.io/enforce-version';
    const pss = resolveChecks(allChecks, EMPTY_CONFIG).active.filter((a) => ['pss-baseline', 'pss-restricted', 'pod-host-path'].includes(a.check.id));
    const lookups = (said: Said): number => said.reduce((n, f) => n + (f.lookups?.length ?? 0), 0);
    const pssRecords = (said: Said): number => said.reduce((n, f) => n + f.records.filter((r) => ['pss-baseline', 'pss-restricted'].includes(pss[r.c]?.check.id ?? '')).length, 0);

    it('a Namespace in a later file than its Pods, or a second Namespace of a name later: judged again at finish, the report of one pass', () => {
      const files = [
        input('shop-pods.yaml', pods('shop', 12)),
        input('web-ns.yaml', namespace('web', { [enforce]: 'baseline', [version]: 'v1.25' })),
        input('web-pods.yaml', pods('web', 12)),
        input('shop-ns.yaml', namespace('shop', { [enforce]: 'privileged' })),
        // Two of one name: the last one is the one in force (restricted at latest), after Pods judged with the first.
        input('web-ns-again.yaml', namespace('web', { [enforce]: 'restricted', team: 'a' })),
        input('mixed.yaml', `${pods('web', 3)}---\n${namespace('mixed', { [enforce]: 'baseline' })}---\n${pods('mixed', 5)}---\n${namespace('mixed', { [enforce]: 'privileged' })}`),
      ];
      for (const here of [() => false, (i: number) => i % 2 === 1, () => true]) {
        const { whole, split, said } = judgeBothWays(files, pss, byId, here);
        expect(split).toBe(whole);
        if (!here(0)) {
          // The worker judged the Pods, looking their Namespaces up by name.
          expect(lookups(said)).toBeGreaterThan(0);
          expect(pssRecords(said)).toBeGreaterThan(10);
        }
      }
      // What the namespaces say shows: privileged (shop), restricted (web: the second), privileged (mixed: the file's last).
      const report = JSON.parse(judgeBothWays(files, pss, byId, () => false).whole) as { findings: { checkId: string; message: string; resource?: { namespace?: string } }[] };
      const said = (ns: string) => report.findings.filter((f) => f.checkId.startsWith('pss-') && f.resource?.namespace === ns).map((f) => f.message);
      expect(said('shop')).toEqual([]);
      expect(said('mixed')).toEqual([]);
      expect(said('web').length).toBeGreaterThan(10);
      expect(said('web').every((m) => m.includes('"restricted:latest'))).toBe(true);
    });

    it('Namespaces known from the files before: what the worker said holds, and is replayed; a worker that did not know them yet is judged again', () => {
      const files = [
        input('ns.yaml', `${namespace('a', { [enforce]: 'baseline' })}---\n${namespace('b', { [enforce]: 'restricted', [version]: 'v1.22' })}---\n${namespace('c', { [enforce]: 'privileged' })}`),
        input('a.yaml', pods('a', 10)),
        input('b.yaml', pods('b', 10)),
        input('c.yaml', `${pods('c', 6)}---\n${pods('d', 4)}`),
      ];
      for (const stale of [() => false, () => true, (i: number) => i === 2]) {
        const { whole, split, said } = judgeBothWays(files, pss, byId, () => false, { stale });
        expect(split).toBe(whole);
        expect(pssRecords(said)).toBeGreaterThan(10);
        expect(lookups(said)).toBeGreaterThanOrEqual(3);
      }
      // Some added before the workers started (judged at finish) and some judged here.
      const { whole, split } = judgeBothWays(files, pss, byId, (i) => i === 3, { before: 2 });
      expect(split).toBe(whole);
      // Judged at finish, a file's own Namespace is not the answer when a later file has one of its name.
      const again = [input('z.yaml', `${namespace('z', { [enforce]: 'privileged' })}---\n${pods('z', 6)}`), input('z-again.yaml', namespace('z', { [enforce]: 'restricted' })), ...files];
      for (const before of [1, 2]) {
        const both = judgeBothWays(again, pss, byId, () => false, { before });
        expect(both.split).toBe(both.whole);
        expect(both.whole).toContain('from the labels of namespace \\"z\\"');
      }
    });

    it('a check reading Namespaces that fails on an object, or reads them other than by name, is judged over every object at finish', () => {
      /** Says each Pod's namespace labels; fails on p7 of b.yaml; lists every Namespace on p3 of c (by `lister`). */
      const labelling = (id: string, fail: boolean, list: boolean) =>
        defineCheck({
          id,
          meta: meta(id, { reads: ['Namespace'], kinds: ['Pod'] }),
          create: (ctx) => (obj) => {
            if (fail && obj.origin.source.uri === 'b.yaml' && obj.metadata.name === 'p7') throw new Error('no p7');
            const ns = list && obj.metadata.name === 'p3' ? String(ctx.inventory.namespaces.size) : JSON.stringify(ctx.inventory.namespaces.get(obj.metadata.namespace ?? '')?.metadata.labels ?? null);
            ctx.report({ messageId: 'm', object: obj, path: 'spec', data: { name: obj.metadata.name, ns } });
          },
        });
      const checks = [labelling('test-named-failing', true, false), labelling('test-named-listing', false, true), labelling('test-named', false, false)];
      const registry = new Map<string, AnyCheck>(checks.map((c) => [c.id, c]));
      const files = [input('a.yaml', pods('a', 10)), input('ns.yaml', namespace('a', { x: '1' })), input('b.yaml', pods('a', 10)), input('c.yaml', pods('a', 10))];
      for (const [picked, here] of [[[0], 2], [[0], -1], [[1], 2], [[0, 1, 2], 2], [[0, 1, 2], -1], [[2], 0]] as const) {
        const both = judgeBothWays(files, resolveChecks(picked.map((i) => checks[i] as AnyCheck), EMPTY_CONFIG).active, registry, (i) => i === here);
        expect(both.split).toBe(both.whole);
        // (the one that lists the Namespaces cannot be recorded where it does: left out of those files)
        if ((picked as readonly number[]).includes(1)) expect(both.said.some((f) => f.unsplit.length > 0)).toBe(true);
        else expect(records(both.said)).toBeGreaterThan(5);
      }
      const both = judgeBothWays(files, resolveChecks(checks, EMPTY_CONFIG).active, registry, () => false);
      expect(both.whole).toContain('check test-named-failing failed on');
      expect(both.whole).toContain('p3 in 1');
      expect(both.whole).toContain('p2 in {\\"x\\":\\"1\\"}');
    });
  });
});

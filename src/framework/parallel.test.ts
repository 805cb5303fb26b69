/**
 * Judging in parse workers (parallel.ts) gives the Judgement of one thread: the runner's replay of what workers
 * recorded, merged by key with what the main thread's checks said, is compared with one pass over the whole inventory
 * (runChecks), byte for byte, on every check's fixtures and generated manifests with every check on; and on test checks
 * that crash in a worker's part, read what they did not declare, or say shared not-evaluated items, with workers that
 * answer, die, or hold only some files. The workers here are stand-ins running the worker's own code (judgeParts) in
 * this thread, with what crosses threads cloned (structuredClone) and separate copies of the objects (packFile /
 * unpackFile, as a parse worker sends them). The real workers: test/jobs.e2e.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../checks/index.js';
import { TEST_SETTINGS } from '../checks/support/tester.js';
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import { buildInventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { judgeParts } from '../sources/parse-judge.js';
import { packFile, unpackFile } from '../sources/parse-pool.js';
import { parseManifests } from '../sources/yaml.js';
import { defineCheck, type AnyCheck } from './define.js';
import { heldParts, type JudgedParts, type PartHolder } from './parallel.js';
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

/** A stand-in parse worker: it keeps its files' objects and judges them with the worker's code, or has died. */
class Holder implements PartHolder {
  holds = 0;
  answers: JudgedParts[] = [];
  readonly kept = new Map<number, readonly K8sObject[]>();
  constructor(
    private readonly registry: ReadonlyMap<string, AnyCheck>,
    private readonly dead = false,
  ) {}
  hold(): void {
    this.holds++;
  }
  release(): void {
    this.holds--;
  }
  judge(request: Parameters<PartHolder['judge']>[0]): { wait(): JudgedParts | undefined } {
    const answer = this.dead ? undefined : structuredClone(judgeParts(structuredClone(request), this.kept, this.registry));
    if (answer) this.answers.push(answer);
    return { wait: () => answer };
  }
}

/**
 * The report of one pass over every object, and the one judged with workers: file i is held by worker i % holders
 * (no worker when `here(i)`).
 */
function judgeBothWays(files: readonly Input[], active: readonly ActiveCheck[], holders: readonly Holder[], here: (i: number) => boolean, config: KspectConfig = EMPTY_CONFIG): { whole: string; split: string; findings: number } {
  const common = { checks: active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', problems: [] };
  const whole = runChecks({ ...common, inventory: buildInventory(files.flatMap((f) => f.objects), 2) });
  // Sections read every kind: the run holds every object (as a scan does).
  const run = runStreaming({ ...common, parallel: { registry: new Set(active.map((a) => a.check)) }, sections: () => ({}) });
  files.forEach((f, i) => {
    const holder = holders[i % holders.length] as Holder;
    // A new array each run: what a worker holds is known by the array handed over.
    const objects = [...f.objects];
    if (!here(i)) {
      holder.kept.set(i, f.kept);
      heldParts.set(objects, { holder, job: i });
    }
    run.add(objects);
  });
  const split = run.finish({ skipped: 2 });
  return { whole: JSON.stringify(whole), split: JSON.stringify(split), findings: whole.findings.length };
}

const records = (h: Holder): number => h.answers.reduce((n, a) => n + (a.ok ? a.files.reduce((m, f) => m + f.records.length, 0) : 0), 0);

describe('judging in parse workers', () => {
  const files = inputs();
  const byId = new Map(allChecks.map((c) => [c.id, c]));

  it('gives the report of one pass: every check on, fixtures and generated files, two workers and files parsed here', () => {
    const config = { ...EMPTY_CONFIG, enable: ['*'] };
    const active = resolveChecks(allChecks, config).active;
    const holders = [new Holder(byId), new Holder(byId)];
    const { whole, split, findings } = judgeBothWays(files, active, holders, (i) => i % 5 === 4, config);
    expect(split).toBe(whole);
    expect(findings).toBeGreaterThan(1000);
    // The workers answered, with most of the findings, and were let go. A few checks locate objects the worker did
    // not parse (the audit policy checks' engine): this thread ran them over the workers' files.
    for (const h of holders) {
      expect(h.answers.map((a) => a.ok)).toEqual([true]);
      const unsplit = h.answers.flatMap((a) => (a.ok ? a.unsplit.map((i) => active[i]?.check.id) : []));
      expect(unsplit.length).toBeLessThan(20);
      expect(unsplit.every((id) => id?.startsWith('audit-') === true)).toBe(true);
      expect(h.holds).toBe(0);
    }
    expect(records(holders[0] as Holder) + records(holders[1] as Holder)).toBeGreaterThan(findings / 3);
  });

  const meta = (id: string, extra: object = {}) => ({ title: id, description: '', severity: 'low' as const, category: 'workload' as const, kinds: ['Pod', 'Deployment'], messages: { m: '{{name}} in {{ns}}' }, remediation: '', references: {}, recommended: true, ...extra });
  /** Fails on the 40th object it visits of generated-1.yaml, as it would in any thread. */
  const crashing = defineCheck({
    id: 'test-crashing',
    meta: meta('test-crashing'),
    create: (ctx) => (obj) => {
      if (obj.origin.source.uri === 'generated-1.yaml' && obj.metadata.name.endsWith('7')) throw new Error(`no ${obj.metadata.name}`);
      ctx.report({ messageId: 'm', object: obj, path: 'spec', data: { name: obj.metadata.name, ns: obj.metadata.namespace ?? '-' } });
    },
  });
  const readsNamespaces = defineCheck({
    id: 'test-reads-namespaces',
    meta: meta('test-reads-namespaces', { reads: ['Namespace'] }),
    create: (ctx) => (obj) => {
      const ns = ctx.inventory.namespaces.get(obj.metadata.namespace ?? '');
      if (ns) ctx.report({ messageId: 'm', object: obj, subject: ns, data: { name: obj.metadata.name, ns: Object.keys(ns.metadata.labels).join(',') } });
      else ctx.notEvaluated({ reason: 'missing-input', message: `namespace ${obj.metadata.namespace ?? ''} is not in the input`, object: obj, shared: true });
    },
  });
  /** Reads Services, which it does not declare, on some objects: a failure of the check in any thread. */
  const undeclared = defineCheck({
    id: 'test-undeclared',
    meta: meta('test-undeclared', { reads: ['Namespace'] }),
    create: (ctx) => (obj) => {
      if (obj.metadata.name.endsWith('3')) ctx.report({ messageId: 'm', object: obj, data: { name: obj.metadata.name, ns: String(ctx.inventory.ofKind('Service').length) } });
    },
  });
  const custom = [crashing, readsNamespaces, undeclared];
  const customIds = new Map(custom.map((c) => [c.id, c]));
  const active = resolveChecks(custom, EMPTY_CONFIG).active;
  const generated = files.filter((f) => f.file.startsWith('generated-'));

  it('a check that fails on an object in a worker says nothing of the objects after it in any file, as in one pass', () => {
    const holders = [new Holder(customIds), new Holder(customIds)];
    const { whole, split } = judgeBothWays(generated, active.filter((a) => a.check.id !== 'test-undeclared'), holders, (i) => i === 2);
    expect(split).toBe(whole);
    expect(whole).toContain('check test-crashing failed on');
    // The failure was recorded in a worker (generated-1.yaml is the second worker's).
    expect(JSON.stringify(holders[1]?.answers)).toContain('"t":"x"');
  });

  it('a check that reads what it did not declare in a worker, and a worker that died, leave that check or those files to this thread: the same report', () => {
    const holders = [new Holder(customIds), new Holder(customIds, true)];
    const { whole, split } = judgeBothWays(generated, active, holders, () => false);
    expect(split).toBe(whole);
    expect(whole).toContain('check test-undeclared failed on');
    // The check that read what it did not declare is visited here over the first worker's files; the others replayed.
    expect(holders[0]?.answers.map((a) => (a.ok ? a.unsplit.map((i) => active[i]?.check.id) : a.why))).toEqual([['test-undeclared']]);
    expect(records(holders[0] as Holder)).toBeGreaterThan(50);
    expect(holders[1]?.answers).toEqual([]);
  });

  it('shared not-evaluated items and findings on another object (the subject) are replayed as one pass says them', () => {
    const holders = [new Holder(customIds)];
    const { whole, split } = judgeBothWays(files, active.filter((a) => a.check.id === 'test-reads-namespaces'), holders, (i) => i % 3 === 0);
    expect(split).toBe(whole);
    expect(whole).toContain('is not in the input');
    expect(records(holders[0] as Holder)).toBeGreaterThan(100);
  });
});

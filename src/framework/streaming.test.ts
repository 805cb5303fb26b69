import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../checks/index.js';
import { EMPTY_CONFIG } from '../core/config.js';
import { buildInventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { parseManifests } from '../sources/yaml.js';
import { TEST_SETTINGS } from '../checks/support/tester.js';
import { resolveChecks, runChecks, runStreaming, startStreaming, type ReportSections, type RunView } from './runner.js';
import { rbacEngineProblems } from '../api/scan.js';
import { generateManifests } from '../../bench/generate.js';

/** Every check's fixtures, a file each, and a generated set: the inputs judged both ways. */
function inputs(): { file: string; objects: K8sObject[] }[] {
  const out: { file: string; objects: K8sObject[] }[] = [];
  const checks = join(import.meta.dirname, '..', 'checks');
  for (const c of readdirSync(checks).sort())
    for (const kind of ['fail', 'pass']) {
      const dir = join(checks, c, 'fixtures', kind);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) {
        if (!/\.ya?ml$/.test(f)) continue;
        const file = `${c}/${kind}/${f}`;
        out.push({ file, objects: parseManifests(readFileSync(join(dir, f), 'utf8'), file, { type: 'file', uri: file }).objects });
      }
    }
  const text = generateManifests(600);
  out.push({ file: 'generated.yaml', objects: parseManifests(text, 'generated.yaml', { type: 'file', uri: 'generated.yaml' }).objects });
  return out;
}

describe('streaming judging', () => {
  const files = inputs();
  const config = { ...EMPTY_CONFIG, enable: ['*'] };
  const all = resolveChecks(allChecks, config).active;
  const readsAll = (a: (typeof all)[number]): boolean => (a.check.meta.reads ?? []).length > 0 && (a.check.meta.kinds.includes('*') || (a.check.meta.reads ?? []).includes('*'));
  const judgeBothWays = (active: typeof all): { whole: string; streamed: string; findings: number } => {
    const common = { checks: active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', problems: [] };
    const whole = runChecks({ ...common, inventory: buildInventory(files.flatMap((f) => f.objects), 3) });
    const stream = runStreaming(common);
    for (const f of files) stream.add(f.objects);
    return { whole: JSON.stringify(whole), streamed: JSON.stringify(stream.finish({ skipped: 3 })), findings: whole.findings.length };
  };

  it('gives, file by file, the report one pass over the whole inventory gives: findings, not-evaluated items, problems, results in the same order', () => {
    // Object-local checks judge while objects are added, those that read some kinds of the inventory at finish: what
    // they report is put back in one pass's order.
    const active = all.filter((a) => !readsAll(a));
    expect(active.filter((a) => (a.check.meta.reads ?? []).length > 0).length).toBeGreaterThan(10);
    expect(active.filter((a) => (a.check.meta.reads ?? []).length === 0).length).toBeGreaterThan(60);
    const { whole, streamed, findings } = judgeBothWays(active);
    expect(streamed).toBe(whole);
    expect(findings).toBeGreaterThan(1000);
  });

  it('with a check that reads every object, holds every object and judges them all at finish: the same report', () => {
    expect(all.some(readsAll)).toBe(true);
    const { whole, streamed } = judgeBothWays(all);
    expect(streamed).toBe(whole);
  });

  it('with every object held, lets go of the kinds the caller does not keep once judged: the same report, sections reading an engine over the kinds kept', () => {
    const rbac = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];
    const objects = files.flatMap((f) => f.objects);
    const kept = objects.filter((o) => rbac.includes(o.kind));
    expect(kept.length).toBeGreaterThan(10);
    const sections = (view: RunView): ReportSections => rbacEngineProblems(view);
    const common = { checks: all, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', problems: [], sections, sectionReads: rbac };
    const whole = runChecks({ ...common, inventory: buildInventory(objects, 3) });
    expect(whole.problems.length).toBeGreaterThan(0);
    const stream = runStreaming(common);
    for (const f of files) stream.add(f.objects);
    expect(JSON.stringify(stream.finish({ skipped: 3 }))).toBe(JSON.stringify(whole));
    // What the session keeps past judging: only the kinds asked for (every object was held for the checks).
    const session = startStreaming({ checks: all, settings: TEST_SETTINGS, config, keep: rbac });
    for (const f of files) session.add(f.objects);
    const { inventory, scanned, judgement } = session.finish({ skipped: 3 });
    expect(inventory.objects).toEqual(kept);
    expect([inventory.skipped, scanned, judgement.findings.length]).toEqual([3, objects.length, whole.findings.length]);
  });
});

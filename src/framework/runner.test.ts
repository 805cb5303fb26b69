import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../core/config.js';
import { buildInventory } from '../model/inventory.js';
import { parseManifests } from '../sources/yaml.js';
import { podPrivileged } from '../checks/pod-privileged/check.js';
import { defineCheck } from './define.js';
import { resolveChecks, runChecks } from './runner.js';
import { TEST_SETTINGS } from '../checks/support/tester.js';

const yaml = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec:
  containers:
    - name: c
      image: nginx
      securityContext: {privileged: true}
---
apiVersion: v1
kind: Pod
metadata:
  name: b
  namespace: x
  annotations: {kspect.dev/ignore: "pod-privileged — accepted"}
spec:
  containers:
    - {name: c, image: nginx, securityContext: {privileged: true}}
`;

const inventory = () => buildInventory(parseManifests(yaml, 'p.yaml', { type: 'file', uri: 'p.yaml' }).objects);

describe('runner', () => {
  it('reports, suppresses and locates findings', () => {
    const { active } = resolveChecks([podPrivileged], EMPTY_CONFIG);
    const r = runChecks({ inventory: inventory(), checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: ['p.yaml'], toolVersion: 't' });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ checkId: 'pod-privileged', location: { file: 'p.yaml', line: 8 }, resource: { name: 'a', container: 'c' } });
    expect(r.suppressed.map((s) => [s.by, s.reason, s.finding.resource?.name])).toEqual([['annotation', 'accepted', 'b']]);
    expect(r.summary).toMatchObject({ findings: 1, suppressed: 1, objectsScanned: 2, checksRun: 1 });
  });
  it('applies severity overrides, disable, and baselines', () => {
    const cfg = { ...EMPTY_CONFIG, severity: { 'pod-privileged': 'low' as const } };
    const { active } = resolveChecks([podPrivileged], cfg);
    const r = runChecks({ inventory: inventory(), checks: active, settings: TEST_SETTINGS, config: cfg, inputs: [], toolVersion: 't' });
    expect(r.findings[0]?.severity).toBe('low');
    expect(resolveChecks([podPrivileged], { ...EMPTY_CONFIG, disable: ['pod-privileged'] }).active).toEqual([]);
    const fp = r.findings[0]?.fingerprint ?? '';
    const r2 = runChecks({ inventory: inventory(), checks: active, settings: TEST_SETTINGS, config: cfg, baseline: { baselineVersion: 1, entries: [{ fingerprint: fp, checkId: 'pod-privileged' }] }, inputs: [], toolVersion: 't' });
    expect(r2.findings).toEqual([]);
    expect(r2.suppressed.map((s) => s.by).sort()).toEqual(['annotation', 'baseline']);
  });
  it('a severity override in the configuration wins over a per-finding severity', () => {
    const graded = defineCheck({
      id: 'test-graded',
      meta: { title: 'graded', description: '', severity: 'low', category: 'workload', kinds: ['Pod'], messages: { m: 'm' }, remediation: '', references: {}, recommended: true },
      create: (ctx) => (obj) => {
        ctx.report({ messageId: 'm', object: obj, severity: 'critical' });
      },
    });
    const run = (cfg: typeof EMPTY_CONFIG) => runChecks({ inventory: inventory(), checks: resolveChecks([graded], cfg).active, settings: TEST_SETTINGS, config: cfg, inputs: [], toolVersion: 't' });
    expect(run(EMPTY_CONFIG).findings.map((f) => f.severity)).toEqual(['critical', 'critical']);
    expect(run({ ...EMPTY_CONFIG, severity: { 'test-graded': 'info' } }).findings.map((f) => f.severity)).toEqual(['info', 'info']);
  });
  it('a crashing check never yields a clean result', () => {
    const boom = defineCheck({
      id: 'test-boom',
      meta: { title: 'boom', description: '', severity: 'low', category: 'workload', kinds: ['Pod'], messages: { m: 'm' }, remediation: '', references: {}, recommended: true },
      create: () => () => {
        throw new Error('kaboom');
      },
    });
    const { active } = resolveChecks([boom], EMPTY_CONFIG);
    const r = runChecks({ inventory: inventory(), checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'internal', severity: 'error' })]);
    expect(r.notEvaluated).toEqual([expect.objectContaining({ checkId: 'test-boom', reason: 'check-error' })]);
  });
  it('rejects unknown --checks ids and bad parameters', () => {
    expect(resolveChecks([podPrivileged], EMPTY_CONFIG, ['nope-x']).errors).toEqual(['unknown check "nope-x"']);
    expect(resolveChecks([podPrivileged], { ...EMPTY_CONFIG, parameters: { 'pod-privileged': {} } }).errors).toEqual(['parameters.pod-privileged: this check takes no parameters']);
    // also when the check is disabled
    expect(resolveChecks([podPrivileged], { ...EMPTY_CONFIG, disable: ['pod-privileged'], parameters: { 'pod-privileged': {} } }).errors).toEqual(['parameters.pod-privileged: this check takes no parameters']);
  });
});

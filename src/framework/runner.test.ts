import { describe, expect, it } from 'vitest';
import { makeBaseline } from '../core/baseline.js';
import { EMPTY_CONFIG } from '../core/config.js';
import { buildInventory, type Inventory } from '../model/inventory.js';
import { toK8sObject, type K8sObject } from '../model/object.js';
import { parseManifests } from '../sources/yaml.js';
import { imageLatestTag } from '../checks/image-latest-tag/check.js';
import { imageNoDigest } from '../checks/image-no-digest/check.js';
import { podPrivileged } from '../checks/pod-privileged/check.js';
import { podPrivilegeEscalation } from '../checks/pod-privilege-escalation/check.js';
import { pssBaseline } from '../checks/pss-baseline/check.js';
import { pssRestricted } from '../checks/pss-restricted/check.js';
import { defineCheck } from './define.js';
import { judgeObjects, resolveChecks, runChecks, startJudging } from './runner.js';
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

const obj = (raw: unknown): K8sObject => toK8sObject(raw, undefined) as K8sObject;

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
  it('says every message as formatted, whether its check repeats them (interned) or not (past its first 256, only flattened), and counts each check\'s objects', () => {
    const saying = (id: string, message: (name: string, i: number) => string) =>
      defineCheck({
        id,
        meta: { title: id, description: '', severity: 'low', category: 'workload', kinds: ['ConfigMap'], messages: { m: '{{text}}' }, remediation: '', references: {}, recommended: true },
        create: (ctx) => {
          let i = 0;
          return (obj) => {
            ctx.report({ messageId: 'm', object: obj, data: { text: message(obj.metadata.name, i) } });
            i++;
          };
        },
      });
    // Distinct messages (the runner stops interning them after its first 256) and a few repeated ones (interned throughout).
    const checks = [saying('test-distinct', (name) => `distinct ${name}`), saying('test-repeated', (_name, i) => `repeated ${i % 3}`)];
    const n = 10_000;
    const objects = Array.from({ length: n }, (_, i) => obj({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'x' } }));
    const r = runChecks({ inventory: buildInventory(objects), checks: resolveChecks(checks, EMPTY_CONFIG).active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    const said = (id: string): string[] => r.findings.filter((f) => f.checkId === id).map((f) => f.message).sort();
    expect(said('test-distinct')).toEqual(objects.map((o) => `distinct ${o.metadata.name}`).sort());
    expect(said('test-repeated')).toEqual(objects.map((_, i) => `repeated ${i % 3}`).sort());
    expect(r.results?.map((c) => [c.id, c.objects, c.findings])).toEqual([
      ['test-distinct', n, n],
      ['test-repeated', n, n],
    ]);
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
  it('lists a shared not-evaluated item once, without a check id, and counts it for every check that reported it', () => {
    const unsure = (id: string, shared: boolean) =>
      defineCheck({
        id,
        meta: { title: id, description: '', severity: 'low', category: 'workload', kinds: ['Pod'], messages: { m: 'm' }, remediation: '', references: {}, recommended: true },
        create: (ctx) => (obj) => {
          ctx.notEvaluated({ reason: 'missing-input', object: obj, message: `${obj.metadata.name}: unknown`, shared });
        },
      });
    const checks = [unsure('test-unsure-a', true), unsure('test-unsure-b', true), unsure('test-unsure-c', false)];
    const { active } = resolveChecks(checks, EMPTY_CONFIG);
    const r = runChecks({ inventory: inventory(), checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    expect(r.notEvaluated.map((n) => [n.checkId, n.message, n.resource?.name, n.location?.line])).toEqual([
      [undefined, 'a: unknown', 'a', 1],
      ['test-unsure-c', 'a: unknown', 'a', 1],
      [undefined, 'b: unknown', 'b', 10],
      ['test-unsure-c', 'b: unknown', 'b', 10],
    ]);
    expect(r.summary.notEvaluated).toBe(4);
    expect(r.results?.map((x) => [x.id, x.outcome, x.notEvaluated])).toEqual([
      ['test-unsure-a', 'not-evaluated', 2],
      ['test-unsure-b', 'not-evaluated', 2],
      ['test-unsure-c', 'not-evaluated', 2],
    ]);
  });
  it('rejects unknown --checks ids and bad parameters', () => {
    expect(resolveChecks([podPrivileged], EMPTY_CONFIG, ['nope-x']).errors).toEqual(['unknown check "nope-x"']);
    expect(resolveChecks([podPrivileged], { ...EMPTY_CONFIG, parameters: { 'pod-privileged': {} } }).errors).toEqual(['parameters.pod-privileged: this check takes no parameters']);
    // also when the check is disabled
    expect(resolveChecks([podPrivileged], { ...EMPTY_CONFIG, disable: ['pod-privileged'], parameters: { 'pod-privileged': {} } }).errors).toEqual(['parameters.pod-privileged: this check takes no parameters']);
  });
  it('folds a Pod Security finding into the specific check that names the same control, once, with both references', () => {
    const plain = `apiVersion: v1
kind: Pod
metadata: {name: u, namespace: x}
spec:
  containers:
    - {name: a, image: ubuntu}
    - {name: b, image: ubuntu}
`;
    const inv = buildInventory(parseManifests(plain, 'u.yaml', { type: 'file', uri: 'u.yaml' }).objects);
    const checks = [podPrivilegeEscalation, pssRestricted];
    const run = (cfg: typeof EMPTY_CONFIG) => runChecks({ inventory: inv, checks: resolveChecks(checks, cfg).active, settings: TEST_SETTINGS, config: cfg, inputs: [], toolVersion: 't' });
    const r = run(EMPTY_CONFIG);
    const esc = r.findings.filter((f) => f.checkId === 'pod-privilege-escalation');
    expect(esc.map((f) => f.resource?.container)).toEqual(['a', 'b']);
    for (const f of esc) {
      expect(f.alsoReportedBy).toEqual(['pss-restricted']);
      expect(f.references.pss).toEqual(expect.arrayContaining(['allowPrivilegeEscalation', 'restricted']));
      expect(f.severity).toBe('medium');
      expect(f.message).toContain('also denied by Pod Security restricted (allowPrivilegeEscalation)');
    }
    // restricted controls no specific check ran for stay as they were
    expect(r.findings.filter((f) => f.checkId === 'pss-restricted').map((f) => f.references.pss?.[0]).sort()).toEqual(
      expect.not.arrayContaining(['allowPrivilegeEscalation']),
    );
    expect(r.results?.find((x) => x.id === 'pss-restricted')?.outcome).toBe('fail');
    // with the specific check off, the Pod Security finding is reported on its own
    const off = run({ ...EMPTY_CONFIG, disable: ['pod-privilege-escalation'] });
    expect(off.findings.filter((f) => f.checkId === 'pss-restricted' && f.references.pss?.includes('allowPrivilegeEscalation'))).toHaveLength(1);
  });
  it('folds an umbrella finding by the controls the specific finding was reported with, not those an earlier fold added', () => {
    const check = (id: string, pss: string[], umbrella: boolean) =>
      defineCheck({
        id,
        meta: { title: id, description: '', severity: 'low', category: 'pod-security', kinds: ['Pod'], messages: { m: id }, remediation: '', references: { pss }, recommended: true, ...(umbrella ? { umbrella } : {}) },
        create: (ctx) => (obj) => {
          if (obj.metadata.name === 'a') ctx.report({ messageId: 'm', object: obj });
        },
      });
    // test-umbrella-a names x and y: it folds into test-specific (x), whose references then name y too;
    // test-umbrella-b names y alone: test-specific was not reported with y, so it stays a finding of its own.
    const checks = [check('test-specific', ['x'], false), check('test-umbrella-a', ['level-a', 'x', 'y'], true), check('test-umbrella-b', ['level-b', 'y'], true)];
    const r = runChecks({ inventory: inventory(), checks: resolveChecks(checks, EMPTY_CONFIG).active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    expect(r.findings.map((f) => [f.checkId, f.alsoReportedBy ?? []])).toEqual([
      ['test-specific', ['test-umbrella-a']],
      ['test-umbrella-b', []],
    ]);
    expect(r.findings[0]?.references.pss).toEqual(['x', 'level-a', 'y']);
  });
  it('folds a finding into the check that restates its fact at the same field (restatedBy), once, keeping its references', () => {
    const pods = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  containers:
    - {name: a, image: nginx, securityContext: {privileged: true}}
    - {name: b, image: nginx:1.27}
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: x, annotations: {kspect.dev/ignore: "pod-privileged — accepted"}}
spec:
  containers:
    - {name: a, image: nginx@sha256:${'0'.repeat(64)}, securityContext: {privileged: true}}
`;
    const inv = buildInventory(parseManifests(pods, 'p.yaml', { type: 'file', uri: 'p.yaml' }).objects);
    const checks = [imageLatestTag, imageNoDigest, podPrivileged, podPrivilegeEscalation, pssRestricted];
    const r = runChecks({ inventory: inv, checks: resolveChecks(checks, EMPTY_CONFIG).active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    const of = (id: string, pod: string) => r.findings.filter((f) => f.checkId === id && f.resource?.name === pod).map((f) => [f.resource?.container, f.alsoReportedBy ?? [], f.severity]);
    // Untagged: image-latest-tag says it; image-no-digest is folded into it. Tagged: image-no-digest on its own.
    expect(of('image-latest-tag', 'p')).toEqual([['a', ['image-no-digest'], 'medium']]);
    expect(of('image-no-digest', 'p')).toEqual([['b', [], 'info']]);
    // Privileged: pod-privileged says it, with the escalation check (and the Pod Security level it folded) behind it.
    expect(of('pod-privileged', 'p')).toEqual([['a', ['pod-privilege-escalation', 'pss-restricted'], 'critical']]);
    expect(r.findings.find((f) => f.checkId === 'pod-privileged')?.references.pss).toEqual(expect.arrayContaining(['privileged', 'allowPrivilegeEscalation']));
    expect(of('pod-privilege-escalation', 'p').map(([c]) => c)).toEqual(['b']);
    // Where the restating finding is suppressed, the other fact is still reported, on its own.
    expect(of('pod-privilege-escalation', 'q').map(([c]) => c)).toEqual(['a']);
    expect(r.suppressed.map((x) => [x.finding.checkId, x.finding.resource?.name])).toEqual([['pod-privileged', 'q']]);
    // The folded check still failed.
    expect(r.results?.find((x) => x.id === 'image-no-digest')).toMatchObject({ outcome: 'fail', findings: 1 });
  });
  it('suppression works by check id before folding: suppressing one of two restating checks never hides the other', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: u, namespace: x}
spec:
  containers:
    - {name: a, image: ubuntu, securityContext: {privileged: true}}
`;
    const inv = buildInventory(parseManifests(pod, 'u.yaml', { type: 'file', uri: 'u.yaml' }).objects);
    const checks = [podPrivileged, pssBaseline];
    const run = (exempt: readonly string[]) => {
      const cfg = { ...EMPTY_CONFIG, exemptions: exempt.length > 0 ? [{ checks: [...exempt], reason: 'accepted' }] : [] };
      return runChecks({ inventory: inv, checks: resolveChecks(checks, cfg).active, settings: TEST_SETTINGS, config: cfg, inputs: [], toolVersion: 't' });
    };
    const privileged = (r: ReturnType<typeof run>, id: string) => r.findings.filter((f) => f.checkId === id && (id !== 'pss-baseline' || f.references.pss?.includes('privileged')));
    // Plain: one finding, pod-privileged, with the Pod Security control folded into it.
    const r0 = run([]);
    expect(privileged(r0, 'pod-privileged').map((f) => f.alsoReportedBy)).toEqual([['pss-baseline']]);
    expect(privileged(r0, 'pss-baseline')).toEqual([]);
    // The dedicated check exempted: the Pod Security control is reported on its own.
    const r1 = run(['pod-privileged']);
    expect(privileged(r1, 'pod-privileged')).toEqual([]);
    expect(privileged(r1, 'pss-baseline')).toHaveLength(1);
    expect(r1.suppressed.map((x) => x.finding.checkId)).toEqual(['pod-privileged']);
    // The Pod Security level exempted: pod-privileged is still reported, without the note.
    const r2 = run(['pss-baseline']);
    expect(privileged(r2, 'pod-privileged').map((f) => f.alsoReportedBy ?? [])).toEqual([[]]);
    expect(r2.suppressed.every((x) => x.finding.checkId === 'pss-baseline')).toBe(true);
    // Both named: the fact is accepted as a whole.
    const r3 = run(['pod-privileged', 'pss-baseline']);
    expect(r3.findings.filter((f) => f.checkId === 'pod-privileged' || f.references.pss?.includes('privileged'))).toEqual([]);
  });
  it('a baseline of a run accepts every fact of it: nothing folded resurfaces as new', () => {
    const pods = `apiVersion: v1
kind: Pod
metadata: {name: u, namespace: x}
spec:
  containers:
    - {name: a, image: ubuntu, securityContext: {privileged: true}}
    - {name: b, image: ubuntu}
`;
    const inv = buildInventory(parseManifests(pods, 'u.yaml', { type: 'file', uri: 'u.yaml' }).objects);
    const checks = [imageLatestTag, imageNoDigest, podPrivileged, podPrivilegeEscalation, pssRestricted];
    const run = (baseline?: ReturnType<typeof makeBaseline>) => runChecks({ inventory: inv, checks: resolveChecks(checks, EMPTY_CONFIG).active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't', ...(baseline ? { baseline } : {}) });
    const r0 = run();
    expect(r0.findings.some((f) => (f.alsoReportedBy ?? []).length > 0)).toBe(true);
    const r1 = run(makeBaseline(r0.findings));
    expect(r1.findings).toEqual([]);
    expect(r1.suppressed.map((x) => x.finding)).toEqual(r0.findings);
    expect(new Set(r1.suppressed.map((x) => x.by))).toEqual(new Set(['baseline']));
  });
  it('counts per check: outcome, totals, worst severity, resources and objects', () => {
    const notApplicable = defineCheck({
      id: 'test-secrets',
      meta: { title: 't', description: '', severity: 'low', category: 'workload', kinds: ['Secret'], messages: { m: 'm' }, remediation: '', references: {}, recommended: true },
      create: () => () => undefined,
    });
    const { active } = resolveChecks([podPrivileged, notApplicable], EMPTY_CONFIG);
    const r = runChecks({ inventory: inventory(), checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    expect(r.results).toEqual([
      { id: 'pod-privileged', outcome: 'fail', severity: 'critical', findings: 1, suppressed: 1, notEvaluated: 0, worst: 'critical', resources: 1, objects: 2 },
      { id: 'test-secrets', outcome: 'not-applicable', severity: 'low', findings: 0, suppressed: 0, notEvaluated: 0, resources: 0, objects: 0 },
    ]);
  });
  it('sections are computed from the engines the checks built, not built twice', () => {
    let builds = 0;
    const factory = { id: 'test-engine', reads: [], build: () => ({ n: ++builds }) };
    const user = defineCheck({
      id: 'test-user',
      meta: { title: 't', description: '', severity: 'low', category: 'workload', kinds: [], messages: { m: 'm' }, remediation: '', references: {}, recommended: true },
      create: (ctx) => ({ end: () => void ctx.engine(factory) }),
    });
    const r = runChecks({
      inventory: inventory(),
      checks: resolveChecks([user], EMPTY_CONFIG).active,
      settings: TEST_SETTINGS,
      config: EMPTY_CONFIG,
      inputs: [],
      toolVersion: 't',
      sections: (view) => ({ pki: { certificates: [], endpoints: [], anchors: view.engine(factory).n === 1 ? 'none' : 'given' } }),
    });
    expect(builds).toBe(1);
    expect(r.pki?.anchors).toBe('none');
    // It built an engine but judged nothing in it.
    expect(r.results?.[0]?.outcome).toBe('not-applicable');
  });

  it('a check reads only what it declares in meta.reads: other kinds, every object, an engine reading more fail it', () => {
    const meta = { title: 't', description: '', severity: 'low' as const, category: 'workload' as const, messages: { m: 'm' }, remediation: '', references: {}, recommended: true };
    const wide = { id: 'test-wide', reads: ['Pod', 'Secret'], build: (inv: Inventory) => inv.ofKinds(['Pod', 'Secret']).length };
    const declared = defineCheck({ id: 'test-declared', meta: { ...meta, kinds: [], reads: ['Pod', 'Secret'] }, create: (ctx) => ({ end: () => { ctx.judged(ctx.inventory.ofKind('Pod').length + ctx.engine(wide)); } }) });
    const local = defineCheck({ id: 'test-local', meta: { ...meta, kinds: ['Pod'] }, create: (ctx) => (obj) => { if (ctx.inventory.ofKind('Secret').length > 0) ctx.report({ messageId: 'm', object: obj }); } });
    const narrow = defineCheck({ id: 'test-narrow', meta: { ...meta, kinds: [], reads: ['Pod'] }, create: (ctx) => ({ end: () => { ctx.judged(ctx.engine(wide)); } }) });
    const all = defineCheck({ id: 'test-all', meta: { ...meta, kinds: [], reads: ['Pod', 'Namespace'] }, create: (ctx) => ({ end: () => { ctx.judged(ctx.inventory.namespaces.size + ctx.inventory.objects.length); } }) });
    const seen: string[] = [];
    const objects = [obj({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' } }), obj({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' } })];
    const r = runChecks({ inventory: buildInventory(objects), checks: resolveChecks([declared, local, narrow, all], EMPTY_CONFIG).active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't', onUndeclaredRead: (who, what) => seen.push(`${who}: ${what}`) });
    expect(seen).toEqual(['check test-local: objects of kind Secret', 'check test-narrow: engine test-wide (it reads Pod, Secret)', 'check test-all: every object']);
    expect(Object.fromEntries((r.results ?? []).map((x) => [x.id, x.outcome]))).toEqual({ 'test-all': 'not-evaluated', 'test-declared': 'pass', 'test-local': 'not-evaluated', 'test-narrow': 'not-evaluated' });
    expect(r.notEvaluated.map((n) => n.message)).toContain('check test-local failed on Pod p: check test-local read objects of kind Secret from the inventory, but declares reads []');
  });

  it('a check is not applicable when it judged nothing: no object of its kinds, nothing it counted with ctx.judged', () => {
    const meta = { title: 't', description: '', severity: 'low' as const, category: 'workload' as const, messages: { m: 'm' }, remediation: '', references: {}, recommended: true };
    const counts = defineCheck({ id: 'test-counts', meta: { ...meta, kinds: [] }, create: (ctx) => ({ end: () => { ctx.judged(2); } }) });
    const silent = defineCheck({ id: 'test-silent', meta: { ...meta, kinds: [] }, create: () => ({ end: () => undefined }) });
    const secrets = defineCheck({ id: 'test-secrets', meta: { ...meta, kinds: ['Secret'] }, create: () => () => undefined });
    const pods = defineCheck({ id: 'test-pods', meta: { ...meta, kinds: ['Pod'] }, create: () => () => undefined });
    const r = runChecks({ inventory: inventory(), checks: resolveChecks([counts, silent, secrets, pods], EMPTY_CONFIG).active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' });
    expect(Object.fromEntries((r.results ?? []).map((x) => [x.id, [x.outcome, x.objects]]))).toEqual({
      'test-counts': ['pass', 2],
      'test-pods': ['pass', 2],
      'test-secrets': ['not-applicable', 0],
      'test-silent': ['not-applicable', 0],
    });
  });
});

describe('judging in pieces', () => {
  it('judges objects added a piece at a time as judgeObjects judges them all', () => {
    const { active } = resolveChecks([podPrivileged, pssBaseline, pssRestricted, imageLatestTag], EMPTY_CONFIG);
    const inv = inventory();
    const input = { inventory: inv, checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG };
    const whole = judgeObjects(input);
    const session = startJudging(input);
    for (const obj of inv.objects) session.add([obj]);
    const pieces = session.finish();
    expect(whole.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(pieces.findings)).toBe(JSON.stringify(whole.findings));
    expect(JSON.stringify(pieces.suppressed)).toBe(JSON.stringify(whole.suppressed));
    expect([...pieces.visited]).toEqual([...whole.visited]);
    expect(() => {
      session.add(inv.objects);
    }).toThrow(/finished/);
    expect(() => session.finish()).toThrow(/finished/);
  });
});

describe('resource refs', () => {
  it('shares one ref per object and container, however many containers the object has', () => {
    const containers = Array.from({ length: 12 }, (_, i) => `    - {name: c${i}, image: nginx, securityContext: {privileged: true}}`).join('\n');
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: many, namespace: x}\nspec:\n  containers:\n${containers}\n`;
    const inv = buildInventory(parseManifests(text, 'm.yaml', { type: 'file', uri: 'm.yaml' }).objects);
    const { active } = resolveChecks([podPrivileged, podPrivilegeEscalation, pssBaseline], EMPTY_CONFIG);
    const r = judgeObjects({ inventory: inv, checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG });
    const byContainer = new Map<string | undefined, Set<unknown>>();
    for (const f of r.findings) {
      const set = byContainer.get(f.resource?.container) ?? new Set();
      set.add(f.resource);
      byContainer.set(f.resource?.container, set);
    }
    for (let i = 0; i < 12; i++) expect(byContainer.get(`c${i}`)?.size, `c${i}`).toBe(1);
    expect([...byContainer.values()].every((s) => s.size === 1)).toBe(true);
  });
});

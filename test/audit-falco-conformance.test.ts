/**
 * Conformance of kspect's Falco engine with Falco's own k8s-audit regression cases (66 cases of Falco 0.34.1,
 * ../shared/conformance/falco-k8saudit, PROVENANCE.md there says how to read them): every case expecting alerts gets
 * exactly the expected number per named rule and at least one at the expected priority; every case expecting none
 * gets none; the malformed input is refused as "not a k8s audit event".
 *
 * Two set-ups:
 * - as Falco 0.34.1 ran them: falco_rules.yaml (falcosecurity/rules falco-rules-0.1.0, its syscall rules skipped,
 *   its lists in use) + the k8saudit 0.5.0 ruleset + the case's override files, in the case's order;
 * - with the ruleset kspect bundles (k8saudit 0.18.0): the same files with the 0.5.0 ruleset replaced; rule names
 *   that changed since are mapped (PROVENANCE.md), and trust_nginx_container.yaml is adapted to the lists k8saudit
 *   renamed from falco_* to k8s_audit_* (plugins commit 24e9f229): it appends nginx to the renamed lists too, and
 *   defines falco_hostnetwork_images, which only the 0.5.0 ruleset defined (unchanged, Falco refuses to load it:
 *   "List uses 'append' … but no list by that name already exists", as kspect does — tested below).
 *
 * In both, engine_v4_k8s_audit_rules.yaml has the one-line fix Falco's own test suite applied when libsinsp stopped
 * accepting `contains` on list fields (falcosecurity/testing f03d938: `ka.req.role.rules.resources contains
 * "pods/exec"` → `intersects ("pods/exec")`); kspect refuses the unfixed file like current Falco (tested below).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { eventsOf, evaluate, loadFalcoRules, type RulesInput } from '../src/engines/falco/engine.js';
import { runCli } from './support/cli.js';

const CONF = join(import.meta.dirname, '../../shared/conformance/falco-k8saudit');
const ROOT = existsSync(CONF) ? CONF : '/work/shared/conformance/falco-k8saudit';
const T = join(ROOT, 'falco-0.34.1-test');
const SETUP = join(import.meta.dirname, 'fixtures/falco-k8saudit-0.34.1');
const BUNDLED = join(import.meta.dirname, '../data/falco/k8s_audit_rules.yaml');

interface Case {
  readonly detect: boolean;
  readonly detect_level?: string;
  readonly rules_file: readonly string[];
  readonly detect_counts?: readonly Record<string, number>[];
  readonly addl_cmdline_opts: string;
}

const cases = (parseYaml(readFileSync(join(T, 'falco_k8s_audit_tests.yaml'), 'utf8'), { customTags: [{ tag: '!mux', collection: 'map', resolve: (v: unknown) => v }] }) as { trace_files: Record<string, Case> }).trace_files;

const RENAMED: Readonly<Record<string, string>> = {
  'K8s Role/Clusterrole Created': 'K8s ClusterRole Created',
  'K8s Role/Clusterrole Deleted': 'K8s ClusterRole Deleted',
  'K8s Role/Clusterrolebinding Created': 'K8s ClusterRoleBinding Created',
  'K8s Role/Clusterrolebinding Deleted': 'K8s ClusterRoleBinding Deleted',
};

const TRUST_ADAPTED = `# trust_nginx_container.yaml adapted to k8saudit 0.18.0 (see the header of this test)
- list: falco_sensitive_mount_images
  items: [nginx]
  append: true
- list: falco_privileged_images
  items: [nginx]
  append: true
- list: falco_hostnetwork_images
  items: [nginx]
- list: k8s_audit_sensitive_mount_images
  items: [nginx]
  append: true
- list: k8s_audit_privileged_images
  items: [nginx]
  append: true
- list: k8s_audit_hostnetwork_images
  items: [nginx]
  append: true
`;

const ENGINE_V4 = readFileSync(join(T, 'rules/k8s_audit/engine_v4_k8s_audit_rules.yaml'), 'utf8');
const ENGINE_V4_FIXED = ENGINE_V4.replace('ka.req.role.rules.resources contains "pods/exec"', 'ka.req.role.rules.resources intersects ("pods/exec")');

function rulesFiles(c: Case, setup: 'upstream' | 'bundled'): RulesInput[] {
  return c.rules_file.map((f) => {
    if (f.endsWith('falcosecurity-rules-falco/falco_rules.yaml')) return { name: 'falco_rules.yaml', text: readFileSync(join(SETUP, 'falco_rules.yaml'), 'utf8') };
    if (f.endsWith('k8saudit-rules/k8s_audit_rules.yaml')) return setup === 'upstream' ? { name: 'k8s_audit_rules.yaml (0.5.0)', text: readFileSync(join(SETUP, 'k8s_audit_rules.yaml'), 'utf8') } : { name: 'k8s_audit_rules.yaml (0.18.0)', text: readFileSync(BUNDLED, 'utf8') };
    const rel = f.replace(/^\.\//, '');
    if (setup === 'bundled' && rel.endsWith('trust_nginx_container.yaml')) return { name: rel, text: TRUST_ADAPTED };
    if (rel.endsWith('engine_v4_k8s_audit_rules.yaml')) return { name: rel, text: ENGINE_V4_FIXED };
    return { name: rel, text: readFileSync(join(T, rel), 'utf8') };
  });
}

function traceOf(c: Case): string {
  const m = /open_params=(\S+)/.exec(c.addl_cmdline_opts);
  if (!m?.[1]) throw new Error(`no trace file in ${c.addl_cmdline_opts}`);
  return join(T, m[1]);
}

function run(c: Case, setup: 'upstream' | 'bundled'): { alerts: { rule: string; priority: string }[]; rejected: string[] } {
  const loaded = loadFalcoRules(rulesFiles(c, setup));
  if (!loaded.ok) throw new Error(`rules did not load: ${loaded.ctx.file}:${loaded.ctx.line}: ${loaded.error}`);
  const alerts: { rule: string; priority: string }[] = [];
  const rejected: string[] = [];
  for (const line of readFileSync(traceOf(c), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      rejected.push('not-json');
      continue;
    }
    const r = eventsOf(v, Buffer.byteLength(line));
    rejected.push(...r.rejected);
    for (const ev of r.events) for (const rule of evaluate(loaded.ruleset, ev)) alerts.push({ rule: rule.name, priority: rule.priority });
  }
  return { alerts, rejected };
}

describe.each(['upstream', 'bundled'] as const)('Falco k8s-audit regression cases (%s set-up)', (setup) => {
  it('there are 66 cases', () => {
    expect(Object.keys(cases)).toHaveLength(66);
  });
  it.each(Object.entries(cases))('%s', (name, c) => {
    const { alerts, rejected } = run(c, setup);
    if (name === 'fal_01_003') {
      expect(rejected).toEqual(['not-an-audit-event']);
      expect(alerts).toEqual([]);
      return;
    }
    expect(rejected).toEqual([]);
    if (!c.detect) {
      expect(alerts).toEqual([]);
      return;
    }
    expect(alerts.length).toBeGreaterThan(0);
    const level = (c.detect_level ?? '').toUpperCase();
    expect(alerts.some((a) => a.priority === level || (level === 'INFO' && a.priority === 'INFORMATIONAL'))).toBe(true);
    for (const counts of c.detect_counts ?? [])
      for (const [rule, n] of Object.entries(counts)) {
        const want = setup === 'bundled' ? (RENAMED[rule] ?? rule) : rule;
        expect(alerts.filter((a) => a.rule === want).length, want).toBe(n);
      }
  });
});

describe('the rule dispatch (rules grouped by the values their conditions require) is exact', () => {
  // Every event of every trace, and variants of each with another verb, resource, subresource, stage, user, namespace
  // or without objectRef / auditID, under every rules set-up of the cases: the rules matched through the dispatch are
  // the rules matched by trying every enabled rule in order ('all' matching, so nothing hides behind a first match).
  const VERBS = ['create', 'delete', 'get', 'list', 'watch', 'patch', 'update', 'deletecollection'];
  const RESOURCES = ['pods', 'secrets', 'configmaps', 'clusterroles', 'clusterrolebindings', 'rolebindings', 'roles', 'namespaces', 'services', 'serviceaccounts', 'deployments', 'nodes', 'ingresses', 'widgets'];
  const variants = (o: Record<string, unknown>): Record<string, unknown>[] => {
    const ref = (o.objectRef ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown>[] = [o, { ...o, objectRef: undefined }, { ...o, auditID: undefined }, { ...o, stage: 'ResponseStarted' }, { ...o, stage: 'RequestReceived' }];
    for (const verb of VERBS) out.push({ ...o, verb });
    for (const resource of RESOURCES) out.push({ ...o, objectRef: { ...ref, resource } }, { ...o, verb: 'create', objectRef: { ...ref, resource, subresource: undefined } });
    for (const subresource of ['exec', 'attach', 'portforward', 'status', 'ephemeralcontainers']) out.push({ ...o, objectRef: { ...ref, resource: 'pods', subresource } });
    for (const namespace of ['kube-system', 'kube-public', 'default', undefined]) out.push({ ...o, objectRef: { ...ref, namespace } });
    for (const username of ['system:anonymous', 'admin', 'system:kube-controller-manager']) out.push({ ...o, user: { username, groups: ['system:authenticated'] } });
    return out.map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);
  };
  const events: Record<string, unknown>[] = [];
  for (const c of Object.values(cases))
    for (const line of readFileSync(traceOf(c), 'utf8').split('\n')) {
      try {
        const v = JSON.parse(line) as unknown;
        if (v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'Event') events.push(v as Record<string, unknown>);
      } catch {
        // the malformed case
      }
    }
  const setups = new Map<string, RulesInput[]>();
  for (const c of Object.values(cases))
    for (const setup of ['upstream', 'bundled'] as const) {
      const files = rulesFiles(c, setup);
      setups.set(files.map((f) => f.name).join(' + '), files);
    }
  it.each([...setups.keys()])('%s', (key) => {
    const loaded = loadFalcoRules(setups.get(key) ?? []);
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.ruleset.field).toBeDefined();
    let compared = 0;
    let matched = 0;
    for (const e of events)
      for (const v of variants(e))
        for (const ev of eventsOf(v, 1).events) {
          const fast = evaluate(loaded.ruleset, ev, 'all').map((r) => r.name);
          const slow = evaluate(loaded.ruleset, ev, 'all', (r) => r.enabled).map((r) => r.name);
          expect(fast).toEqual(slow);
          compared++;
          matched += slow.length;
        }
    expect(compared).toBeGreaterThan(2000);
    expect(matched).toBeGreaterThan(100);
  });
});

describe('files current Falco refuses, kspect refuses the same way', () => {
  it('contains on a list field', () => {
    expect(ENGINE_V4_FIXED).not.toBe(ENGINE_V4);
    const r = loadFalcoRules([{ name: 'engine_v4_k8s_audit_rules.yaml', text: ENGINE_V4 }]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.ctx.line).toBe(284);
      expect(r.error).toBe("'contains' operator not supported list filters (in rule 'ClusterRole With Pod Exec Created')");
    }
  });
  it('append to a list no file defines', () => {
    const r = loadFalcoRules([{ name: 'k8s_audit_rules.yaml', text: readFileSync(BUNDLED, 'utf8') }, { name: 'trust_nginx_container.yaml', text: readFileSync(join(T, 'rules/k8s_audit/trust_nginx_container.yaml'), 'utf8') }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.ctx.file, r.ctx.line, r.error]).toEqual(['trust_nginx_container.yaml', 1, "List uses 'append' or 'override.items: append' but no list by that name already exists"]);
  });
});

describe('the same through the CLI', () => {
  it('create_privileged_pod: one "Create Privileged Pod" finding at the line of the event', async () => {
    const r = await runCli(['audit', 'analyze', join(T, 'trace_files/k8s_audit/create_nginx_pod_privileged.json'), '-f', 'json', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; severity: string; message: string; location: { line: number } }[]; audit: { rules: { rule: string; alerts: number }[] } };
    expect(report.findings.map((f) => [f.checkId, f.severity, f.location.line])).toEqual([['audit-falco-alert', 'medium', 1]]);
    expect(report.findings[0]?.message).toMatch(/^Create Privileged Pod: Pod started with privileged container \(user=system:serviceaccount:kube-system:replicaset-controller pod=nginx-deployment-[\w-]+ resource=pods ns=default images=\(nginx\) init_images=<NA> ephemeral_images=<NA>\)$/);
    expect(report.audit.rules).toEqual([expect.objectContaining({ rule: 'Create Privileged Pod', alerts: 1 })]);
  });
  it('fal_01_003: refused as not an audit event, exit 2 with one line', async () => {
    const r = await runCli(['audit', 'analyze', join(T, 'trace_files/k8s_audit/fal_01_003.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/fal_01_003\.json:1: 1 line is not a Kubernetes audit event \(data not recognized as a k8s audit event\)/);
  });
});

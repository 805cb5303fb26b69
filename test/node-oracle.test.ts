/**
 * kspect node against kube-bench's own definitions: for every automated CIS check of sections 1, 2
 * and 4, generated good and bad node trees (one change from a kubeadm-like good node each) are
 * audited by kspect and by the kube-bench interpreter of test/support/kube-bench-oracle.ts, fed with
 * the output its audit commands would print on that tree. The verdicts must agree, except in the
 * listed cases where kube-bench departs from how the kubelet reads its settings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNode } from '../src/api/node.js';
import { findNodeControl } from '../src/checks/node-controls/benchmark.js';
import { nodeChecks } from '../src/checks/registry/node.js';
import { loadKubeBench, runKubeBench, type KbCheck, type KbItem } from './support/kube-bench-oracle.js';
import { buildNodeTree, ETCD_UID, goodNode, kubeletCommandLine, NOBODY_UID, removeTree, withFlag, type NodeSpec } from './support/node-tree.js';

const VARS: Readonly<Record<string, string>> = {
  apiserverconf: '/etc/kubernetes/manifests/kube-apiserver.yaml',
  controllermanagerconf: '/etc/kubernetes/manifests/kube-controller-manager.yaml',
  schedulerconf: '/etc/kubernetes/manifests/kube-scheduler.yaml',
  etcdconf: '/etc/kubernetes/manifests/etcd.yaml',
  schedulerkubeconfig: '/etc/kubernetes/scheduler.conf',
  controllermanagerkubeconfig: '/etc/kubernetes/controller-manager.conf',
  kubeletsvc: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  kubeletkubeconfig: '/etc/kubernetes/kubelet.conf',
  kubeletconf: '/var/lib/kubelet/config.yaml',
  proxykubeconfig: '/etc/kubernetes/proxy.conf',
};

type Comp = 'apiserver' | 'controllerManager' | 'scheduler' | 'etcd' | 'kubelet' | 'proxy';
const BIN: Readonly<Record<string, Comp>> = { apiserverbin: 'apiserver', controllermanagerbin: 'controllerManager', schedulerbin: 'scheduler', etcdbin: 'etcd', kubeletbin: 'kubelet', proxybin: 'proxy' };

// ---------------------------------------------------------------- simulated audit commands

function names(root: string, file: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const l of readFileSync(join(root, file), 'utf8').split('\n')) {
    const f = l.split(':');
    if (f[0]) m.set(Number(f[2]), f[0]);
  }
  return m;
}

/** `stat -c permissions=%a` and `stat -c %U:%G` on a node path, as coreutils prints them. */
function stat(root: string, node: string): { perm: string; owner: string } {
  const st = statSync(join(root, node));
  return { perm: (st.mode & 0o7777).toString(8), owner: `${names(root, 'etc/passwd').get(st.uid) ?? 'UNKNOWN'}:${names(root, 'etc/group').get(st.gid) ?? 'UNKNOWN'}` };
}

function commandLine(spec: NodeSpec, c: Comp): string {
  if (c === 'kubelet') return kubeletCommandLine(spec);
  const bin = { apiserver: 'kube-apiserver', controllerManager: 'kube-controller-manager', scheduler: 'kube-scheduler', etcd: 'etcd', proxy: '/usr/local/bin/kube-proxy' }[c];
  const flags = spec[c];
  return flags ? `${bin} ${flags.join(' ')}` : '';
}

/** What the check's audit (and audit_config) command prints on this tree. */
function auditOutputs(check: KbCheck, spec: NodeSpec, root: string): { audit: string; config?: string; env: string } {
  const a = check.audit;
  const env = Object.entries(spec.etcdEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const ps = /ps -(?:ef|fC)[^$]*\$(\w+)/.exec(a);
  if (ps?.[1] !== undefined && !a.includes('stat')) {
    const comp = BIN[ps[1]];
    if (!comp) throw new Error(`${check.id}: unknown binary ${ps[1]}`);
    let config: string | undefined;
    if (check.auditConfig?.includes('$kubeletconf')) config = spec.kubeletConfig ? readFileSync(join(root, VARS.kubeletconf ?? ''), 'utf8') : '';
    if (check.auditConfig?.includes('$proxykubeconfig')) config = '';
    return { audit: commandLine(spec, comp), ...(config !== undefined ? { config } : {}), env };
  }
  if (check.id === '1.1.11' || check.id === '1.1.12') {
    const s = stat(root, '/var/lib/etcd');
    return { audit: check.id === '1.1.11' ? `permissions=${s.perm}` : s.owner, env };
  }
  if (check.id === '1.1.13' || check.id === '1.1.14') {
    const lines = ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'].map((p) => {
      const s = stat(root, p);
      return check.id === '1.1.13' ? `permissions=${s.perm} ${p}` : `ownership=${s.owner} ${p}`;
    });
    return { audit: lines.join('\n'), env };
  }
  if (a.includes('find /etc/kubernetes/pki/')) {
    const lines: string[] = [];
    const walk = (p: string): void => {
      lines.push(stat(root, p).owner);
      if (statSync(join(root, p)).isDirectory()) for (const e of readdir(root, p)) walk(`${p}/${e}`);
    };
    walk('/etc/kubernetes/pki');
    return { audit: lines.join('\n'), env };
  }
  const v = /stat -c (permissions=%a|%U:%G) \$(\w+)/.exec(a) ?? /\$(etcdconf) -name '\*etcd\*' \| xargs stat -c (permissions=%a|%U:%G)/.exec(a);
  if (v) {
    const [fmt, variable] = v[1]?.startsWith('$') || v[1] === 'etcdconf' ? [v[2], v[1]] : [v[1], v[2]];
    const p = VARS[variable ?? ''];
    if (!p) throw new Error(`${check.id}: unknown variable ${variable ?? ''}`);
    let exists = true;
    try {
      statSync(join(root, p));
    } catch {
      exists = false;
    }
    if (!exists) return { audit: a.includes('File not found') ? 'File not found' : '', env };
    const s = stat(root, p);
    return { audit: fmt === 'permissions=%a' ? `permissions=${s.perm}` : s.owner, env };
  }
  throw new Error(`${check.id}: no simulation for audit ${a}`);
}

function readdir(root: string, p: string): string[] {
  return readdirSync(join(root, p)).sort();
}

// ---------------------------------------------------------------- variants

interface Variant {
  readonly label: string;
  readonly spec: NodeSpec;
  /** A kubelet flag/config combination where kube-bench departs from the kubelet's rules. */
  readonly divergence?: string;
  /** kspect's expected verdict in a divergence (the kubelet's own reading). */
  readonly faithful?: 'PASS' | 'FAIL';
}

const OTHER: Readonly<Record<string, string>> = {
  '--authorization-mode': 'RBAC',
  '--enable-admission-plugins': 'NamespaceLifecycle',
  '--disable-admission-plugins': 'DefaultStorageClass',
  '--feature-gates': 'SomeGate=true',
};

/** Candidate values for a flag item, from its compare op. */
function candidates(item: KbItem): (string | undefined)[] {
  const out: (string | undefined)[] = [undefined];
  const c = item.compare;
  if (!c) return item.set ? [...out, '/etc/kubernetes/pki/some-file'] : (item.flag ?? '').includes('file') ? [...out, '/tmp/tokens.csv'] : [...out, 'true'];
  const v = c.value;
  switch (c.op) {
    case 'eq':
    case 'noteq':
      if (v === 'true' || v === 'false') return [...out, 'true', 'false'];
      if (v === '127.0.0.1') return [...out, '127.0.0.1', '0.0.0.0'];
      return [...out, v, `${v}x`];
    case 'gte':
      return [...out, String(Number(v) - 1), v, String(Number(v) + 1), '0'];
    case 'has':
    case 'nothave': {
      const other = OTHER[item.flag ?? ''] ?? 'Other';
      return [...out, v, `${other},${v}`, other];
    }
    default:
      return out;
  }
}

function setComponentFlag(spec: NodeSpec, comp: Comp, flag: string, value: string | undefined): NodeSpec {
  const name = flag.replace(/^--/, '');
  if (comp === 'kubelet') return { ...spec, kubelet: withFlag(spec.kubelet ?? [], name, value) };
  const cur = spec[comp];
  return { ...spec, [comp]: withFlag(cur ?? [], name, value) };
}

function setConfigPath(spec: NodeSpec, path: string, value: unknown): NodeSpec {
  const keys = /^\{\.([A-Za-z0-9_.]+)\}$/.exec(path)?.[1]?.split('.') ?? [];
  const cfg: Record<string, unknown> = structuredClone(spec.kubeletConfig ?? {});
  let cur = cfg;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) {
      if (value === undefined) Reflect.deleteProperty(cur, k);
      else cur[k] = value;
    } else cur = (cur[k] ??= {}) as Record<string, unknown>;
  });
  return { ...spec, kubeletConfig: cfg };
}

function typed(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** The kubelet's own reading for the automated kubelet checks: flag over config over default. */
const KUBELET_FAITHFUL: Readonly<Record<string, { flag: string; def?: string; ok: (v: string | undefined) => boolean }>> = {
  '4.2.1': { flag: '--anonymous-auth', def: 'false', ok: (v) => v?.toLowerCase() === 'false' },
  '4.2.2': { flag: '--authorization-mode', def: 'Webhook', ok: (v) => v !== undefined && !v.includes('AlwaysAllow') },
  '4.2.3': { flag: '--client-ca-file', ok: (v) => v !== undefined && v !== '' },
  '4.2.6': { flag: '--make-iptables-util-chains', def: 'true', ok: (v) => v?.toLowerCase() === 'true' },
  '4.2.10': { flag: '--rotate-certificates', ok: (v) => v === undefined || v.toLowerCase() !== 'false' },
};

function variantsFor(check: KbCheck): Variant[] {
  const base = goodNode();
  const out: Variant[] = [{ label: 'good node', spec: base }];
  const ps = /ps -(?:ef|fC)[^$]*\$(\w+)/.exec(check.audit);
  if (ps?.[1] !== undefined && !check.audit.includes('stat')) {
    const comp = BIN[ps[1]];
    if (!comp) return out;
    const pathItem = check.items.find((i) => i.path !== undefined);
    for (const item of check.items) {
      if (!item.flag?.startsWith('--')) continue;
      for (const v of candidates(item)) {
        const spec = setComponentFlag(base, comp, item.flag, v);
        if (comp !== 'kubelet' || !pathItem?.path) {
          if (comp === 'proxy' && v !== undefined && !v.includes('127.0.0.1')) {
            // kube-bench's audit_config for 4.3.1 reads the kube-proxy kubeconfig, which never holds metricsBindAddress.
            out.push({ label: `${item.flag}=${v}`, spec, divergence: 'D: kube-bench falls back to the kube-proxy kubeconfig, where the setting never is', faithful: 'FAIL' });
            continue;
          }
          out.push({ label: `${item.flag}=${v ?? '(unset)'}`, spec });
          if (comp === 'etcd' && item.env && v !== undefined) out.push({ label: `${item.env}=${v} (env)`, spec: { ...setComponentFlag(base, comp, item.flag, undefined), etcdEnv: { [item.env]: v } } });
          continue;
        }
        // kubelet: every flag value × every config value (including absent)
        for (const cv of candidates(item)) {
          const s2 = setConfigPath(spec, pathItem.path, typed(cv));
          const f = KUBELET_FAITHFUL[check.id];
          let faithful: 'PASS' | 'FAIL' | undefined;
          let divergence: string | undefined;
          if (f) {
            const eff = v ?? cv ?? f.def;
            faithful = f.ok(eff) ? 'PASS' : 'FAIL';
            if (v !== undefined && !f.ok(v) && (cv !== undefined ? f.ok(cv) : check.items.some((i) => !i.set))) divergence = 'A: the flag overrides the config file, but kube-bench falls back to the config when the flag fails';
            else if (v === undefined && cv === undefined && f.def !== undefined && check.items.every((i) => i.set)) divergence = 'B: the KubeletConfiguration default applies, kube-bench requires an explicit value';
            else if (v === undefined && cv !== undefined && !f.ok(cv) && check.items.some((i) => !i.set)) divergence = 'C: kube-bench passes on the absent flag and never reads the config file';
          }
          out.push({ label: `${item.flag}=${v ?? '(unset)'} config=${cv ?? '(unset)'}`, spec: s2, ...(divergence ? { divergence, faithful: faithful ?? 'FAIL' } : {}) });
        }
      }
    }
    return out;
  }
  // File checks.
  const isPerm = check.audit.includes('permissions=%a') || check.audit.includes('permissions=');
  const targets: string[] = [];
  const v = /\$(\w+conf\w*|kubeletsvc|\w+kubeconfig)/.exec(check.audit);
  if (check.id === '1.1.11' || check.id === '1.1.12') targets.push('/var/lib/etcd');
  else if (check.id === '1.1.13' || check.id === '1.1.14') targets.push('/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf');
  else if (check.audit.includes('/etc/kubernetes/pki/')) targets.push('/etc/kubernetes/pki/ca.key', '/etc/kubernetes/pki/etcd', '/etc/kubernetes/pki');
  else if (v?.[1] !== undefined && VARS[v[1]]) targets.push(VARS[v[1]] ?? '');
  for (const t of targets) {
    if (isPerm) for (const m of [0o600, 0o400, 0o644, 0o640, 0o700, 0o755, 0o666, 0o000, 0o4600]) out.push({ label: `${t} mode ${m.toString(8)}`, spec: { ...base, modes: { ...base.modes, [t]: m } } });
    else
      for (const o of [
        [0, 0],
        [ETCD_UID, ETCD_UID],
        [0, ETCD_UID],
        [NOBODY_UID, NOBODY_UID],
      ] as [number, number][])
        out.push({ label: `${t} owner ${o.join(':')}`, spec: { ...base, owners: { ...base.owners, [t]: o } } });
  }
  return out;
}

// ---------------------------------------------------------------- the comparison

const checks = loadKubeBench().filter((c) => /^[124]\./.test(`${c.id}.`) && c.automated);
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) removeTree(r);
});
const tally = { variants: 0, agree: 0, divergent: 0 };

describe('kspect node agrees with kube-bench on every automated CIS check', () => {
  it('covers every automated check of sections 1, 2 and 4 (65 in CIS 1.12)', () => {
    expect(checks.length).toBe(65);
    for (const c of checks) expect(findNodeControl(nodeChecks, c.id)?.control.automated, `CIS ${c.id} has no automated kspect control`).toBe(true);
  });

  for (const check of checks) {
    it(`CIS ${check.id}`, async () => {
      const control = findNodeControl(nodeChecks, check.id);
      if (!control) throw new Error(`no control for ${check.id}`);
      const variants = variantsFor(check);
      expect(variants.length, 'generated variants').toBeGreaterThan(2);
      const seen = new Set<string>();
      for (const variant of variants) {
        const root = buildNodeTree(variant.spec);
        roots.push(root);
        const out = auditOutputs(check, variant.spec, root);
        const oracle = runKubeBench(check, out.audit, out.config, out.env);
        // The whole pipeline of kspect node: the node's inventory objects through the runner to the benchmark view.
        const report = await checkNode({ root, processes: true, only: [control.id], settings: { now: new Date(0) } });
        const result = report.controls?.results.find((r) => r.id === control.id);
        const verdict = result?.verdict;
        expect(['PASS', 'FAIL', 'WARN'], `${check.id} ${variant.label}: kspect says ${verdict ?? '?'}: ${result?.reason ?? ''}`).toContain(verdict);
        const kspect = verdict === 'PASS' ? 'PASS' : 'FAIL';
        tally.variants++;
        seen.add(variant.faithful ?? oracle);
        if (variant.divergence) {
          tally.divergent++;
          expect(kspect, `${check.id} ${variant.label} (${variant.divergence})`).toBe(variant.faithful);
          expect(oracle, `${check.id} ${variant.label}: listed as a divergence but kube-bench agrees`).not.toBe(variant.faithful);
        } else {
          tally.agree++;
          expect(kspect, `${check.id} ${variant.label}: kube-bench ${oracle}, kspect ${verdict ?? '?'} (${result?.reason ?? ''})`).toBe(oracle);
        }
        removeTree(root);
      }
      // Every check sees both outcomes on the generated inputs.
      expect([...seen].sort(), `${check.id}: generated inputs should both pass and fail`).toEqual(['FAIL', 'PASS']);
    });
  }

  it('reports the tally', () => {
    expect(tally.variants).toBeGreaterThan(300);
    console.log(`kube-bench oracle: ${tally.variants} variants, ${tally.agree} identical verdicts, ${tally.divergent} documented divergences`);
  });
});

/**
 * kspect node end to end: the built CLI on node trees built in temporary folders (real modes and
 * owners), good and bad ones, non-default paths, missing files and hostile input.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.js';
import { parseReport, runCli } from './support/cli.js';
import { buildNodeTree, goodNode, PLANTED_KEY_B64, removeTree, symlink, withFlag, type NodeSpec } from './support/node-tree.js';
import { FORMATS } from '../src/reporters/index.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) removeTree(r);
});
function tree(spec: NodeSpec): string {
  const r = buildNodeTree(spec);
  roots.push(r);
  return r;
}
function verdicts(stdout: string): Map<string, { verdict: string; reason: string }> {
  const report = JSON.parse(stdout) as Report;
  return new Map((report.controls?.results ?? []).map((r) => [r.cis ?? r.id, { verdict: r.verdict, reason: r.reason }]));
}

describe('kspect node', () => {
  it('passes a hardened kubeadm-like node (exit 0), grouped by CIS section like kube-bench', async () => {
    const root = tree(goodNode());
    const r = await runCli(['node', '--root', root, '--processes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\.2 API server$/m);
    expect(r.stdout).toMatch(/^\[PASS\]\s+1\.2\.15\s+API server profiling is disabled/m);
    expect(r.stdout).toMatch(/^\[MANUAL\]\s+1\.2\.20/m);
    expect(r.stdout).not.toMatch(/^\[FAIL\]/m);
    const j = await runCli(['node', '--root', root, '--processes', '--format', 'json']);
    const v = verdicts(j.stdout);
    const automated = (JSON.parse(j.stdout) as Report).controls?.results.filter((x) => x.cis !== undefined && x.automated) ?? [];
    expect(automated.length).toBe(65);
    for (const x of automated) expect(x.verdict, `${x.cis ?? ''} ${x.reason}`).toBe('PASS');
    expect(v.get('apiserver-encryption-config')?.verdict).toBe('PASS');
    expect(v.get('apiserver-audit-policy')?.verdict).toBe('PASS');
    expect(v.get('etcd-shared-ca')?.verdict).toBe('PASS');
  });

  it('fails insecure flags and wrong permissions (exit 1), with findings at the flag', async () => {
    const s = goodNode();
    let api = withFlag(s.apiserver ?? [], 'authorization-mode', 'AlwaysAllow');
    api = withFlag(api, 'enable-admission-plugins', 'AlwaysAdmit');
    api = withFlag(api, 'token-auth-file', '/etc/kubernetes/tokens.csv');
    api = withFlag(api, 'tls-min-version', 'VersionTLS10');
    const etcd = withFlag(withFlag(s.etcd ?? [], 'client-cert-auth', 'false'), 'trusted-ca-file', '/etc/kubernetes/pki/ca.crt');
    const root = tree({
      ...s,
      apiserver: api,
      etcd,
      kubeletConfig: { ...s.kubeletConfig, readOnlyPort: 10255, authentication: { anonymous: { enabled: true } } },
      modes: { '/etc/kubernetes/admin.conf': 0o644, '/etc/kubernetes/pki/ca.key': 0o644, '/var/lib/etcd': 0o755, '/etc/kubernetes/enc/encryption.yaml': 0o644 },
      owners: { '/etc/kubernetes/manifests/kube-apiserver.yaml': [65534, 65534] },
    });
    const r = await runCli(['node', '--root', root, '--format', 'json']);
    expect(r.code).toBe(1);
    const v = verdicts(r.stdout);
    for (const id of ['1.2.6', '1.2.7', '1.2.8', '1.2.10', '1.2.2', '2.2', '4.2.1', '1.1.13', '1.1.11', '1.1.2', 'apiserver-tls-min-version', 'etcd-shared-ca', 'kubelet-read-only-port-open', 'encryption-config-permissions', 'pki-private-key-permissions'])
      expect(v.get(id)?.verdict, id).toBe('FAIL');
    expect(v.get('1.1.2')?.reason).toContain('nobody:nogroup');
    const report = parseReport(r.stdout);
    const f = report.findings.find((x) => x.checkId === 'apiserver-authorization-always-allow');
    expect(f?.path).toMatch(/^spec\.containers\[0\]\.command\[\d+\]$/);
    expect(f?.location?.file).toContain('kube-apiserver.yaml');
    expect(f?.references.cis).toEqual(['1.2.6']);
  });

  it('follows non-default paths from the flags that name them', async () => {
    const s = goodNode();
    const root = tree({
      ...s,
      scheduler: withFlag(s.scheduler ?? [], 'kubeconfig', '/opt/k8s/sched.kubeconfig'),
      etcd: withFlag(s.etcd ?? [], 'data-dir', '/data/etcd'),
      kubelet: [...(s.kubelet ?? []), '--kubeconfig=/opt/k8s/kubelet.kubeconfig'],
      extra: { '/opt/k8s/sched.kubeconfig': 'apiVersion: v1\nkind: Config\n', '/opt/k8s/kubelet.kubeconfig': 'apiVersion: v1\nkind: Config\n' },
      modes: { '/opt/k8s/sched.kubeconfig': 0o644 },
    });
    mkdirSync(join(root, 'data/etcd'), { recursive: true });
    chmodSync(join(root, 'data/etcd'), 0o750);
    const r = await runCli(['node', '--root', root, '--format', 'json']);
    const v = verdicts(r.stdout);
    expect(v.get('1.1.15')?.verdict).toBe('FAIL');
    expect(v.get('1.1.15')?.reason).toContain('/opt/k8s/sched.kubeconfig');
    expect(v.get('1.1.11')?.verdict).toBe('FAIL');
    expect(v.get('1.1.11')?.reason).toContain('/data/etcd has mode 750');
    expect(v.get('1.1.12')?.reason).toContain('root:root');
    // The kubelet's --kubeconfig from kubeadm-flags.env comes last on the command line and wins.
    expect(v.get('4.1.5')?.reason).toContain('/opt/k8s/kubelet.kubeconfig');
  });

  it('reports missing components and files as NOT EVALUATED, never as passed', async () => {
    const s = goodNode();
    const root = tree({ ...s, scheduler: null, remove: ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf', '/etc/kubernetes/pki'] });
    const r = await runCli(['node', '--root', root, '--format', 'json']);
    const v = verdicts(r.stdout);
    expect(v.get('1.4.1')).toEqual({ verdict: 'NOT_EVALUATED', reason: expect.stringContaining('kube-scheduler not found') as string });
    expect(v.get('1.1.5')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('1.1.13')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('1.1.19')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('1.2.15')?.verdict).toBe('PASS');
    const t = await runCli(['node', '--root', root]);
    expect(t.stdout).toMatch(/^\[NOT EVALUATED\]\s+1\.4\.1/m);
  });

  it('turns bad input into one-line errors and audits the rest (exit 2)', async () => {
    const s = goodNode();
    const big = `--oidc-username-claim=${'x'.repeat(200 * 1024)}`;
    const root = tree({
      ...s,
      apiserver: [...(s.apiserver ?? []), big],
      kubelet: [...(s.kubelet ?? []), '--config=/var/lib/kubelet/cfgdir'],
      extra: { '/etc/kubernetes/manifests/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', '/etc/kubernetes/manifests/broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: [\n' },
    });
    symlink(root, '/etc/kubernetes/admin.conf', '/etc/kubernetes/admin.conf');
    symlink(root, '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/loop-b');
    symlink(root, '/etc/kubernetes/loop-b', '/etc/kubernetes/scheduler.conf');
    mkdirSync(join(root, 'var/lib/kubelet/cfgdir'), { recursive: true });
    const r = await runCli(['node', '--root', root, '--format', 'json']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    for (const l of lines) expect(l).toMatch(/^kspect: /);
    expect(r.stderr).toMatch(/configmap\.yaml.*is a v1 ConfigMap, not a v1 Pod/);
    expect(r.stderr).toMatch(/broken\.yaml:\d+/);
    expect(r.stderr).toMatch(/admin\.conf: cannot examine: too many levels of symbolic links/);
    expect(r.stderr).toMatch(/kube-apiserver\.yaml: container "kube-apiserver": argument \d+ is \d+ bytes/);
    expect(r.stderr).not.toContain('xxxxxxxxxx');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const v = verdicts(r.stdout);
    expect(v.get('1.2.15')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('1.3.2')?.verdict).toBe('PASS');
    expect(v.get('1.1.15')?.verdict).toBe('NOT_EVALUATED');
    expect(r.stderr).toMatch(/cfgdir: cannot read the kubelet config file: is a folder/);
    expect(v.get('4.2.1')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('4.1.5')?.verdict).toBe('PASS');
    const allowed = await runCli(['node', '--root', root, '--allow-invalid', '--fail-on', 'critical', '--format', 'json']);
    expect(allowed.code).toBe(0);
  });

  it('never prints key material, in any format', async () => {
    const s = goodNode();
    const root = tree({ ...s, encryptionConfig: { ...s.encryptionConfig, resources: [{ resources: ['secrets'], providers: [{ identity: {} }, { aescbc: { keys: [{ name: 'k', secret: PLANTED_KEY_B64 }, { name: 'k', secret: PLANTED_KEY_B64.slice(0, 20) }] } }] }] } });
    const dir = mkdtempSync(join(tmpdir(), 'kspect-enc-'));
    roots.push(dir);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, `kind: EncryptionConfiguration\nresources:\n  - providers:\n    - secretbox: {keys: [{name: a, secret: ${PLANTED_KEY_B64}]\n`);
    for (const format of FORMATS) {
      for (const extra of [[], ['--encryption-config', broken]]) {
        const r = await runCli(['node', '--root', root, '--format', format, '--verbose', ...extra]);
        expect(r.stderr, format).not.toMatch(/--format must be one of/);
        expect(r.stdout + r.stderr).not.toContain(PLANTED_KEY_B64);
        expect(r.stdout + r.stderr).not.toContain(PLANTED_KEY_B64.slice(0, 20));
        expect(r.stdout + r.stderr).not.toContain(Buffer.from(PLANTED_KEY_B64, 'base64').toString('latin1').slice(0, 16));
      }
    }
    const j = await runCli(['node', '--root', root, '--format', 'json']);
    expect(verdicts(j.stdout).get('apiserver-encryption-config')?.reason).toMatch(/identity: new writes are stored in plaintext/);
  });

  it('reads a running process with --processes (real /proc)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-proc-'));
    roots.push(dir);
    writeFileSync(join(dir, 'sleep.js'), 'setTimeout(() => {}, 60000);\n');
    // argv[0] is what /proc/<pid>/cmdline shows first: this process looks like a kube-scheduler.
    const child = spawn(process.execPath, [join(dir, 'sleep.js'), '--profiling=true', '--bind-address=0.0.0.0'], { argv0: 'kube-scheduler', stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      // A tree whose /proc is this machine's /proc (an absolute link outside the tree, read as the host's).
      const root = tree({ ...goodNode(), scheduler: null, proxy: null });
      symlinkSync('/proc', join(root, 'proc'));
      const r = await runCli(['node', '--root', root, '--processes', '--checks', '1.4.1,1.4.2', '--format', 'json']);
      const v = verdicts(r.stdout);
      expect(v.get('1.4.1')).toEqual({ verdict: 'WARN', reason: '--profiling=true (must be false)' });
      expect(v.get('1.4.2')?.verdict).toBe('FAIL');
    } finally {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
  });

  it('lists the controls and their automation', async () => {
    const r = await runCli(['node', '--list-checks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\.2\.6\s+yes\s+apiserver-authorization-always-allow/m);
    expect(r.stdout).toMatch(/^1\.2\.20\s+MANUAL/m);
    const j = JSON.parse((await runCli(['node', '--list-checks', '--format', 'json'])).stdout) as { cis: string | null; automated: boolean }[];
    expect(j.filter((c) => c.cis !== null && c.automated).length).toBe(65);
  });

  it('runs through the one runner: severity overrides, exemptions, disabled checks, baselines and --fail-on-not-evaluated apply', async () => {
    const s = goodNode();
    const root = tree({ ...s, apiserver: withFlag(s.apiserver ?? [], 'profiling', 'true'), modes: { '/etc/kubernetes/admin.conf': 0o644, '/etc/kubernetes/super-admin.conf': 0o644 } });
    const dir = mkdtempSync(join(tmpdir(), 'kspect-node-config-'));
    roots.push(dir);
    const plain = await runCli(['node', '--root', root, '-f', 'json']);
    const before = verdicts(plain.stdout);
    expect(before.get('1.2.15')?.verdict).toBe('WARN'); // low severity
    expect(before.get('1.1.13')?.verdict).toBe('FAIL');
    expect(plain.code).toBe(0); // nothing at or above high
    writeFileSync(
      join(dir, '.kspect.yaml'),
      [
        'severity:',
        '  apiserver-profiling: high',
        'checks:',
        '  disable: [apiserver-hsts]',
        'exemptions:',
        '  - checks: [admin-kubeconfig-permissions]',
        '    kinds: [NodeFile]',
        '    names: [/etc/kubernetes/admin.conf]',
        '    reason: reviewed by the platform team',
        '',
      ].join('\n'),
    );
    const r = await runCli(['node', '--root', root, '-f', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    const v = verdicts(r.stdout);
    expect(v.get('1.2.15')?.verdict).toBe('FAIL'); // the override made it high
    expect(r.code).toBe(1);
    expect(v.has('apiserver-hsts')).toBe(false);
    expect(report.checks.some((c) => c.id === 'apiserver-hsts')).toBe(false);
    // One of the two admin kubeconfigs is exempted: its finding is suppressed, the other still fails the control.
    expect(report.suppressed.map((x) => `${x.by} ${x.finding.checkId} ${x.finding.resource?.name ?? ''}`)).toEqual(['config admin-kubeconfig-permissions /etc/kubernetes/admin.conf']);
    expect(v.get('1.1.13')?.verdict).toBe('FAIL');
    // A baseline of every finding: all suppressed, the controls keep their verdict and say who accepted them, exit 0.
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, JSON.stringify({ baselineVersion: 1, entries: report.findings.map((f) => ({ fingerprint: f.fingerprint })) }));
    const b = await runCli(['node', '--root', root, '-f', 'json', '--baseline', baseline], { cwd: dir });
    const br = JSON.parse(b.stdout) as Report;
    expect(br.findings).toEqual([]);
    expect(b.code, b.stderr).toBe(0);
    expect(verdicts(b.stdout).get('1.2.15')).toEqual({ verdict: 'FAIL', reason: 'accepted by the baseline: --profiling=true (must be false)' });
    // Manual controls do not trip --fail-on-not-evaluated; a control that could not be evaluated does.
    expect((await runCli(['node', '--root', root, '--processes', '--baseline', baseline, '--fail-on-not-evaluated'], { cwd: dir })).code).toBe(0);
    const missing = tree({ ...goodNode(), scheduler: null });
    expect((await runCli(['node', '--root', missing, '--fail-on-not-evaluated'])).code).toBe(1);
  });

  it('explains every control it prints, with its remediation in the table', async () => {
    const e = await runCli(['explain', 'apiserver-profiling']);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^apiserver-profiling — API server profiling is disabled/);
    expect(e.stdout).toContain('References: CIS 1.2.15');
    const root = tree({ ...goodNode(), apiserver: withFlag(goodNode().apiserver ?? [], 'profiling', 'true') });
    const t = await runCli(['node', '--root', root]);
    expect(t.stdout).toMatch(/\[WARN\]\s+1\.2\.15 .*\n\s+--profiling=true \(must be false\)\n\s+fix: Set --profiling=false\./);
  });

  it('scan judges a static pod manifest with the same per-control checks as node, one fingerprint per control', async () => {
    const s = goodNode();
    let api = withFlag(s.apiserver ?? [], 'authorization-mode', 'AlwaysAllow');
    api = withFlag(withFlag(withFlag(api, 'profiling', undefined), 'kubelet-certificate-authority', undefined), 'tls-min-version', 'VersionTLS10');
    const root = tree({ ...s, apiserver: api });
    const manifest = join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
    const scan = JSON.parse((await runCli(['scan', manifest, '-f', 'json'])).stdout) as Report;
    const node = JSON.parse((await runCli(['node', '--root', root, '-f', 'json'])).stdout) as Report;
    const key = (f: Report['findings'][number]) => `${f.checkId} ${f.path ?? ''} ${f.message}`;
    const nodeIds = new Set(node.checks.map((c) => c.id));
    const fromScan = scan.findings.filter((f) => nodeIds.has(f.checkId)).map(key).sort();
    const fromNode = node.findings.filter((f) => f.resource?.kind === 'Pod' && f.resource.name === 'kube-apiserver').map(key).sort();
    expect(fromScan).toEqual(fromNode);
    expect(fromScan.map((k) => k.split(' ')[0])).toEqual(['apiserver-authorization-always-allow', 'apiserver-authorization-node', 'apiserver-authorization-rbac', 'apiserver-kubelet-certificate-authority', 'apiserver-profiling', 'apiserver-tls-min-version']);
    // Two controls failing on the same missing flag position no longer share a fingerprint.
    const fps = scan.findings.map((f) => f.fingerprint);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it('rejects bad flags on one line (exit 2)', async () => {
    for (const args of [['--bogus'], ['--format', 'yaml'], ['--checks', '9.9.9'], ['--k8s-version', 'latest']]) {
      const r = await runCli(['node', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const h = await runCli(['node', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--processes');
  });
});

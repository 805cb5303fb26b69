/**
 * kspect node never fails open and never hangs, driving the built CLI on node trees built in temporary folders:
 * whatever could change a verdict and could not be read (the kubelet's EnvironmentFile, a unit, a --config-dir
 * drop-in, the account files, a PKI sub-folder, etcd's environment) makes the controls that depend on it NOT
 * EVALUATED — never PASS; FIFOs, devices, sockets and symlink loops in --root are refused by type with one line
 * naming the file while the rest is audited; drop-ins with __proto__ / constructor / prototype keys change nothing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.js';
import { BIN, REPO_ROOT, runCli, type CliResult } from './support/cli.js';
import { buildNodeTree, goodNode, NOBODY_UID, removeTree, symlink, withFlag, type NodeSpec } from './support/node-tree.js';

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
/** The kubelet controls decided by its flags or its config file: all of them depend on the command line. */
const KUBELET = ['4.2.1', '4.2.2', '4.2.3', '4.2.6', '4.2.10', 'kubelet-read-only-port-open', 'kubelet-tls-min-version'];

/** A node whose kubeadm-flags.env turns anonymous access on: losing that file would turn 4.2.1 into a PASS. */
function anonymousViaEnvFile(): NodeSpec {
  const s = goodNode();
  return { ...s, kubelet: [...(s.kubelet ?? []), '--anonymous-auth=true'] };
}

function expectOneLinePerProblem(r: CliResult): void {
  const lines = r.stderr.trim().split('\n');
  for (const l of lines) expect(l).toMatch(/^kspect: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('kspect node: what cannot be read is not evaluated, never passed', () => {
  it('reads the anonymous-auth flag from kubeadm-flags.env (the baseline of the cases below)', async () => {
    const r = await runCli(['node', '--root', tree(anonymousViaEnvFile()), '--checks', '4.2.1', '-f', 'json']);
    expect(verdicts(r.stdout).get('4.2.1')).toEqual({ verdict: 'FAIL', reason: '--anonymous-auth=true (must be false)' });
  });

  const envFileCases: [string, (root: string) => void][] = [
    ['is a folder', (root) => {
      rmSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'));
      mkdirSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'));
    }],
    ['is over the size limit', (root) => {
      writeFileSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'), `KUBELET_KUBEADM_ARGS="--anonymous-auth=true"\n#${'x'.repeat(5 * 1024 * 1024)}\n`);
    }],
    ['is a FIFO', (root) => {
      rmSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'));
      execFileSync('mkfifo', [join(root, 'var/lib/kubelet/kubeadm-flags.env')]);
    }],
    ['is a symlink loop', (root) => {
      symlink(root, '/var/lib/kubelet/kubeadm-flags.env', '/var/lib/kubelet/kubeadm-flags.env');
    }],
  ];
  for (const [what, breakIt] of envFileCases)
    it(`an EnvironmentFile that ${what} makes every kubelet control NOT EVALUATED (exit 2, one line naming it)`, async () => {
      const root = tree(anonymousViaEnvFile());
      breakIt(root);
      const r = await runCli(['node', '--root', root, '-f', 'json'], { timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expectOneLinePerProblem(r);
      expect(r.stderr).toMatch(/kubeadm-flags\.env: cannot read the kubelet's EnvironmentFile: .*; the kubelet's flags are not evaluated/);
      const v = verdicts(r.stdout);
      for (const id of KUBELET) expect(v.get(id)?.verdict, id).toBe('NOT_EVALUATED');
      expect(v.get('4.2.1')?.reason).toContain('kubeadm-flags.env');
      // The rest of the node is audited.
      expect(v.get('1.2.15')?.verdict).toBe('PASS');
      expect(v.get('4.1.1')?.verdict).toBe('PASS');
    });

  it('an EnvironmentFile kspect may not read (permission denied, as a non-root auditor) is not evaluated', async () => {
    const root = tree(anonymousViaEnvFile());
    // Everything readable by nobody except the env file, which stays root's 0600.
    chmodSync(join(root, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf'), 0o644);
    chmodSync(join(root, 'var/lib/kubelet/config.yaml'), 0o644);
    chmodSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'), 0o600);
    chmodSync(root, 0o755);
    const r = await new Promise<CliResult>((done, fail) => {
      const child = spawn(process.execPath, [BIN, 'node', '--root', root, '--checks', '4.2.1,4.2.2', '-f', 'json'], { cwd: REPO_ROOT, uid: NOBODY_UID, gid: NOBODY_UID, env: { PATH: process.env.PATH ?? '' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', fail);
      child.on('close', (code) => { done({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }); });
    });
    expect(r.stderr).toMatch(/kubeadm-flags\.env: cannot read the kubelet's EnvironmentFile: permission denied/);
    const v = verdicts(r.stdout);
    expect(v.get('4.2.1')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('4.2.2')?.verdict).toBe('NOT_EVALUATED');
  });

  it('a missing optional EnvironmentFile (EnvironmentFile=-…) is fine: systemd ignores it', async () => {
    const root = tree(goodNode());
    rmSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'));
    const r = await runCli(['node', '--root', root, '--checks', '4.2.1', '-f', 'json']);
    expect(r.code).toBe(0);
    expect(verdicts(r.stdout).get('4.2.1')?.verdict).toBe('PASS');
  });

  it('an unreadable kubelet unit drop-in makes the kubelet NOT EVALUATED', async () => {
    const root = tree(anonymousViaEnvFile());
    const unit = join(root, 'etc/systemd/system/kubelet.service.d/20-extra.conf');
    execFileSync('mkfifo', [unit]);
    const r = await runCli(['node', '--root', root, '-f', 'json'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/20-extra\.conf: cannot read the kubelet unit: is a FIFO/);
    expect(verdicts(r.stdout).get('4.2.1')?.verdict).toBe('NOT_EVALUATED');
  });

  it('--config-dir drop-ins: an unreadable or invalid one makes config-based settings NOT EVALUATED; flags still decide', async () => {
    const s = goodNode();
    const root = tree({ ...s, kubelet: [...(s.kubelet ?? []), '--config-dir=/etc/kubernetes/kubelet.conf.d', '--read-only-port=0'] });
    const dir = join(root, 'etc/kubernetes/kubelet.conf.d');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '10-ok.conf'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n');
    writeFileSync(join(dir, '20-broken.conf'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: [\n');
    const r = await runCli(['node', '--root', root, '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/20-broken\.conf(:\d+)?: the kubelet config drop-in is not valid YAML/);
    const v = verdicts(r.stdout);
    expect(v.get('4.2.1')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('4.2.1')?.reason).toContain('20-broken.conf');
    // --read-only-port=0 on the command line wins over any config: still decided.
    expect(v.get('kubelet-read-only-port-open')?.verdict).toBe('PASS');
    rmSync(join(dir, '20-broken.conf'));
    execFileSync('mkfifo', [join(dir, '20-broken.conf')]);
    const f = await runCli(['node', '--root', root, '--checks', '4.2.1', '-f', 'json'], { timeoutMs: 30_000 });
    expect(f.stderr).toMatch(/20-broken\.conf: cannot read the kubelet config drop-in: is a FIFO/);
    expect(verdicts(f.stdout).get('4.2.1')?.verdict).toBe('NOT_EVALUATED');
  });

  it('--config-dir drop-ins merge as the kubelet merges them: in walk order, objects key by key, later files win', async () => {
    const s = goodNode();
    const root = tree({ ...s, kubelet: [...(s.kubelet ?? []), '--config-dir=/etc/kubernetes/kubelet.conf.d'] });
    const dir = join(root, 'etc/kubernetes/kubelet.conf.d');
    mkdirSync(join(dir, '20'), { recursive: true });
    const head = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';
    writeFileSync(join(dir, '10.conf'), `${head}authentication:\n  anonymous:\n    enabled: true\n`);
    // filepath.WalkDir visits 20/ (and 20/x.conf) before 20.conf: "20" < "20.conf".
    writeFileSync(join(dir, '20', 'x.conf'), `${head}readOnlyPort: 10255\n`);
    writeFileSync(join(dir, '20.conf'), `${head}readOnlyPort: 0\nauthentication:\n  webhook:\n    enabled: true\n`);
    writeFileSync(join(dir, '30.yaml'), `${head}readOnlyPort: 10255\n`); // not .conf: ignored
    const r = await runCli(['node', '--root', root, '-f', 'json']);
    const v = verdicts(r.stdout);
    expect(v.get('4.2.1')?.verdict).toBe('FAIL'); // 20.conf's authentication merges into 10.conf's, it does not replace it
    expect(v.get('4.2.1')?.reason).toContain('authentication.anonymous.enabled from the config file: true');
    expect(v.get('kubelet-read-only-port-open')?.verdict).toBe('PASS');
    const report = JSON.parse(r.stdout) as Report;
    const f = report.findings.find((x) => x.checkId === 'kubelet-anonymous-auth');
    expect(f?.resource).toMatchObject({ kind: 'NodeConfig', name: '/etc/kubernetes/kubelet.conf.d/10.conf' });
    expect(f?.location).toMatchObject({ file: expect.stringMatching(/10\.conf$/) as string, line: 5 });
  });

  for (const key of ['__proto__', 'constructor', 'prototype'])
    it(`a drop-in with a ${key} key cannot change any setting (no prototype pollution)`, async () => {
      const s = goodNode();
      // Only --config-dir: the base is the kubelet's flag defaults (anonymous access on, AlwaysAllow).
      const root = tree({ ...s, kubeletConfig: null, kubelet: [...(s.kubelet ?? []), '--config-dir=/etc/kubernetes/kubelet.conf.d'] });
      const dir = join(root, 'etc/kubernetes/kubelet.conf.d');
      mkdirSync(dir, { recursive: true });
      const evil = `${key}:\n  authentication:\n    anonymous:\n      enabled: false\n  authorization:\n    mode: Webhook\n  readOnlyPort: 0\n`;
      writeFileSync(join(dir, '10-evil.conf'), `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${evil}`);
      writeFileSync(join(dir, '20-more.conf'), `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${evil}`);
      const r = await runCli(['node', '--root', root, '-f', 'json']);
      const v = verdicts(r.stdout);
      expect(v.get('4.2.1')?.verdict, v.get('4.2.1')?.reason).toBe('FAIL');
      expect(v.get('4.2.2')?.verdict, v.get('4.2.2')?.reason).toBe('FAIL');
      expect(v.get('kubelet-read-only-port-open')?.verdict).toBe('FAIL');
    });

  it('a static pod env variable named __proto__ or constructor is just a variable', async () => {
    const s = goodNode();
    // JSON.parse makes __proto__ an own key (an object literal would set the prototype instead).
    const root = tree({ ...s, etcdEnv: JSON.parse('{"__proto__": "x", "constructor": "y", "ETCD_AUTO_TLS": "true"}') as Record<string, string> });
    const r = await runCli(['node', '--root', root, '--checks', '2.3', '-f', 'json']);
    expect(verdicts(r.stdout).get('2.3')).toEqual({ verdict: 'FAIL', reason: 'ETCD_AUTO_TLS=true (must be false)' });
  });

  it("an unreadable etcd environment (/proc/<pid>/environ) leaves ETCD_* flags NOT EVALUATED, flags on the command line decided", async () => {
    const s = goodNode();
    const root = tree({ ...s, etcd: null });
    const proc = join(root, 'proc/777');
    mkdirSync(join(proc, 'environ'), { recursive: true });
    writeFileSync(join(proc, 'cmdline'), ['etcd', ...(s.etcd ?? [])].join('\0') + '\0');
    const r = await runCli(['node', '--root', root, '--processes', '--checks', '2.2,2.3', '-f', 'json']);
    expect(r.stderr).toMatch(/proc\/777\/environ: cannot read etcd's environment \(is a folder\)/);
    const v = verdicts(r.stdout);
    expect(v.get('2.2')?.verdict).toBe('PASS'); // --client-cert-auth=true is on the command line
    expect(v.get('2.3')?.verdict).toBe('NOT_EVALUATED'); // --auto-tls is not: ETCD_AUTO_TLS could set it
    expect(v.get('2.3')?.reason).toContain('ETCD_AUTO_TLS');
  });

  it("unreadable account files (/etc/passwd) leave owners other than root NOT EVALUATED, root owners decided", async () => {
    const root = tree(goodNode());
    rmSync(join(root, 'etc/passwd'));
    mkdirSync(join(root, 'etc/passwd'));
    const r = await runCli(['node', '--root', root, '--checks', '1.1.12,1.1.2', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/etc\/passwd: cannot read the node's account files/);
    const v = verdicts(r.stdout);
    expect(v.get('1.1.12')?.verdict).toBe('NOT_EVALUATED'); // /var/lib/etcd is owned by uid 998: its name is unknown
    expect(v.get('1.1.2')?.verdict).toBe('PASS'); // uid 0 is root
  });

  it('a PKI sub-folder that cannot be walked leaves the PKI controls NOT EVALUATED, never PASS', async () => {
    const root = tree(goodNode());
    symlink(root, '/etc/kubernetes/pki/loop', '/etc/kubernetes/pki/loop');
    const r = await runCli(['node', '--root', root, '--checks', '1.1.19,pki-private-key-permissions', '-f', 'json']);
    expect(r.stderr).toMatch(/pki: cannot examine the whole folder: .*loop.*too many levels of symbolic links/);
    const v = verdicts(r.stdout);
    expect(v.get('1.1.19')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('pki-private-key-permissions')?.verdict).toBe('NOT_EVALUATED');
  });
});

describe('kspect node: output cannot be turned against the reader', () => {
  it('flag values with terminal escapes or forged CI commands are shown escaped in the benchmark table', async () => {
    const s = goodNode();
    const root = tree({ ...s, controllerManager: withFlag(s.controllerManager ?? [], 'bind-address', '0.0.0.0\x1b[2J\n::error file=a.yaml::forged\u202e') });
    const r = await runCli(['node', '--root', root, '--checks', '1.3.7']);
    expect(r.stdout).toContain('0.0.0.0\\x1b[2J\\n::error file=a.yaml::forged\\u202e (must be 127.0.0.1)');
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).not.toContain('\u202e');
    for (const line of r.stdout.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
  });
});

describe('kspect node: FIFOs, devices, sockets and symlink loops in --root are refused by type', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await new Promise((done) => s.close(done));
  });

  it('refuses each one with one line naming it, audits the rest, and finishes (exit 2)', async () => {
    const root = tree(goodNode());
    // A FIFO as a static pod manifest, /dev/zero (a character device) as the kubelet config, a socket as the audit policy.
    const extra = join(root, 'etc/kubernetes/manifests/fifo.yaml');
    execFileSync('mkfifo', [extra]);
    rmSync(join(root, 'var/lib/kubelet/config.yaml'));
    execFileSync('mknod', [join(root, 'var/lib/kubelet/config.yaml'), 'c', '1', '5']);
    rmSync(join(root, 'etc/kubernetes/audit/policy.yaml'));
    const sock = join(root, 'etc/kubernetes/audit/policy.yaml');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((done) => server.listen(sock, done));
    chownSync(sock, 0, 0);
    symlink(root, '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/scheduler.conf');
    const started = Date.now();
    const r = await runCli(['node', '--root', root, '-f', 'json'], { timeoutMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(2);
    expectOneLinePerProblem(r);
    expect(r.stderr).toMatch(/manifests\/fifo\.yaml: cannot read the manifest: is a FIFO \(named pipe\), not a regular file/);
    expect(r.stderr).toMatch(/kubelet\/config\.yaml: cannot read the kubelet config file: is a character device, not a regular file/);
    expect(r.stderr).toMatch(/audit\/policy\.yaml: cannot read the file of --audit-policy-file: is a socket, not a regular file/);
    expect(r.stderr).toMatch(/scheduler\.conf: cannot examine: too many levels of symbolic links/);
    const v = verdicts(r.stdout);
    expect(v.get('4.2.1')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('apiserver-audit-policy')?.verdict).toBe('NOT_EVALUATED');
    expect(v.get('1.1.15')?.verdict).toBe('NOT_EVALUATED');
    // A manifest that could not be read may hide a component: the missing ones say so. The rest is audited.
    expect(v.get('1.2.15')?.verdict).toBe('PASS');
    expect(v.get('1.1.1')?.verdict).toBe('PASS');
  });

  it('a FIFO as --encryption-config (read from this machine) is refused too', async () => {
    const root = tree(goodNode());
    const fifo = join(root, 'given-fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['node', '--root', root, '--encryption-config', fifo, '--checks', 'apiserver-encryption-config', '-f', 'json'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/given-fifo\.yaml: cannot read the encryption configuration: is a FIFO/);
    expect(verdicts(r.stdout).get('apiserver-encryption-config')?.verdict).toBe('NOT_EVALUATED');
  });

  it('a fake /proc whose cmdline is a FIFO does not hang --processes', async () => {
    const root = tree({ ...goodNode(), proxy: null });
    mkdirSync(join(root, 'proc/99'), { recursive: true });
    execFileSync('mkfifo', [join(root, 'proc/99/cmdline')]);
    const r = await runCli(['node', '--root', root, '--processes', '--checks', '1.2.15', '-f', 'json'], { timeoutMs: 30_000 });
    expect(r.stderr).toMatch(/proc\/99\/cmdline: cannot read: is a FIFO/);
    expect(verdicts(r.stdout).get('1.2.15')?.verdict).toBe('PASS');
  });
});

/**
 * Issue 10 §2, proof: nothing a user feeds kspect can hang it. A FIFO, a character device (/dev/zero) or a socket
 * named as input — or reached through a reference (a kubeconfig's certificate-authority and client-key, --ca,
 * --config, --baseline, --encryption-config, --cacert/--cert/--key) — is refused by type before it is read, by every
 * command that reads files: exit 2, one line on stderr naming the file, the other inputs still processed, and the
 * whole run within a generous bound (the child is killed at 60 s, so a hang fails the test instead of stalling it).
 * Nobody ever writes to the FIFO: a reader that opened it blocking would wait forever.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, type CliResult } from './support/cli.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: good-pod, namespace: a}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n';
const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: good-secrets-reader}
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: good-binding}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: good-secrets-reader}
subjects:
- {kind: User, name: good-user, apiGroup: rbac.authorization.k8s.io}
`;

const kubeconfig = (extra: { ca?: string; key?: string; cert?: string }): string => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
${extra.ca !== undefined ? `    certificate-authority: ${extra.ca}\n` : ''}contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
users:
- name: u
  user:
${extra.cert !== undefined ? `    client-certificate: ${extra.cert}\n` : ''}${extra.key !== undefined ? `    client-key: ${extra.key}\n` : '    token: not-a-real-token\n'}`;

let root = '';
let server: Server;
const BOUND = 60_000;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kspect-file-types-'));
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
  execFileSync('mkfifo', [join(root, 'fifo.crt')]);
  execFileSync('mkfifo', [join(root, 'fifo.key')]);
  server = createServer();
  await new Promise<void>((done) => server.listen(join(root, 'sock.yaml'), done));
  writeFileSync(join(root, 'pod.yaml'), POD);
  writeFileSync(join(root, 'rbac.yaml'), RBAC);
  writeFileSync(join(root, 'kc-fifo-ca.yaml'), kubeconfig({ ca: 'fifo.crt' }));
  writeFileSync(join(root, 'kc-zero-key.conf'), kubeconfig({ cert: 'pki/ca.crt', key: '/dev/zero' }));
  writeFileSync(join(root, 'kc-fifo-key.conf'), kubeconfig({ cert: 'pki/ca.crt', key: 'fifo.key' }));
  mkdirSync(join(root, 'dir'));
  const init = await runCli(['pki', 'init', 'pki'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
}, BOUND);

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => { done(); }));
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

function run(args: readonly string[]): Promise<CliResult> {
  return runCli(args, { cwd: root, timeoutMs: BOUND });
}

/** Exit 2 (not killed), no stack trace, and exactly one stderr line naming `file` with `why`. */
function refused(r: CliResult, file: string, why: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const mine = r.stderr.split('\n').filter((l) => l.includes(file));
  expect(mine, r.stderr).toHaveLength(1);
  expect(mine[0]).toMatch(why);
}

const FIFO = /is a FIFO \(named pipe\), not a regular file/;
const CHAR = /is a character device, not a regular file/;
const SOCK = /is a socket, not a regular file/;

describe('manifest readers refuse FIFOs, devices and sockets and still read the rest', () => {
  it.each([
    ['scan', ['scan', 'pod.yaml'], 'good-pod'],
    ['pss check', ['pss', 'check', '--level', 'baseline', 'pod.yaml'], 'good-pod'],
    ['netpol check', ['netpol', 'check', 'pod.yaml'], 'good-pod'],
    ['rbac risks', ['rbac', 'risks', 'rbac.yaml'], 'good-user'],
  ])('%s', async (_name, args, good) => {
    for (const [bad, why] of [['fifo.yaml', FIFO], ['/dev/zero', CHAR], ['sock.yaml', SOCK]] as const) {
      const r = await run([...args, bad, '-f', 'json', '--fail-on', 'none']);
      refused(r, bad, why);
      expect(r.stdout, `${bad}: the good input is still judged`).toContain(good);
    }
  });

  it('a FIFO named like a manifest inside a folder is refused, not skipped, and the folder is still scanned', async () => {
    const r = await run(['scan', '.', '--checks', 'pod-privileged', '-f', 'json', '--fail-on', 'none']);
    refused(r, 'fifo.yaml', FIFO);
    refused(r, 'sock.yaml', SOCK);
    expect(r.stdout).toContain('good-pod');
  });
});

describe('standard input', () => {
  it('is read with the same size limit as files, enforced while reading', async () => {
    // 64 MiB offered; kspect stops reading after 1 MiB, so writing the rest fails with EPIPE (that is the point).
    const r = await new Promise<CliResult>((done) => {
      const child = spawn(process.execPath, [BIN, 'scan', '-', 'pod.yaml', '--max-file-size', '1', '-f', 'json', '--fail-on', 'none'], { cwd: root });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.stdin.on('error', () => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), BOUND);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      const chunk = Buffer.alloc(1024 * 1024, '# padding line of a large standard input\n');
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && !child.stdin.destroyed) {
          sent++;
          if (!child.stdin.write(chunk)) {
            child.stdin.once('drain', pump);
            return;
          }
        }
        child.stdin.end();
      };
      pump();
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['kspect: <stdin>: input is over the 1.0 MiB limit (--max-file-size); not read']);
    expect(r.stdout).toContain('good-pod');
  });
});

describe('configuration and baseline files', () => {
  it.each([
    ['--config', 'fifo.yaml', FIFO],
    ['--config', '/dev/zero', CHAR],
    ['--baseline', 'fifo.yaml', FIFO],
    ['--baseline', '/dev/zero', CHAR],
    ['--config', 'dir', /is a folder/],
  ])('scan %s %s', async (flag, file, why) => {
    refused(await run(['scan', 'pod.yaml', flag, file]), file, why);
  });
});

describe('kubeconfigs and the files they name', () => {
  it('scan --cluster with a FIFO kubeconfig, a FIFO certificate-authority, /dev/zero as client-key', async () => {
    refused(await run(['scan', '--cluster', '--kubeconfig', 'fifo.yaml']), 'fifo.yaml', FIFO);
    refused(await run(['scan', '--cluster', '--kubeconfig', 'kc-fifo-ca.yaml']), 'fifo.crt', FIFO);
    refused(await run(['scan', '--cluster', '--kubeconfig', 'kc-zero-key.conf']), '/dev/zero', CHAR);
  });

  it('$KUBECONFIG naming a FIFO', async () => {
    const r = await runCli(['scan', '--cluster'], { cwd: root, timeoutMs: BOUND, env: { KUBECONFIG: join(root, 'fifo.yaml') } });
    refused(r, 'fifo.yaml', FIFO);
  });

  it('pki check reads a kubeconfig whose client-key is a FIFO or /dev/zero, and still judges its certificate', async () => {
    for (const [kc, bad, why] of [['kc-fifo-key.conf', 'fifo.key', FIFO], ['kc-zero-key.conf', '/dev/zero', CHAR]] as const) {
      const r = await run(['pki', 'check', kc, '-f', 'json', '--fail-on', 'none']);
      refused(r, bad, why);
      expect(r.stdout).toContain('ca.crt');
    }
  });
});

describe('pki', () => {
  it('check: FIFO, device and socket inputs and --ca', async () => {
    for (const [bad, why] of [['fifo.crt', FIFO], ['/dev/zero', CHAR], ['sock.yaml', SOCK]] as const) {
      const r = await run(['pki', 'check', 'pki/ca.crt', bad, '-f', 'json', '--fail-on', 'none']);
      refused(r, bad, why);
      expect(r.stdout).toContain('ca.crt');
    }
    refused(await run(['pki', 'check', 'pki/ca.crt', '--ca', 'fifo.crt']), 'fifo.crt', FIFO);
  });

  it('sign: a FIFO CSR, and a CA whose key is a FIFO', async () => {
    refused(await run(['pki', 'sign', 'fifo.crt', '--ca', 'pki/ca', '--out', 'out/x', '--role', 'client']), 'fifo.crt', FIFO);
    mkdirSync(join(root, 'ca2'), { recursive: true });
    writeFileSync(join(root, 'ca2', 'ca.crt'), '');
    execFileSync('mkfifo', [join(root, 'ca2', 'ca.key')]);
    const csr = await run(['pki', 'csr', '--cn', 'alice', '--out', 'csr/alice']);
    expect(csr.code, csr.stderr).toBe(0);
    refused(await run(['pki', 'sign', 'csr/alice.csr', '--ca', 'ca2/ca', '--out', 'out/alice', '--role', 'client']), 'ca2/ca', FIFO);
  });
});

describe('etcd, probe and node', () => {
  it.each([
    [['--cacert', 'fifo.crt'], 'fifo.crt'],
    [['--cert', 'fifo.crt', '--key', 'pki/ca.key'], 'fifo.crt'],
    [['--cert', 'pki/ca.crt', '--key', 'fifo.key'], 'fifo.key'],
  ])('etcd check %s', async (flags, bad) => {
    refused(await run(['etcd', 'check', '--endpoints', 'https://127.0.0.1:1', ...flags]), bad, FIFO);
  });

  it('etcd check --encryption-config /dev/zero', async () => {
    const r = await run(['etcd', 'check', '--endpoints', 'https://127.0.0.1:1', '--encryption-config', '/dev/zero', '--request-timeout', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes('/dev/zero'))).toEqual([expect.stringMatching(CHAR)]);
  });

  it('probe --ca FIFO', async () => {
    refused(await run(['probe', '127.0.0.1:1', '--ca', 'fifo.crt']), 'fifo.crt', FIFO);
  });

  it('node --encryption-config and --audit-policy FIFO', async () => {
    refused(await run(['node', '--root', 'dir', '--encryption-config', 'fifo.yaml']), 'fifo.yaml', FIFO);
    refused(await run(['node', '--root', 'dir', '--audit-policy', 'fifo.yaml']), 'fifo.yaml', FIFO);
  });
});

describe('baseline', () => {
  it('baseline FIFO input: the other inputs still make the baseline', async () => {
    const r = await run(['baseline', 'pod.yaml', 'fifo.yaml', '-o', 'accepted.json']);
    refused(r, 'fifo.yaml', FIFO);
  });
});

describe('audit and images readers (safe-read.ts)', () => {
  const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
  const EVENT = JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'good-event', stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/default/pods', verb: 'create', user: { username: 'good-user' }, objectRef: { resource: 'pods', namespace: 'default', name: 'x', apiVersion: 'v1' }, responseStatus: { code: 201 } });
  const DIGEST = `sha256:${'a'.repeat(64)}`;
  beforeAll(() => {
    execFileSync('mkfifo', [join(root, 'fifo.json')]);
    writeFileSync(join(root, 'policy.yaml'), POLICY);
    writeFileSync(join(root, 'good.log'), `${EVENT}\n`);
    mkdirSync(join(root, 'logs'));
    writeFileSync(join(root, 'logs', 'a.log'), `${EVENT}\n`);
    execFileSync('mkfifo', [join(root, 'logs', 'b.log')]);
    execFileSync('ln', ['-s', 'loop', join(root, 'logs', 'loop')]);
    execFileSync('ln', ['-s', '/dev/zero', join(root, 'logs', 'zero.log')]);
    // A gzip'd log cut off in the middle, and a scanner report cut off in the middle.
    writeFileSync(join(root, 'cut.log.gz'), execFileSync('gzip', ['-c'], { input: `${EVENT}\n`.repeat(50) }).subarray(0, 60));
    writeFileSync(join(root, 'cut.json'), '{"SchemaVersion": 2, "Results": [');
    writeFileSync(join(root, 'big-policy.yaml'), `${POLICY}# ${'x'.repeat(17 * 1024 * 1024)}\n`);
    for (const [dir, index, blob] of [['layout-fifo-index', true, false], ['layout-fifo-blob', false, true]] as const) {
      mkdirSync(join(root, dir, 'blobs', 'sha256'), { recursive: true });
      writeFileSync(join(root, dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      if (index) execFileSync('mkfifo', [join(root, dir, 'index.json')]);
      else writeFileSync(join(root, dir, 'index.json'), JSON.stringify({ manifests: [{ digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json' }] }));
      if (blob) execFileSync('mkfifo', [join(root, dir, 'blobs', 'sha256', 'a'.repeat(64))]);
    }
  }, BOUND);

  it('audit policy-check: FIFO, device and an oversized policy refused; the good policy still judged', async () => {
    for (const [bad, why] of [['fifo.yaml', FIFO], ['/dev/zero', CHAR], ['sock.yaml', SOCK], ['big-policy.yaml', /is 17\.0 MiB, over the 16\.0 MiB limit/]] as const) {
      const r = await run(['audit', 'policy-check', bad, 'policy.yaml', '-f', 'json', '--fail-on', 'none']);
      refused(r, bad, why);
      expect(r.stdout, bad).toContain('audit-policy-');
    }
  });

  it('audit analyze: a FIFO log, --rules FIFO, and a log folder with a FIFO, a link loop and a link to /dev/zero', async () => {
    const fifo = await run(['audit', 'analyze', 'fifo.json', 'good.log', '-f', 'json', '--fail-on', 'none']);
    refused(fifo, 'fifo.json', FIFO);
    expect(fifo.stdout).toContain('good.log');
    refused(await run(['audit', 'analyze', 'good.log', '--rules', 'fifo.yaml', '-f', 'json', '--fail-on', 'none']), 'fifo.yaml', FIFO);
    const folder = await run(['audit', 'analyze', 'logs', '-f', 'json', '--fail-on', 'none']);
    refused(folder, 'logs/b.log', FIFO);
    refused(folder, 'logs/loop', /symbolic link inside a log folder: not followed/);
    refused(folder, 'logs/zero.log', /symbolic link inside a log folder: not followed/);
    expect(folder.stdout).toContain('logs/a.log');
  });

  it('audit analyze: a gzip log cut off in the middle is one line naming it; the next log is still read', async () => {
    const r = await run(['audit', 'analyze', 'cut.log.gz', 'good.log', '-f', 'json', '--fail-on', 'none']);
    refused(r, 'cut.log.gz', /corrupt gzip: unexpected end of file; the lines before it were read/);
    expect(r.stdout).toContain('good.log');
  });

  it('scan --vulns: FIFO, device and a cut-off report refused; the manifests still scanned', async () => {
    for (const [bad, why] of [['fifo.json', FIFO], ['/dev/zero', CHAR], ['cut.json', /not JSON: it ends early/]] as const) {
      const r = await run(['scan', 'pod.yaml', '--vulns', bad, '--checks', 'pod-privileged', '-f', 'json', '--fail-on', 'none']);
      refused(r, bad, why);
      expect(r.stdout).toContain('good-pod');
    }
  });

  it('images verify: --key, --trusted-root, --docker-config, --registry-ca and OCI layouts with a FIFO index or blob', async () => {
    const base = ['images', 'verify', 'pod.yaml', '-f', 'json', '--fail-on', 'none'];
    refused(await run([...base, '--key', 'fifo.crt']), 'fifo.crt', FIFO);
    refused(await run([...base, '--trusted-root', 'fifo.json', '--certificate-identity', 'x', '--certificate-oidc-issuer', 'y']), 'fifo.json', FIFO);
    refused(await run([...base, '--docker-config', 'fifo.json']), 'fifo.json', FIFO);
    refused(await run([...base, '--registry-ca', '/dev/zero']), '/dev/zero', CHAR);
    refused(await run([...base, '--layout', 'layout-fifo-index']), 'layout-fifo-index', /index\.json is a FIFO \(named pipe\), not a regular file/);
    refused(await run([...base, '--layout', 'layout-fifo-blob']), 'layout-fifo-blob', /blob sha256:a{64} is a FIFO \(named pipe\), not a regular file/);
  });
});
